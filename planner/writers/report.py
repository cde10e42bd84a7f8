"""report.md: per group and day, posts against caps and peaks; how each problem was solved."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from planner.eligibility import campaign_targets, fits_group_type, item_stages
from planner.plan import Plan, Post
from planner.playbooks import playbook, stage_on
from planner.problem import holiday_warnings
from planner.rulepacks import peaks_on, resolve_caps
from planner.templates import WEEKDAYS
from planner.workspace import Workspace
from planner.writers.ical import whole_calendar_is_index


def _in_peak(ws: Workspace, post: Post, group) -> bool:
    peaks = peaks_on(ws.rules, group.type, post.start.date())
    minute = post.start.hour * 60 + post.start.minute
    return any(peak.window.contains(minute) for peak in peaks)


def why_not_placed(ws: Workspace, plan: Plan, group, item_id: str) -> str:
    """The first reason, in order, that an item requested for a group is not in the plan."""
    item = ws.items.get(item_id)
    if item is None:
        return "not in the content library"
    if not fits_group_type(item, group, ws.rules):
        return f"does not suit a {group.type} group (item group_types / forbidden kinds)"
    days = [plan.week_start + timedelta(days=d) for d in range(7)]
    book = playbook(ws, plan.week_start)
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


def _unplaced(ws: Workspace, plan: Plan) -> list[str]:
    placed = {(p.group, p.item) for p in plan.posts}
    lines = []
    for campaign in ws.campaigns:
        for group in campaign_targets(ws.groups, campaign):
            for binding in campaign.items:
                if binding.role == "follow_up":
                    continue  # a task in the operator's run sheet, not a post
                if (group.id, binding.item) not in placed:
                    reason = why_not_placed(ws, plan, group, binding.item)
                    cells = (campaign.id, group.id, binding.item, binding.role, reason)
                    lines.append("| " + " | ".join(cells) + " |")
    return lines


def render_report(ws: Workspace, plan: Plan) -> str:
    book = playbook(ws, plan.week_start)
    lines = [
        f"# {plan.workspace}: week {plan.week} "
        f"({plan.week_start} – {plan.week_start + timedelta(days=6)})",
        "",
    ]
    lines += [f"{len(plan.posts)} posts in {len({p.group for p in plan.posts})} groups.", ""]
    if whole_calendar_is_index(plan, ws.settings):
        lines += [
            f"calendar.ics is an index: {len(plan.posts)} posts are more than any calendar "
            f"app imports at once (whole_calendar_max_posts: "
            f"{ws.settings.whole_calendar_max_posts}). Each operator imports their own "
            "operators/<operator>.ics; calendar.ics names them, one entry per operator.",
            "",
        ]
    for warning in holiday_warnings(ws, plan.week_start):
        lines += [f"> Warning: {warning}", ""]
    lines += [
        "## Solver",
        "",
        "| problem | groups | status | objective | best bound | gap | candidates |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for result in plan.problems:
        lines.append(
            f"| {result.problem} | {len(result.groups)} | {result.status} | {result.objective} | "
            f"{result.best_bound} | {result.gap:.2%} | {result.candidates} |"
        )
    if plan.failed:
        lines += ["", "## Problems not planned", ""]
        lines += [f"- {reason}" for reason in plan.failed]
        lines += ["", "Their groups have no posts this week; every other group is planned."]
    if plan.conflicts:
        lines += ["", "## Conflicts", ""] + [f"- {reason}" for reason in plan.conflicts]
    missing = _unplaced(ws, plan)
    lines += ["", "## Requested but not placed", ""]
    if missing:
        lines += ["| campaign | group | item | role | why |", "|---|---|---|---|---|", *missing]
    else:
        lines.append("Every item the campaigns request was placed.")
    by_group: dict[str, list[Post]] = defaultdict(list)
    for post in plan.posts:
        by_group[post.group].append(post)
    for group in sorted(ws.groups, key=lambda g: g.id):
        posts = by_group.get(group.id, [])
        lines += ["", f"## {group.name} ({group.id})", ""]
        lines += [
            "| day | stage | posts / per_day cap | in attention peaks | kinds |",
            "|---|---|---:|---:|---|",
        ]
        for offset in range(7):
            day = plan.week_start + timedelta(days=offset)
            stage = stage_on(group, day, book)
            todays = [p for p in posts if p.start.date() == day]
            if stage is None:
                lines.append(f"| {WEEKDAYS['en'][day.weekday()]} {day} | – | 0 / 0 | – | |")
                continue
            caps = resolve_caps(ws.rules.caps, group.type, stage, group.caps)
            peak = sum(_in_peak(ws, p, group) for p in todays)
            share = f"{peak}/{len(todays)}" if todays else "–"
            kinds = ", ".join(sorted({str(p.kind) for p in todays}))
            lines.append(
                f"| {WEEKDAYS['en'][day.weekday()]} {day} | {stage} | "
                f"{len(todays)} / {caps.per_day} | {share} | {kinds} |"
            )
    return "\n".join(lines) + "\n"
