"""`planner check` on stages' required posts: a group whose stage asks for a post every day
that no ready item of the library can ever be, found without solving (the solver would only
say so after building and proving the whole week infeasible). A warning: the week it would
fail in may be one a lock keeps free or a campaign changes the stage of."""

from __future__ import annotations

from datetime import timedelta

from planner.errors import Findings
from planner.models.groups import Group
from planner.rules.eligibility import (
    bound_to_moments,
    campaign_only,
    campaign_targets,
    fits_group_type,
    fits_topics,
    group_topics,
    item_stages,
)
from planner.rules.sources import Sources
from planner.workspace.load import GROUPS_FILE, Workspace

# Stage spans that ended this long before the group's latest one are history, not plans.
RECENT = timedelta(weeks=8)


def check_required_posts(ws: Workspace, findings: Findings) -> None:
    doc = ws.docs.get(GROUPS_FILE)
    if doc is None or not isinstance(doc.data, dict):
        return
    sources = Sources(ws)
    known = {g.id for g in ws.groups}
    answers: dict[tuple, bool] = {}  # groups alike (a chain's stores) ask the same question
    moments = bound_to_moments(ws.campaigns)
    entries = doc.data.get("groups")
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        group_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(group_id, str) or group_id not in known:
            continue
        group = ws.group(group_id)
        topics = group_topics(group, ws.settings.topics)
        bound = frozenset(
            binding.item
            for campaign in ws.campaigns
            if campaign_targets([group], campaign)
            for binding in campaign.items
        )
        for position, stage in _spans_in_use(group):
            for number, required in enumerate(ws.rules.stages.stages[stage].required):
                key = (group.type, topics, stage, number, bound)
                if key not in answers:
                    answers[key] = _fitting(ws, group, stage, required, topics, bound, moments)
                if answers[key]:
                    continue
                source = sources.pack("stages", ("stages", str(stage), "required", number))
                shown = f" with topics {', '.join(sorted(topics))}" if topics else ""
                findings.add(
                    doc.path,
                    doc.line(("groups", index, "stages", position)),
                    f"group '{group.id}' in stage {stage} needs {required} every day ({source}), "
                    f"but no ready item fits a {group.type} group in {stage}{shown}",
                    f"an item of kind {' or '.join(required.kinds)} for stage {stage} "
                    "(planner add-item), or a campaign binding one",
                    "stages",
                    severity="warning",  # a campaign's binding or a lock may still fill it
                )


def _spans_in_use(group: Group):
    latest = group.stages[-1].from_
    for position, span in enumerate(group.stages):
        ends = group.stages[position + 1].from_ if position + 1 < len(group.stages) else None
        if ends is None or ends > latest - RECENT:
            yield position, span.stage


def _fitting(ws: Workspace, group: Group, stage, required, topics, bound, moments) -> bool:
    """Is some ready item ever a candidate for this required post in this group? (`bound`:
    items a campaign names for it, which go out whatever the stage; `moments`: items that
    go out only where bound)"""
    for item in ws.items.values():
        if item.kind not in required.kinds or item.status != "ready":
            continue
        if not fits_group_type(item, group, ws.rules) or not _window_meets(item, required):
            continue
        if item.id in bound:
            return True
        allowed = stage in item_stages(item, ws.rules)
        if allowed and fits_topics(item, topics) and not campaign_only(item, moments):
            return True
    return False


def _window_meets(item, required) -> bool:
    if item.window is None or required.window is None:
        return True
    return any(item.window.contains(m) and required.window.contains(m) for m in range(0, 1440, 5))
