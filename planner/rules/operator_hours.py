"""operator_hours: no post goes out outside its operator's working hours (planner.yaml's
operators.<id>.hours, in the operator's time zone; without hours, any time)."""

from __future__ import annotations

from planner.rules.catalogue import Rule
from planner.rules.working_hours import WorkingHours, hours_text, working_hours


def admits(f, item, gd, minute: int, when) -> bool:
    return f.hours is None or f.hours.works_at(when)


def check(c) -> None:
    known: dict[str, WorkingHours | None] = {}
    for post, group, _, start in c.each_post():
        if group.operator not in known:
            known[group.operator] = working_hours(c.ws, group.operator)
        hours = known[group.operator]
        if hours is not None and not hours.works_at(post.start):
            day = post.start.astimezone(hours.zone).date()
            message = f"{start:%H:%M} is outside its hours: {hours_text(c.ws, hours, day)}"
            c.add("operator_hours", post, start, message)


def refuses(x, item, gd) -> str:
    hours = working_hours(x.ws, x.group_of(gd).operator)
    if hours is None:
        return "no slot of the window is open"
    return hours_text(x.ws, hours, gd.date)


def explain(x, guard) -> str:
    return refuses(x, None, x.group_day(guard))


RULE = Rule(
    name="operator_hours",
    summary="No post goes out outside its operator's working hours.",
    settings=("operators.<id>.hours", "operators.<id>.timezone", "rules/holidays/"),
    admits=admits,
    refuses=refuses,
    level="slot",
    check=check,
    explain=explain,
)
