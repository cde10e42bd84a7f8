"""per_hour_cap: at most caps.per_hour posts in any 60 minutes of a group, across midnight."""

from __future__ import annotations

from datetime import timedelta

from planner.rules.catalogue import Rule


def constrain(m) -> None:
    length = m.slots_for(60)
    for g in range(len(m.problem.groups)):
        for t, window in m.windows(g, length):
            cap = m.problem.group_days[(g, t // m.S)].caps.per_hour
            if len(window) > cap:
                m.add(sum(window) <= cap, "per_hour_cap", g, t // m.S)


def check(c) -> None:
    for group, posts in c.by_group.items():
        starts = [c.local(p) for p in posts]
        for i, first in enumerate(starts):
            cap = c.caps(group, first.date()).per_hour
            inside = sum(1 for other in starts[i:] if other - first < timedelta(minutes=60))
            if inside > cap:
                message = f"{inside} posts within 60 minutes, caps.per_hour is {cap}"
                c.add("per_hour_cap", posts[i], first, message)


def explain(x, guard) -> str:
    return x.cap_text(guard, ("per_hour",))


RULE = Rule(
    name="per_hour_cap",
    summary="At most caps.per_hour posts in any 60 minutes of a group, across midnight too.",
    settings=("caps.per_hour",),
    constrain=constrain,
    check=check,
    explain=explain,
)
