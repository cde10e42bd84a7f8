"""report.md: per group and day, posts against caps and peaks; how each problem was solved."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import timedelta

from planner.plan import GroupDayFacts, Plan
from planner.workspace.load import Workspace
from planner.workspace.templates import WEEKDAYS
from planner.writers.changes import report_section
from planner.writers.html import whole_page_is_index


def report_pieces(ws: Workspace, share: Plan, groups: tuple[str, ...]) -> dict[str, str]:
    """An operator's part of report.md, from their share alone: the rows of "Requested but
    not placed" for their groups, and their groups' day-by-day sections."""
    rows = [(u.campaign, u.group, u.item, u.role, u.reason) for u in share.unplaced]
    days: dict[str, list[GroupDayFacts]] = defaultdict(list)
    for day in share.days:
        days[day.group].append(day)
    return {
        "unplaced.md": "".join("| " + " | ".join(cells) + " |\n" for cells in rows),
        "groups.md": "".join(_group_section(ws, share, g, days[g]) for g in sorted(groups)),
    }


def _heading(ws: Workspace, group: str) -> str:
    """A group as report.md names it; a group no longer in the workspace by its id."""
    try:
        return f"{ws.group(group).name} ({group})"
    except KeyError:
        return group


def _group_section(ws: Workspace, share: Plan, group: str, days: list[GroupDayFacts]) -> str:
    posts = [p for p in share.posts if p.group == group]
    lines = ["", f"## {_heading(ws, group)}", ""]
    lines += [
        "| day | stage | posts / per_day cap | in attention peaks | kinds |",
        "|---|---|---:|---:|---|",
    ]
    for day in days:
        label = f"{WEEKDAYS['en'][day.date.weekday()]} {day.date}"
        todays = [p for p in posts if p.start.date() == day.date]
        if day.stage is None:
            lines.append(f"| {label} | – | 0 / 0 | – | |")
            continue
        peak = sum(day.in_peak(p) for p in todays)
        ratio = f"{peak}/{len(todays)}" if todays else "–"
        kinds = ", ".join(sorted({str(p.kind) for p in todays}))
        lines.append(
            f"| {label} | {day.stage} | {len(todays)} / {day.per_day} | {ratio} | {kinds} |"
        )
    if days and all(day.attention for day in days):  # a learned group: its picture
        lines += ["", f"![attention: type default vs learned](attention/{group}.svg)"]
    return "".join(line + "\n" for line in lines)


def report_chunks(
    ws: Workspace,
    header: Plan,
    posts: int,
    groups_posting: int,
    unplaced: Iterable[str],
    sections: Iterable[str],
    load: Iterable[str] = (),
    imports: Iterable[str] = (),
    calendar_index: bool = False,
    pictures: Iterable[str] = (),
) -> Iterator[str]:
    """report.md, streamed: the week's numbers, the operators' `load` section and the
    solver table from `header` (a plan without its posts), then the operators' pieces in
    operator order."""
    lines = [
        f"# {header.workspace}: week {header.week} "
        f"({header.week_start} – {header.week_start + timedelta(days=6)})",
        "",
        f"{posts} posts in {groups_posting} groups.",
        "",
        *_index_notes(ws, posts, list(imports), calendar_index),
    ]
    for warning in [*header.warnings, *header.waivers, *header.shortfalls]:
        lines += [f"> Warning: {warning}", ""]
    lines += load
    lines += _value_changes(header)
    lines += pictures
    lines += _solver(header)
    lines += report_section(header.changes, lambda group: _heading(ws, group))
    lines += ["", "## Requested but not placed", ""]
    yield "".join(line + "\n" for line in lines)
    any_missing = False
    for piece in unplaced:
        if not any_missing:
            yield "| campaign | group | item | role | why |\n|---|---|---|---|---|\n"
            any_missing = True
        yield piece
    if not any_missing:
        yield "Every item the campaigns request was placed.\n"
    yield from sections


SHOWN_CHANGES = 5  # the items that gained most, and those that lost most


def _value_changes(header: Plan) -> list[str]:
    """The items whose value members' replies raised or lowered most (`planner learn`)."""
    gained = sorted((c for c in header.value_changes if c.factor > 1), key=lambda c: -c.factor)
    lost = sorted((c for c in header.value_changes if c.factor < 1), key=lambda c: c.factor)
    if not gained and not lost:
        return []
    lines = [
        "## Learned engagement",
        "",
        "Items whose value members' replies changed (learned/attention.yaml; the factor is",
        "bounded by rules/peaks.yaml `learning`). Evidence: earlier posts found in the chats.",
        "",
        "| item | kind | value | lift factor | evidence (posts) |",
        "|---|---|---:|---:|---:|",
    ]
    for change in [*gained[:SHOWN_CHANGES], *lost[:SHOWN_CHANGES]]:
        lines.append(
            f"| {change.item} | {change.kind} | {change.before} → {change.after} "
            f"| ×{change.factor:.2f} | {change.posts} |"
        )
    return [*lines, ""]


def _index_notes(ws: Workspace, posts: int, imports: list[str], calendar_index: bool) -> list[str]:
    """Which calendar file to import where, and why index.html is an index of operators,
    when it is one."""
    lines = []
    if imports:
        lines += ["## Which calendar to import", "", *imports, ""]
    if calendar_index:
        lines += [
            "calendar.ics is an index: the week is more than one calendar import takes "
            f"(whole_calendar_max_posts: {ws.settings.whole_calendar_max_posts} posts, "
            f"calendar_import_max_bytes: {ws.settings.calendar_import_max_bytes} bytes). "
            "Each operator imports their own file(s) above.",
            "",
        ]
    if whole_page_is_index(posts, ws.settings):
        lines += [
            f"index.html is an index: {posts} posts are more than a phone opens on one page "
            f"(whole_page_max_posts: {ws.settings.whole_page_max_posts}). Each operator "
            "opens their own operators/<operator>.html; index.html links them.",
            "",
        ]
    return lines


def _solver(header: Plan) -> list[str]:
    """How each problem was solved, the problems that found no plan, the conflicts."""
    lines = [
        "## Solver",
        "",
        "| problem | groups | status | objective | best bound | gap | candidates |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for result in header.problems:
        lines.append(
            f"| {result.problem} | {len(result.groups)} | {result.status} | {result.objective} | "
            f"{result.best_bound} | {result.gap:.2%} | {result.candidates} |"
        )
    if header.failed:
        lines += ["", "## Not planned", ""]
        lines += [f"- {reason}" for reason in header.failed]
        lines += [
            "",
            "Their groups keep the posts the last run of this week published, unchanged "
            "(none if there was none); every other group is planned.",
        ]
    if header.left_out:
        lines += ["", "## Left out", ""]
        for entry in header.left_out:
            lines.append(f"- {entry.group} (operator {entry.operator}):")
            lines += [f"  - {reason}" for reason in entry.reasons]
        lines += [
            "",
            "Their rules cannot all hold this week; their calendars keep the last run's "
            "events. Every other group is planned.",
        ]
    elif header.conflicts:
        lines += ["", "## Conflicts", ""] + [f"- {reason}" for reason in header.conflicts]
    return lines
