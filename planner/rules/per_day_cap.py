"""per_day_cap: at most caps.per_day posts in a group on a day."""

from __future__ import annotations

from collections import Counter

from planner.rules.catalogue import Rule


def constrain(m) -> None:
    for (g, d), gd in sorted(m.problem.group_days.items()):
        slots = m.day_slots(g, d)
        if len(slots) > gd.caps.per_day:
            m.add(sum(slots) <= gd.caps.per_day, "per_day_cap", g, d)


def check(c) -> None:
    for group, posts in c.by_group.items():
        for day, count in sorted(Counter(c.local(p).date() for p in posts).items()):
            cap = c.caps(group, day).per_day
            if count > cap:
                c.add("per_day_cap", group, day, f"{count} posts, caps.per_day is {cap}")


def explain(x, guard) -> str:
    return x.cap_text(guard, ("per_day",))


RULE = Rule(
    name="per_day_cap",
    summary="At most caps.per_day posts in a group on a day.",
    settings=("caps.per_day",),
    constrain=constrain,
    check=check,
    explain=explain,
)
