"""`planner check` on business topics: what the plan cannot tell a typo from a choice.

A group topic (or planner.yaml's default) that no item of the library carries is likely a
typo; the group then gets only generic items and those of its other topics. An item of
the workspace's own whose topics no group shares goes out only where a campaign binds it.
Both are warnings.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from planner.errors import Findings
from planner.rules.eligibility import fits_topics, group_topics
from planner.workspace.load import GROUPS_FILE, SETTINGS_FILE, Workspace


def check_topics(ws: Workspace, findings: Findings) -> None:
    carried = sorted({topic for item in ws.items.values() for topic in item.topics})
    settings = ws.docs.get(SETTINGS_FILE)
    for position, topic in enumerate(ws.settings.topics):
        if settings is not None and topic not in carried:
            line = settings.line(("topics", position))
            _unknown(findings, settings.path, line, topic, carried)
    doc = ws.docs.get(GROUPS_FILE)
    own = {g.id: g.topics for g in ws.groups if g.topics is not None}
    entries = doc.data.get("groups") if doc and isinstance(doc.data, dict) else None
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        group_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(group_id, str):
            continue
        for position, topic in enumerate(own.pop(group_id, [])):
            if topic not in carried:
                line = doc.line(("groups", index, "topics", position))
                _unknown(findings, doc.path, line, topic, carried)
    _check_own_items(ws, findings)


def _unknown(findings: Findings, path, line: int, topic: str, carried: list[str]) -> None:
    close = difflib.get_close_matches(topic, carried, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"one of {', '.join(carried) or 'none'}"
    findings.add(
        path,
        line,
        f"no item of the library has topic '{topic}' (a typo?)",
        f"{hint}, or give your own items `topics: [{topic}]`",
        "topics",
        severity="warning",
    )


def _check_own_items(ws: Workspace, findings: Findings) -> None:
    """The workspace's own items with topics that no group shares and no campaign binds."""
    own = (ws.root / "content_library").resolve()
    bound = {binding.item for campaign in ws.campaigns for binding in campaign.items}
    topics = [group_topics(group, ws.settings.topics) for group in ws.groups]
    for item_id, item in ws.items.items():
        if not item.topics or item_id in bound or own not in Path(item.source).resolve().parents:
            continue
        if not any(fits_topics(item, shared) for shared in topics):
            findings.add(
                item.source,
                ws.library.docs[item_id].line(("topics",)),
                f"no group shares the topics of item '{item_id}' ({', '.join(item.topics)}): "
                "it goes out only where a campaign binds it",
                "give a group one of them (groups.yaml or planner.yaml `topics`)",
                "topics",
                severity="warning",
            )
