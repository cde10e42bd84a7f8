"""report.md: per group and day, posts against caps and peaks; how each problem was solved."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from planner.campaigns.playbook import Playbook
from planner.campaigns.timeline import stage_on
from planner.plan import Plan, Post
from planner.rules.eligibility import campaign_targets, fits_group_type, item_stages
from planner.solver.problem import holiday_warnings
from planner.workspace.load import Workspace
from planner.workspace.rulepacks import peaks_on, resolve_caps
from planner.workspace.templates import WEEKDAYS
from planner.writers.html import whole_page_is_index
from planner.writers.ical import whole_calendar_is_index


def _in_peak(ws: Workspace, post: Post, group) -> bool:
    peaks = peaks_on(ws.rules, group.type, post.start.date())
    minute = post.start.hour * 60 + post.start.minute
    return any(peak.window.contains(minute) for peak in peaks)


def why_not_placed(ws: Workspace, week_start: date, book: Playbook, group, item_id: str) -> str:
    """The first reason, in order, that an item requested for a group is not in the plan."""
    item = ws.items.get(item_id)
    if item is None:
        return "not in the content library"
    if not fits_group_type(item, group, ws.rules):
        return f"does not suit a {group.type} group (item group_types / forbidden kinds)"
    days = [week_start + timedelta(days=d) for d in range(7)]
    stages = item_stages(item, ws.rules)
    open_days = [d for d in days if stage_on(group, d, book) in stages]
    if not open_days:
        seen = sorted({str(stage_on(group, d, book)) for d in days if stage_on(group, d, book)})
        return f"its kind or stages do not fit the group's stages this week ({', '.join(seen)})"
    valid = [
        d
        for d in open_days
        if not (item.valid_from and d < item.valid_from)
        and not (item.valid_until and d > item.valid_until)
    ]
    if not valid:
        return "not valid on any day the group's stage allows it"
    return "not chosen: the caps left room only for posts worth more this week"


def report_pieces(
    ws: Workspace, share: Plan, groups: tuple[str, ...], book: Playbook
) -> dict[str, str]:
    """An operator's part of report.md, from their share alone: the rows of "Requested but
    not placed" for their groups, and their groups' day-by-day sections."""
    return {
        "unplaced.md": "".join(line + "\n" for line in _unplaced(ws, share, groups, book)),
        "groups.md": "".join(_group_section(ws, share, ws.group(g), book) for g in sorted(groups)),
    }


def _unplaced(ws: Workspace, share: Plan, groups: tuple[str, ...], book: Playbook) -> list[str]:
    placed = {(p.group, p.item) for p in share.posts}
    own = [ws.group(g) for g in sorted(groups)]
    lines = []
    for campaign in ws.campaigns:
        for group in campaign_targets(own, campaign):
            for binding in campaign.items:
                if binding.role == "follow_up":
                    continue  # a task in the operator's run sheet, not a post
                if (group.id, binding.item) not in placed:
                    reason = why_not_placed(ws, share.week_start, book, group, binding.item)
                    cells = (campaign.id, group.id, binding.item, binding.role, reason)
                    lines.append("| " + " | ".join(cells) + " |")
    return lines


def _group_section(ws: Workspace, share: Plan, group, book: Playbook) -> str:
    posts = [p for p in share.posts if p.group == group.id]
    lines = ["", f"## {group.name} ({group.id})", ""]
    lines += [
        "| day | stage | posts / per_day cap | in attention peaks | kinds |",
        "|---|---|---:|---:|---|",
    ]
    for offset in range(7):
        day = share.week_start + timedelta(days=offset)
        stage = stage_on(group, day, book)
        todays = [p for p in posts if p.start.date() == day]
        if stage is None:
            lines.append(f"| {WEEKDAYS['en'][day.weekday()]} {day} | – | 0 / 0 | – | |")
            continue
        caps = resolve_caps(ws.rules.caps, group.type, stage, group.caps)
        peak = sum(_in_peak(ws, p, group) for p in todays)
        ratio = f"{peak}/{len(todays)}" if todays else "–"
        kinds = ", ".join(sorted({str(p.kind) for p in todays}))
        lines.append(
            f"| {WEEKDAYS['en'][day.weekday()]} {day} | {stage} | "
            f"{len(todays)} / {caps.per_day} | {ratio} | {kinds} |"
        )
    return "".join(line + "\n" for line in lines)


def report_chunks(
    ws: Workspace,
    header: Plan,
    posts: int,
    groups_posting: int,
    unplaced: Iterable[str],
    sections: Iterable[str],
) -> Iterator[str]:
    """report.md, streamed: the week's numbers and solver table from `header` (a plan
    without its posts), then the operators' pieces in operator order."""
    lines = [
        f"# {header.workspace}: week {header.week} "
        f"({header.week_start} – {header.week_start + timedelta(days=6)})",
        "",
        f"{posts} posts in {groups_posting} groups.",
        "",
    ]
    if whole_calendar_is_index(posts, ws.settings):
        lines += [
            f"calendar.ics is an index: {posts} posts are more than any calendar "
            f"app imports at once (whole_calendar_max_posts: "
            f"{ws.settings.whole_calendar_max_posts}). Each operator imports their own "
            "operators/<operator>.ics; calendar.ics names them, one entry per operator.",
            "",
        ]
    if whole_page_is_index(posts, ws.settings):
        lines += [
            f"index.html is an index: {posts} posts are more than a phone opens on one page "
            f"(whole_page_max_posts: {ws.settings.whole_page_max_posts}). Each operator "
            "opens their own operators/<operator>.html; index.html links them.",
            "",
        ]
    for warning in holiday_warnings(ws, header.week_start):
        lines += [f"> Warning: {warning}", ""]
    lines += [
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
        lines += ["", "## Findings not planned", ""]
        lines += [f"- {reason}" for reason in header.failed]
        lines += ["", "Their groups have no posts this week; every other group is planned."]
    if header.conflicts:
        lines += ["", "## Conflicts", ""] + [f"- {reason}" for reason in header.conflicts]
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
