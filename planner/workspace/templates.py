"""Item bodies are Jinja2 templates, rendered in a sandbox where any undefined name is an error."""

from __future__ import annotations

import re
import traceback
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

import jinja2
from jinja2 import meta

from planner.models.groups import Group
from planner.models.items import ItemBase
from planner.workspace.relative_day import days_to, since_anchor, when_anchor
from planner.workspace.sandbox import ITEM_ENV, MAX_POST_CHARS, refused_syntax

RESERVED_NAMES = ("group", "item", "post", "campaign", "next_item")
WEEKDAYS = {
    "zh-CN": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


class TemplateProblem(Exception):
    """A template that cannot render: the message and the line inside the item file."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


@lru_cache(maxsize=4096)
def compile_body(body: str) -> jinja2.Template:
    return ITEM_ENV.from_string(body)


def group_context(group: Group) -> dict[str, Any]:
    return {
        "id": group.id,
        "name": group.name,
        "type": str(group.type),
        "members": group.members,
        "operator": group.operator,
        "tags": list(group.tags),
        "vars": dict(group.vars),
    }


def item_context(item: ItemBase | None) -> dict[str, Any] | None:
    if item is None:
        return None
    data = item.model_dump(exclude={"body", "source", "body_line"})
    data["kind"] = str(data["kind"])
    return data


def post_context(
    start: datetime,
    streak: int = 1,
    locale: str = "zh-CN",
    anchor: datetime | None = None,
    next_checkin: datetime | None = None,
) -> dict[str, Any]:
    """`anchor`: the campaign's moment the post leads up to, for `when_anchor`;
    `next_checkin`: the group's next check-in after this post, as planned (a rename notice
    that promised "明早 7:00" got its check-in at 08:00)."""
    day: date = start.date()
    clock: time = start.time()
    return {
        "date": day.isoformat(),
        "date_cn": f"{day.month}月{day.day}日",
        "time": f"{clock:%H:%M}",
        "weekday": WEEKDAYS.get(locale, WEEKDAYS["zh-CN"])[day.weekday()],
        "streak": streak,
        "when_anchor": when_anchor(start, anchor, locale),
        "since_anchor": since_anchor(start, anchor, locale),
        "days_to_anchor": days_to(start, anchor),
        "next_checkin": f"{next_checkin:%H:%M}" if next_checkin else "",
        "next_checkin_day": when_anchor(start, next_checkin, locale),
    }


def render_item(
    item: ItemBase,
    group: Group,
    post: dict[str, Any],
    campaign: dict[str, Any] | None = None,
    next_item: ItemBase | None = None,
) -> str:
    """The post text; raises TemplateProblem with the item file's line on any error."""
    try:
        template = compile_body(item.body)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(
            f"template syntax error: {exc.message}", item.body_line + (exc.lineno or 1) - 1
        ) from None
    refused = refused_syntax(item.body)
    if refused is not None:
        raise TemplateProblem(
            f"{refused[0]} is not available in item text", item.body_line + refused[1] - 1
        )
    scope = {name: value for name, value in group.vars.items() if name not in RESERVED_NAMES}
    missing = _missing_names(item.body, scope)
    if missing:
        name, line = missing[0]
        raise TemplateProblem(
            f"undefined variable '{name}'"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""),
            item.body_line + line - 1,
        )
    scope.update(
        group=group_context(group),
        item=item_context(item),
        post=post,
        campaign=campaign,
        next_item=item_context(next_item),
    )
    try:
        text = _bounded(template.generate(scope)).strip()
    except jinja2.TemplateError as exc:
        raise TemplateProblem(
            f"template error: {exc}", item.body_line + _template_line(exc) - 1
        ) from None
    except Exception as exc:  # a filter or method raised inside the sandbox
        raise TemplateProblem(
            f"template error: {type(exc).__name__}: {exc}", item.body_line + _template_line(exc) - 1
        ) from None
    if not text and item.body.strip():
        raise TemplateProblem("the text renders empty: a post needs words", item.body_line)
    return text


def _bounded(chunks) -> str:
    """The post's text, refused once it outgrows any post (a loop over a loop)."""
    out: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_POST_CHARS:
            raise jinja2.TemplateError(f"the text grows beyond {MAX_POST_CHARS:,} characters")
        out.append(chunk)
    return "".join(out)


@lru_cache(maxsize=4096)
def _undeclared(body: str) -> frozenset[str]:
    return frozenset(meta.find_undeclared_variables(ITEM_ENV.parse(body)))


def _missing_names(body: str, group_vars: dict[str, Any]) -> list[tuple[str, int]]:
    """Top-level names the template uses that nothing defines, with their template line.

    Names used only with a `default` filter are fine; Jinja's StrictUndefined allows those.
    """
    names = _undeclared(body)
    known = set(RESERVED_NAMES) | set(group_vars)
    out = []
    lines = body.splitlines()
    for name in sorted(names - known):
        pattern = re.compile(rf"\b{re.escape(name)}\b(?!\s*\|\s*default)")
        hits = [n for n, text in enumerate(lines, 1) if pattern.search(text)]
        if hits:
            out.append((name, hits[0]))
    return sorted(out, key=lambda pair: pair[1])


def _template_line(exc: BaseException) -> int:
    """The template line Jinja rewrote into the traceback (1 when it is not there)."""
    line = 1
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == "<template>" and frame.lineno:
            line = frame.lineno
    return line
