"""Write a week's outputs into OUT/<ISO week>/ through one safe publish.

Each operator's files (operators/<operator>.ics, .md and .html, and their groups'
groups/<group>.ics, scripts/<group>.md and plans/<group>.json) and their pieces of the
week's own files are rendered from the operator's share of the week alone, by the
worker that planned it (render_share), and streamed into the staging folder as
problems finish. The week's own files (calendar.ics, index.html, images/, plan.json,
report.md) are assembled from the pieces at the end (week_files); then everything is
moved into place at once.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from planner.plan import GroupWeek, Plan, Post
from planner.workspace.load import Workspace
from planner.writers.attention import attention_file, attention_pictures, inline
from planner.writers.grid import group_grid_file, operator_grid_file, week_grids
from planner.writers.html import index_section, operator_sections, render_index
from planner.writers.imports import share_calendars
from planner.writers.output import OutputFolder
from planner.writers.report import report_pieces
from planner.writers.scripts import operator_name, render_group_scripts, render_operator_sheets
from planner.writers.timeline import timeline
from planner.writers.week_files import (
    STREAMED,
    Tally,
    UnitFiles,
    WeekFiles,
    group_week,
    json_items,
    plans_file,
)


def render_share(
    ws: Workspace, share: Plan, operator: str, groups: tuple[str, ...], group_grids: bool = True
) -> UnitFiles:
    """An operator's calendar and run sheet, their groups' calendars and scripts, the
    week's grids, and their pieces of plan.json, report.md and index.html, from `share`:
    the week's plan restricted to those groups (posts with their sequences)."""
    names = {g: ws.group(g).name for g in groups}
    by_group: dict[str, tuple[list[Post], list[Post]]] = defaultdict(lambda: ([], []))
    for kept, posts in enumerate((share.posts, share.cancelled)):
        for post in posts:
            by_group[post.group][kept].append(post)
    files = share_calendars(ws, share, operator, names, by_group)
    calendars = tuple(f for f in files if f.startswith("operators/"))
    scripts = render_group_scripts(ws, share, groups)
    sheets = render_operator_sheets(ws, share, [operator])
    for name, text in {**scripts, **sheets}.items():
        files[name] = text.encode("utf-8")
    for group in sorted(groups):
        files[plans_file(group)] = group_week(group, share.week, *by_group[group])
    # cancelled posts of groups no longer in the workspace: their plans files are the driver's
    left = [
        GroupWeek(group=group, week=share.week, posts=posts, cancelled=cancelled)
        for group, (posts, cancelled) in by_group.items()
        if group not in names
    ]
    pictures = attention_pictures(share, groups)
    files.update({attention_file(g): svg.encode("utf-8") for g, svg in pictures.items()})
    files.update(week_grids(ws, share, operator, groups if group_grids else ()))
    sections = [index_section(ws, g, scripts[f"scripts/{g}.md"]) for g in sorted(groups)]
    for section in sections if group_grids else ():
        section["grid"] = group_grid_file(section["id"])
    mine = [inline(s, pictures) for s in operator_sections(ws, sections, scripts)]
    sections = [inline(s, pictures) for s in sections]
    page = render_index(
        ws,
        share.week,
        mine,
        operator_name(ws, operator),
        timeline(ws, share, operator),
        [operator_grid_file(operator)],
    )
    files[f"operators/{operator}.html"] = "".join(page).encode("utf-8")
    pieces = {piece: json_items(getattr(share, key)) for key, piece in STREAMED.items()}
    pieces["sections.jsonl"] = "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in sections)
    pieces.update(report_pieces(ws, share, groups))
    tally = Tally.of(ws, operator, share)
    tally.imports = {operator: calendars}
    tally.calendar_bytes = sum(len(files[name]) for name in calendars)
    return UnitFiles(files, pieces, tally, left)


def owner(ws: Workspace, post: Post) -> str:
    """The operator whose calendar carries a post of an earlier run: its group's operator
    now, or, for a group no longer in the workspace, the operator who posted it."""
    try:
        return ws.group(post.group).operator
    except KeyError:
        return post.operator


def shares(ws: Workspace, plan: Plan) -> dict[str, Plan]:
    """Each operator's share of a whole plan, in one pass over each of its lists; a cancelled
    post goes to the operator who answers for it now (owner), as in the workers."""
    by_operator: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for post in plan.posts:
        by_operator[post.operator]["posts"].append(post)
    for post in plan.cancelled:
        by_operator[owner(ws, post)]["cancelled"].append(post)
    for follow in plan.follow_ups:
        by_operator[follow.operator]["follow_ups"].append(follow)
    for key in ("days", "unplaced"):
        for fact in getattr(plan, key):
            by_operator[ws.group(fact.group).operator][key].append(fact)
    problems = {r.problem: r for r in plan.problems}
    lists = ("posts", "cancelled", "follow_ups", "days", "unplaced")
    return {
        operator: plan.model_copy(
            update={
                **{key: by_operator[operator][key] for key in lists},
                "problems": [problems[operator]] if operator in problems else [],
                "conflicts": [],
                "failed": [],
                "warnings": [],
            }
        )
        for operator in ws.operators()
    }


def header_of(ws: Workspace, plan: Plan) -> Plan:
    """The week without the lists the operators' pieces carry; what is left of `cancelled`
    belongs to operators who have no group left."""
    operators = ws.operators()
    return plan.model_copy(
        update={
            "posts": [],
            "follow_ups": [],
            "days": [],
            "unplaced": [],
            "cancelled": [p for p in plan.cancelled if owner(ws, p) not in operators],
        }
    )


def write_week(ws: Workspace, plan: Plan, out: Path) -> Path:
    """Publish a whole plan's week (`planner plan` streams it instead: week_run)."""
    folder = OutputFolder(out / plan.week)
    with folder:
        files = WeekFiles(folder)
        by_operator = shares(ws, plan)
        for operator, groups in ws.operators().items():
            rendered = render_share(ws, by_operator[operator], operator, groups)
            files.add(operator, rendered)
        files.write(ws, header_of(ws, plan))
        folder.publish()
    return folder.target
