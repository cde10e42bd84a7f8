"""`planner check` on items not ready to go out.

Drafts are listed as warnings (the plan leaves them out: planner/rules/status.py); a
campaign that binds a draft, and an item still holding what `planner add-item` wrote in
place of the user's own title or text, are errors: either would post something unfinished.
"""

from __future__ import annotations

from planner.errors import Findings
from planner.workspace.load import Workspace
from planner.workspace.scaffold import PLACEHOLDER_TEXT, PLACEHOLDER_TITLE


def check_status(ws: Workspace, findings: Findings) -> None:
    for item_id, item in ws.items.items():
        doc = ws.library.docs[item_id]
        if item.status == "draft":
            findings.add(
                item.source,
                doc.line(("status",)),
                "draft, not scheduled until status: ready",
                key="status",
                severity="warning",
            )
        if item.title == PLACEHOLDER_TITLE:
            findings.add(
                item.source,
                doc.line(("title",)),
                f"the title is still add-item's placeholder '{PLACEHOLDER_TITLE}'",
                "the post's own title (calendars and run sheets show it)",
                "title",
            )
        for offset, line in enumerate(item.body.splitlines()):
            if PLACEHOLDER_TEXT in line:
                findings.add(
                    item.source,
                    item.body_line + offset,
                    f"the text still holds add-item's placeholder '{PLACEHOLDER_TEXT}'",
                    "the post to send to the groups, written below the front matter",
                    "body",
                )


def check_bound_draft(ws: Workspace, findings: Findings, doc, line: int, campaign, item) -> None:
    """A campaign binding `item` (at `line` of campaigns.yaml) to its groups: not a draft."""
    if item.status != "draft":
        return
    status = ws.library.docs[item.id].line(("status",))
    findings.add(
        doc.path,
        line,
        f"campaign '{campaign.id}' binds item '{item.id}', a draft ({item.source}:{status})",
        "set status: ready in the item's file once its text is written, or bind another item",
        "items.item",
    )
