"""Write a week's outputs into OUT/<ISO week>/ through one safe publish.

Each operator's files (operators/<operator>.ics and .md, and their groups'
groups/<group>.ics and scripts/<group>.md) are rendered from the operator's share
of the week alone, by the worker that planned it (render_share), and streamed into
the staging folder as problems finish. The whole-week files (calendar.ics,
index.html, images/, plan.json, report.md) follow at the end; then everything is
moved into place at once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from planner.library import image_file
from planner.plan import Plan, Post
from planner.playbooks import Playbook, playbook
from planner.revisions import owner
from planner.workspace import Workspace
from planner.writers.html import index_section, render_index
from planner.writers.ical import render_calendar, render_index_calendar, whole_calendar_is_index
from planner.writers.output import OutputFolder
from planner.writers.report import render_report
from planner.writers.scripts import (
    image_target,
    operator_name,
    render_group_scripts,
    render_operator_sheets,
)


@dataclass
class Rendered:
    """One operator's files, and their groups' sections of index.html."""

    files: dict[str, bytes] = field(default_factory=dict)
    sections: list[dict] = field(default_factory=list)


def plan_json(plan: Plan) -> str:
    return plan.model_dump_json(indent=2) + "\n"


def render_share(
    ws: Workspace, share: Plan, operator: str, groups: tuple[str, ...], book: Playbook | None
) -> Rendered:
    """An operator's calendar and run sheet and their groups' calendars and scripts, from
    `share`: the week's plan restricted to those groups (posts with their sequences)."""
    settings = ws.settings
    names = {g: ws.group(g).name for g in groups}
    by_group: dict[str, tuple[list[Post], list[Post]]] = defaultdict(lambda: ([], []))
    for kept, posts in enumerate((share.posts, share.cancelled)):
        for post in posts:
            by_group[post.group][kept].append(post)

    def one(posts, cancelled, title: str) -> bytes:
        return render_calendar(
            share, posts, cancelled, names, title, settings.alarm_minutes, settings.locale
        )

    week_title = f"{settings.name} {share.week}"
    files = {
        f"operators/{operator}.ics": one(
            share.posts, share.cancelled, f"{week_title} · {operator_name(ws, operator)}"
        )
    }
    for group in sorted(groups):
        files[f"groups/{group}.ics"] = one(*by_group[group], f"{names[group]} {share.week}")
    scripts = render_group_scripts(ws, share, groups, book)
    sheets = render_operator_sheets(ws, share, [operator])
    for name, text in {**scripts, **sheets}.items():
        files[name] = text.encode("utf-8")
    sections = [index_section(ws, g, scripts[f"scripts/{g}.md"]) for g in sorted(groups)]
    return Rendered(files, sections)


def shares(ws: Workspace, plan: Plan) -> dict[str, Plan]:
    """Each operator's share of a whole plan, in one pass over its posts; a cancelled post
    goes to the operator who answers for it now (revisions.owner), as in the workers."""
    posts: dict[str, list[Post]] = defaultdict(list)
    cancelled: dict[str, list[Post]] = defaultdict(list)
    for post in plan.posts:
        posts[post.operator].append(post)
    for post in plan.cancelled:
        cancelled[owner(ws, post)].append(post)
    follow_ups = defaultdict(list)
    for follow in plan.follow_ups:
        follow_ups[follow.operator].append(follow)
    problems = {r.problem: r for r in plan.problems}
    return {
        operator: plan.model_copy(
            update={
                "posts": posts[operator],
                "cancelled": cancelled[operator],
                "follow_ups": follow_ups[operator],
                "problems": [problems[operator]] if operator in problems else [],
                "conflicts": [],
                "failed": [],
            }
        )
        for operator in ws.operators()
    }


def week_calendar(ws: Workspace, plan: Plan) -> bytes:
    """calendar.ics: the whole week, or past whole_calendar_max_posts an index of operators."""
    settings = ws.settings
    title = f"{settings.name} {plan.week}"
    if whole_calendar_is_index(plan, settings):
        counts = Counter(p.operator for p in plan.posts)
        return render_index_calendar(plan, {op: counts[op] for op in ws.operators()}, title)
    names = {g.id: g.name for g in ws.groups}
    return render_calendar(
        plan, plan.posts, plan.cancelled, names, title, settings.alarm_minutes, settings.locale
    )


def images(ws: Workspace, plan: Plan) -> dict[str, bytes]:
    """The images the week's posts send first, copied next to the scripts."""
    out = {}
    for item_id in sorted({p.item for p in plan.posts if p.image}):
        source = image_file(ws.items[item_id])
        if source is not None:
            out[image_target(ws.items[item_id].image or "")] = source.read_bytes()
    return out


def write_week(
    ws: Workspace,
    plan: Plan,
    out: Path,
    folder: OutputFolder | None = None,
    sections: list[dict] | None = None,
) -> Path:
    """Publish the week. `folder` and `sections`: what the workers' rendered shares already
    put into staging (planner plan streams them); without them every share is rendered here."""
    folder = folder or OutputFolder(out / plan.week)
    with folder:
        if sections is None:
            sections = []
            book = playbook(ws, plan.week_start)
            by_operator = shares(ws, plan)
            for operator, groups in ws.operators().items():
                rendered = render_share(ws, by_operator[operator], operator, groups, book)
                for name, data in rendered.files.items():
                    folder.add(name, data)
                sections += rendered.sections
        folder.add("calendar.ics", week_calendar(ws, plan))
        for name, data in images(ws, plan).items():
            folder.add(name, data)
        folder.add("index.html", render_index(ws, plan, sections))
        folder.add("plan.json", plan_json(plan))
        folder.add("report.md", render_report(ws, plan))
        folder.publish()
    return folder.target
