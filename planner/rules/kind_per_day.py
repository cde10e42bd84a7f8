"""kind_per_day: per-kind limits a day (red packets are rare)."""

from __future__ import annotations

from collections import Counter

from planner.rules.catalogue import Rule


def constrain(m) -> None:
    for (g, d, kind), ns in sorted(m.by_kind().items()):
        limit = m.problem.group_days[(g, d)].caps.kinds.get(kind)
        if limit and limit.per_day is not None and len(ns) > limit.per_day:
            m.add(sum(m.z[n] for n in ns) <= limit.per_day, "kind_per_day", g, d, (kind,))


def check(c) -> None:
    for group, posts in c.by_group.items():
        per_day = Counter((c.local(p).date(), c.ws.items[p.item].kind) for p in posts)
        for (day, kind), count in sorted(per_day.items()):
            limit = c.caps(group, day).kinds.get(kind)
            if limit and limit.per_day is not None and count > limit.per_day:
                message = f"{count} {kind} posts, the limit is {limit.per_day}"
                c.add("kind_per_day", group, day, message)


def explain(x, guard) -> str:
    return x.cap_text(guard, ("kinds", guard.detail[0], "per_day"))


RULE = Rule(
    name="kind_per_day",
    summary="At most caps.kinds.<kind>.per_day posts of a kind in a group on a day.",
    settings=("caps.kinds.<kind>.per_day",),
    constrain=constrain,
    check=check,
    explain=explain,
)
