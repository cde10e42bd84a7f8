"""Markdown posting scripts: one per group (its week, day by day) and one per operator (run sheet).

Written from Jinja2 templates shipped in the package; a workspace may override
them with its own `templates/group.md.j2` and `templates/operator.md.j2`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

import jinja2

from planner.plan import Plan, Post
from planner.workspace.load import Workspace
from planner.workspace.sandbox import BoundedEnvironment, bounded
from planner.writers.labels import LABELS, WEEKDAY_NAMES, hours_label, kind_name, stage_name
from planner.writers.load import by_operator_day

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def environment(workspace_root: Path | None) -> BoundedEnvironment:
    """Templates from the workspace's templates/ first, then the built-in ones."""
    loaders: list[jinja2.BaseLoader] = []
    if workspace_root is not None and (workspace_root / "templates").is_dir():
        loaders.append(jinja2.FileSystemLoader(workspace_root / "templates"))
    loaders.append(jinja2.FileSystemLoader(TEMPLATE_DIR))
    env = bounded(
        BoundedEnvironment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # Markdown, not HTML: user text goes through the md filter
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
    )
    env.filters["md"] = md_text
    return env


POST_FENCE_INFO = "post"  # the page gives a copy button to these blocks only


def fence(text: str) -> str:
    """A fenced block longer than any backtick run inside, so the text is copied verbatim."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    marks = "`" * max(3, longest + 1)
    return f"{marks}{POST_FENCE_INFO}\n{text}\n{marks}"


_INLINE_MARKUP = re.compile(r"([\\`*_\[\]|])")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_BLOCK_START = re.compile(r"^(#+|>|[-+])")
_TRAILING_HASHES = re.compile(r"(#+)$")


def _md_line(line: str) -> str:
    line = line.strip()
    line = _ENTITY_LIKE.sub("&amp;", line).replace("<", "&lt;")
    line = _INLINE_MARKUP.sub(r"\\\1", line)
    line = _TRAILING_HASHES.sub(lambda m: "\\#" * len(m.group(1)), line)
    if line.startswith("="):  # a setext underline; '\\=' is no Markdown escape
        return "&#61;" + line[1:]
    if line.startswith("~"):  # a fence opener; '\\~' is no Markdown escape
        return "&#126;" + line[1:]
    number = re.match(r"\d+([.)])(?=\s|$)", line)
    if number:  # '1. ' would start a list: escape the dot
        return line[: number.end(1) - 1] + "\\" + line[number.end(1) - 1 :]
    return _BLOCK_START.sub(lambda m: "".join("\\" + c for c in m.group(1)), line)


def md_text(text: str, continuation: str | None = None) -> str:
    """Plain workspace text as Markdown that renders as exactly that text.

    Titles, names, notes and atmosphere lines are the user's words, not markup: a
    stray ``` or four-space indent in a note must not open a code block (which the
    page would give a copy button), nor raw HTML reach the page. Lines are joined
    with a space, or with a hard break and `continuation` (the prefix that keeps
    them inside a quote or list item).
    """
    lines = [_md_line(line) for line in str(text).splitlines()] or [""]
    if continuation is None:
        return " ".join(line for line in lines if line)
    return ("  \n" + continuation).join(lines)


def image_path(image: str) -> str:
    """Scripts live one folder below the week, images in the week's images/ folder."""
    return "../" + image_target(image)


def image_target(image: str) -> str:
    name = image.replace("\\", "/").lstrip("/")
    return name if name.startswith("images/") else f"images/{name}"


def _days(ws: Workspace, plan: Plan, posts: list[Post], stage_of=None) -> list[dict]:
    locale = ws.settings.locale
    out = []
    for offset in range(7):
        day = plan.week_start + timedelta(days=offset)
        todays = [p for p in posts if p.start.date() == day]
        label = f"{WEEKDAY_NAMES[locale][day.weekday()]} {day.isoformat()}"
        stage = stage_of(day) if stage_of else None
        out.append(
            {
                "date": day,
                "label": label,
                "posts": todays,
                "stage": stage_name(locale, stage) if stage else "",
                "groups": sorted({ws.group(p.group).name for p in todays}),
            }
        )
    return out


def _context(ws: Workspace, plan: Plan) -> dict:
    locale = ws.settings.locale
    names = {campaign.id: campaign.name for campaign in ws.campaigns}
    return {
        "plan": plan,
        "t": LABELS[locale],
        "week_end": plan.week_start + timedelta(days=6),
        "fence": fence,
        "image_path": image_path,
        # the plan's own groups only: an operator's share must not cost a pass over all
        "group_names": {
            g: ws.group(g).name for g in {p.group for p in [*plan.posts, *plan.follow_ups]}
        },
        "stage_name": lambda stage: stage_name(locale, stage),
        "kind_name": lambda kind: kind_name(locale, kind),
        # the campaign's name as the user wrote it (an implicit dissolve keeps its id)
        "campaign_name": lambda campaign: names.get(campaign, campaign),
    }


def operator_name(ws: Workspace, operator: str) -> str:
    own = ws.settings.operators.get(operator)
    return own.name if own and own.name else operator


def render_group_scripts(ws: Workspace, plan: Plan, groups: Iterable[str]) -> dict[str, str]:
    """scripts/<group>.md for each of `groups`, also those without posts this week, each day
    with the group's stage as the plan's group-days hold it."""
    env = environment(ws.root)
    template = env.get_template("group.md.j2")
    by_group: dict[str, list[Post]] = defaultdict(list)
    for post in plan.posts:
        by_group[post.group].append(post)
    stages = {(day.group, day.date): day.stage for day in plan.days}
    out = {}
    context = _context(ws, plan)
    for group in map(ws.group, sorted(groups)):
        posts = by_group.get(group.id, [])
        out[f"scripts/{group.id}.md"] = template.render(
            **context,
            group=group,
            posts=posts,
            operator_name=operator_name(ws, group.operator),
            days=_days(ws, plan, posts, lambda day, g=group.id: stages.get((g, day))),
        )
    return out


def render_operator_sheets(ws: Workspace, plan: Plan, operators: Iterable[str]) -> dict[str, str]:
    """operators/<operator>.md: every post of one operator across groups, in time order."""
    env = environment(ws.root)
    template = env.get_template("operator.md.j2")
    by_operator: dict[str, list[Post]] = defaultdict(list)
    for post in plan.posts:
        by_operator[post.operator].append(post)
    follow_ups: dict[str, list] = defaultdict(list)
    for follow in plan.follow_ups:
        follow_ups[follow.operator].append(follow)
    context = _context(ws, plan)
    out = {}
    for operator in sorted(operators):
        posts = sorted(by_operator.get(operator, []), key=lambda p: (p.start, p.group))
        out[f"operators/{operator}.md"] = template.render(
            **context,
            operator=operator,
            operator_name=operator_name(ws, operator),
            posts=posts,
            follow_ups=follow_ups[operator],
            days=_days(ws, plan, posts),
            **_load(ws, plan, operator, posts),
        )
    return out


def _load(ws: Workspace, plan: Plan, operator: str, posts: list[Post]) -> dict:
    """The run sheet's load table: posts per day on the operator's own days (as their
    max_posts_per_day counts them), and their hours and daily limit from planner.yaml."""
    own = ws.settings.operators.get(operator)
    limit = own.max_posts_per_day if own else None
    rows = []
    for offset, todays in enumerate(by_operator_day(ws, operator, plan.week_start, posts)):
        day = plan.week_start + timedelta(days=offset)
        rows.append(
            {
                "label": f"{WEEKDAY_NAMES[ws.settings.locale][day.weekday()]} {day.isoformat()}",
                "count": f"{len(todays)} / {limit}" if limit else str(len(todays)),
                "groups": sorted({ws.group(p.group).name for p in todays}),
            }
        )
    hours = hours_label(ws.settings.locale, own.hours) if own and own.hours else ""
    return {"load": rows, "daily_limit": limit, "hours": hours}
