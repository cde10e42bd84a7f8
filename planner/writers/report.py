"""report.md: per group and day, posts against caps and peaks; how each problem was solved."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from planner.plan import Plan, Post
from planner.rulepacks import peak_profile, resolve_caps
from planner.templates import WEEKDAYS
from planner.workspace import Workspace


def _in_peak(ws: Workspace, post: Post, group) -> bool:
    profile = peak_profile(ws.rules.peaks, group.type)
    day = post.start.date()
    peaks = profile.weekend if day.weekday() >= 5 else profile.weekday
    minute = post.start.hour * 60 + post.start.minute
    return any(peak.window.contains(minute) for peak in peaks)


def render_report(ws: Workspace, plan: Plan) -> str:
    lines = [
        f"# {plan.workspace}: week {plan.week} "
        f"({plan.week_start} – {plan.week_start + timedelta(days=6)})",
        "",
    ]
    lines += [f"{len(plan.posts)} posts in {len({p.group for p in plan.posts})} groups.", ""]
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
    if plan.conflicts:
        lines += ["", "## Conflicts", ""] + [f"- {reason}" for reason in plan.conflicts]
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
            stage = group.stage_on(day)
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
