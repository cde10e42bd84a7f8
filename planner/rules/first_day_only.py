"""first_day_only: an item marked `first_day_only` (the built-in 建群介绍, "send it on the
day the group is set up") goes out only on a group's first day: the first day of its stage
timeline. It was posted on a new group's second and third days."""

from __future__ import annotations

from datetime import date, timedelta

from planner.campaigns.timeline import stage_on
from planner.rules.catalogue import Rule


def is_first_day(group, day: date, book) -> bool:
    """`day` is the group's first day with a stage (the day before it had none)."""
    today = stage_on(group, day, book)
    return today is not None and stage_on(group, day - timedelta(days=1), book) is None


def admits(f, item, gd) -> bool:
    return not item.first_day_only or is_first_day(f.group, gd.date, f.book)


def check(c) -> None:
    for post, group, item, start in c.each_post():
        if item.first_day_only and not is_first_day(group, start.date(), c.book):
            c.add(
                "first_day_only", post, start, f"item {item.id} goes only on the group's first day"
            )


def refuses(x, item, gd) -> str:
    source = x.sources.item(item.id, "first_day_only")
    return f"{item.id} goes only on a group's first day ({source})"


def explain(x, guard) -> str:
    return refuses(x, x.items[guard.detail[0]], x.group_day(guard))


RULE = Rule(
    name="first_day_only",
    summary="An item marked first_day_only goes out only on a group's first day.",
    settings=("item first_day_only",),
    admits=admits,
    refuses=refuses,
    level="day",
    check=check,
    explain=explain,
)
