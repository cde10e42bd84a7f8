"""`planner check` without solving: times the user pinned (a live's own `start`, a live
campaign's `start`, a launch's `launch_at`, a lock's `at`) that no plan can keep, because
they fall in a receiving group's quiet hours or outside its operator's working hours.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from planner.errors import Findings
from planner.models.campaigns import LaunchCampaign, LiveCampaign
from planner.models.common import Stage
from planner.models.groups import Group
from planner.rules.eligibility import campaign_targets, may_receive
from planner.rules.sources import Sources
from planner.rules.working_hours import hours_text, working_hours
from planner.workspace.load import CAMPAIGNS_FILE, LOCKS_FILE, Workspace
from planner.workspace.rulepacks import resolve_caps


@dataclass(frozen=True)
class Pinned:
    """A post the user fixed in time, where they wrote it, and the groups it goes to."""

    what: str
    at: datetime  # without an offset: the group's local time
    file: Path
    line: int
    key: str
    groups: tuple[Group, ...]


def check_pinned_times(ws: Workspace, findings: Findings) -> None:
    sources = Sources(ws)
    for pinned in (*_lives(ws), *_campaigns(ws), *_locks(ws)):
        for group in pinned.groups:
            zone = ZoneInfo(group.timezone or ws.settings.timezone)
            at = pinned.at.replace(tzinfo=zone) if pinned.at.tzinfo is None else pinned.at
            local = at.astimezone(zone)
            where = f"{pinned.what} {local:%Y-%m-%d %H:%M} in group '{group.id}'"
            for problem, expected in _conflicts(ws, sources, group, local):
                findings.add(
                    pinned.file,
                    pinned.line,
                    f"{where} {problem}",
                    expected,
                    pinned.key,
                    severity="conflict",  # the group's alone: `plan` leaves it out
                )


def _conflicts(ws: Workspace, sources: Sources, group: Group, local: datetime):
    """What keeps a post of `group` out at `local`: its operator's hours, its quiet hours."""
    hours = working_hours(ws, group.operator)
    if hours is not None and not hours.works_at(local):
        day = local.astimezone(hours.zone).date()
        yield (
            f"is outside its operator's hours: {hours_text(ws, hours, day)}",
            "a time inside those hours, or another operator for the group",
        )
    stage = group.stage_on(local.date()) or Stage.retention
    quiet = resolve_caps(ws.rules.caps, group.type, stage, group.caps).quiet_hours
    if quiet is not None and quiet.contains(local.hour * 60 + local.minute):
        source = sources.caps(group.id, str(stage), ("quiet_hours",))
        yield (
            f"is inside the group's quiet hours {quiet} ({source})",
            "a time outside quiet hours, or the group's own caps.quiet_hours",
        )


def _lives(ws: Workspace) -> Iterator[Pinned]:
    """Lives with their own start, for each group that may receive them or a campaign binds
    them to."""
    for item in ws.items.values():
        start = getattr(item, "start", None) if item.kind == "live" else None
        if start is None:
            continue
        bound = {
            g.id
            for c in ws.campaigns
            if any(b.item == item.id for b in c.items)
            for g in campaign_targets(ws.groups, c)
        }
        groups = [g for g in ws.groups if g.id in bound or may_receive(item, g, ws.rules)]
        line = ws.library.docs[item.id].line(("start",))
        yield Pinned(f"live {item.id}", start, item.source, line, "start", tuple(groups))


def _campaigns(ws: Workspace) -> Iterator[Pinned]:
    doc = ws.docs.get(CAMPAIGNS_FILE)
    if doc is None:
        return
    for position, campaign in enumerate(_in_file_order(doc, "campaigns", ws.campaigns)):
        if isinstance(campaign, LiveCampaign):
            key, at, what = "start", campaign.start, f"live campaign {campaign.id}"
        elif isinstance(campaign, LaunchCampaign):
            key, at, what = "launch_at", campaign.launch_at, f"launch {campaign.id}"
        else:
            continue
        line = doc.line(("campaigns", position, key))
        groups = tuple(campaign_targets(ws.groups, campaign))
        yield Pinned(what, at, doc.path, line, key, groups)


def _locks(ws: Workspace) -> Iterator[Pinned]:
    doc = ws.docs.get(LOCKS_FILE)
    if doc is None:
        return
    groups = {g.id: g for g in ws.groups}
    for position, lock in enumerate(_in_file_order(doc, "locks", ws.locks)):
        if lock.at is None or lock.item is None or lock.group not in groups:
            continue
        line = doc.line(("locks", position, "at"))
        yield Pinned(f"lock of {lock.item}", lock.at, doc.path, line, "at", (groups[lock.group],))


def _in_file_order(doc, key: str, models: list) -> list:
    """The loaded entries of a file's list, when each entry loaded (so positions are
    lines); none when one did not (its error is reported already)."""
    entries = doc.data.get(key) if isinstance(doc.data, dict) else None
    return models if isinstance(entries, list) and len(entries) == len(models) else []
