"""quiet_hours: nothing is posted inside a group's quiet hours."""

from __future__ import annotations

from planner.rules.catalogue import Rule


def quiet(gd, minute: int) -> bool:
    return gd.caps.quiet_hours is not None and gd.caps.quiet_hours.contains(minute)


def admits(f, item, gd, minute: int, when) -> bool:
    return not quiet(gd, minute)


def check(c) -> None:
    for post, _, _, start in c.each_post():
        quiet_hours = c.caps(post.group, start.date()).quiet_hours
        if quiet_hours is not None and quiet_hours.contains(start.hour * 60 + start.minute):
            c.add("quiet_hours", post, start, f"{start:%H:%M} is inside quiet hours {quiet_hours}")


def source(x, gd) -> str:
    return x.sources.caps(x.group_of(gd).id, str(gd.stage), ("quiet_hours",))


def refuses(x, item, gd) -> str:
    if gd.caps.quiet_hours is None:
        return "no slot of the window is open"
    return f"caps.quiet_hours is {gd.caps.quiet_hours} ({source(x, gd)})"


def explain(x, guard) -> str:
    gd = x.group_day(guard)
    return f"caps.quiet_hours is {gd.caps.quiet_hours} ({source(x, gd)})"


RULE = Rule(
    name="quiet_hours",
    summary="Nothing is posted inside a group's quiet hours.",
    settings=("caps.quiet_hours",),
    admits=admits,
    refuses=refuses,
    level="slot",
    check=check,
    explain=explain,
)
