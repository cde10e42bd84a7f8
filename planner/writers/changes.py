"""What a re-plan changed, group by group: report.md's section and the command's summary.

Both read Plan.changes (planner.run.revisions.changes_between): posts moved, added or
cancelled against what the week's last run published.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from itertools import groupby

from planner.plan import Change
from planner.workspace.templates import WEEKDAYS

SUMMARY_LINES = 20  # the command prints this many changes; report.md has them all


def _when(moment: datetime) -> str:
    return f"{WEEKDAYS['en'][moment.weekday()]} {moment:%Y-%m-%d %H:%M}"


def describe(change: Change) -> str:
    """'moved 早安打卡 (morning-checkin): Mon 2026-11-23 08:15 -> 08:30', and so on."""
    what = f"{change.what} {change.title} ({change.item}): "
    if change.before is None or change.after is None:
        return what + _when(change.after or change.before)  # type: ignore[arg-type]
    after = _when(change.after)
    if change.after.date() == change.before.date():
        after = f"{change.after:%H:%M}"
    return what + f"{_when(change.before)} -> {after}"


def counts(changes: list[Change]) -> str:
    """'2 moved, 1 added, 1 cancelled' (only what happened)."""
    seen = Counter(change.what for change in changes)
    return ", ".join(f"{seen[w]} {w}" for w in ("moved", "added", "cancelled") if seen[w])


def report_section(changes: list[Change] | None, name_of: Callable[[str], str]) -> list[str]:
    """report.md's lines for the changes; none on a week's first run, nor when nothing
    changed (an unchanged re-plan writes the same files); `name_of`: a group's heading."""
    if not changes:
        return []
    lines = ["", "## Changes since the last run", "", f"{counts(changes)}."]
    for group, of_group in groupby(changes, key=lambda c: c.group):
        lines += ["", f"### {name_of(group)}", ""]
        lines += [f"- {describe(change)}" for change in of_group]
    return lines


def summary_lines(changes: list[Change] | None, limit: int = SUMMARY_LINES) -> list[str]:
    """The command's lines for the changes: the first `limit`, then how many more."""
    if changes is None:
        return []
    if not changes:
        return ["changes since the last run: none"]
    lines = [f"changes since the last run: {counts(changes)}"]
    lines += [f"  {change.group}: {describe(change)}" for change in changes[:limit]]
    if len(changes) > limit:
        lines.append(f"  ... and {len(changes) - limit} more in report.md")
    return lines
