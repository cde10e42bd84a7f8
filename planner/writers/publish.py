"""Write a week's outputs into OUT/<ISO week>/ through one safe publish.

calendar.ics (whole week), operators/<operator>.ics and groups/<group>.ics,
scripts/<group>.md, operators/<operator>.md, index.html, images/, plan.json and
report.md: written together into a staging folder, then moved into place.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from planner.library import image_file
from planner.plan import Plan
from planner.workspace import Workspace
from planner.writers.html import render_index
from planner.writers.ical import render_calendar, render_index_calendar, whole_calendar_is_index
from planner.writers.output import OutputFolder
from planner.writers.report import render_report
from planner.writers.scripts import (
    image_target,
    operator_name,
    render_group_scripts,
    render_operator_sheets,
)


def plan_json(plan: Plan) -> str:
    return plan.model_dump_json(indent=2) + "\n"


def calendars(ws: Workspace, plan: Plan) -> dict[str, bytes]:
    """The week's, each operator's and each group's calendar, in one pass over the posts."""
    names = {g.id: g.name for g in ws.groups}
    settings = ws.settings
    by_operator: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    by_group: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for kept, posts in enumerate((plan.posts, plan.cancelled)):
        for post in posts:
            by_operator[post.operator][kept].append(post)
            by_group[post.group][kept].append(post)

    def one(posts, cancelled, title: str) -> bytes:
        return render_calendar(
            plan, posts, cancelled, names, title, settings.alarm_minutes, settings.locale
        )

    operators = sorted({g.operator for g in ws.groups})
    week_title = f"{settings.name} {plan.week}"
    if whole_calendar_is_index(plan, settings):
        counts = {op: len(by_operator[op][0]) for op in operators}
        out = {"calendar.ics": render_index_calendar(plan, counts, week_title)}
    else:
        out = {"calendar.ics": one(plan.posts, plan.cancelled, week_title)}
    for operator in operators:
        out[f"operators/{operator}.ics"] = one(
            *by_operator[operator], f"{week_title} · {operator_name(ws, operator)}"
        )
    for group in sorted(ws.groups, key=lambda g: g.id):
        out[f"groups/{group.id}.ics"] = one(*by_group[group.id], f"{group.name} {plan.week}")
    return out


def images(ws: Workspace, plan: Plan) -> dict[str, bytes]:
    """The images the week's posts send first, copied next to the scripts."""
    out = {}
    for item_id in sorted({p.item for p in plan.posts if p.image}):
        source = image_file(ws.items[item_id])
        if source is not None:
            out[image_target(ws.items[item_id].image or "")] = source.read_bytes()
    return out


def write_week(ws: Workspace, plan: Plan, out: Path) -> Path:
    folder = OutputFolder(out / plan.week)
    for name, data in calendars(ws, plan).items():
        folder.add(name, data)
    for name, text in {
        **render_group_scripts(ws, plan),
        **render_operator_sheets(ws, plan),
    }.items():
        folder.add(name, text)
    for name, data in images(ws, plan).items():
        folder.add(name, data)
    folder.add("index.html", render_index(ws, plan))
    folder.add("plan.json", plan_json(plan))
    folder.add("report.md", render_report(ws, plan))
    folder.publish()
    return folder.target
