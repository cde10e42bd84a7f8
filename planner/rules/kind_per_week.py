"""kind_per_week: per-kind limits a week, the tightest limit among the days the group has a
stage (a day before the group starts or after it is dissolved sets no limit)."""

from __future__ import annotations

from collections import Counter, defaultdict

from planner.rules.catalogue import Rule


def week_limit(limits_by_day) -> int | None:
    """The tightest per-week limit over the days that have one."""
    limits = [limit for limit in limits_by_day if limit is not None]
    return min(limits) if limits else None


def _limits(gd, kind: str):
    if gd.stage is None:
        return None
    limit = gd.caps.kinds.get(kind)
    return limit.per_week if limit is not None else None


def constrain(m) -> None:
    week: dict[tuple[int, str], list[int]] = defaultdict(list)
    for (g, _, kind), ns in m.by_kind().items():
        week[(g, kind)].extend(ns)
    for (g, kind), ns in sorted(week.items()):
        days = [m.problem.group_days[(g, d)] for d in range(7) if (g, d) in m.problem.group_days]
        limit = week_limit(_limits(gd, kind) for gd in days)
        if limit is not None and len(ns) > limit:
            m.add(sum(m.z[n] for n in ns) <= limit, "kind_per_week", g, None, (kind,))


def check(c) -> None:
    for group_id, posts in c.by_group.items():
        group = c.groups[group_id]
        for kind, count in sorted(Counter(c.ws.items[p.item].kind for p in posts).items()):
            limits = [
                c.caps(group_id, day).kinds.get(kind)
                for day in c.days
                if c.stage(group, day) is not None
            ]
            limit = week_limit(each.per_week if each else None for each in limits)
            if limit is not None and count > limit:
                message = f"{count} {kind} posts, the weekly limit is {limit}"
                c.add("kind_per_week", group_id, c.plan.week, message)


def explain(x, guard) -> str:
    kind = guard.detail[0]
    days = [x.problem.group_days[(guard.group, d)] for d in range(7)]
    tight = min(
        (gd for gd in days if _limits(gd, kind) is not None), key=lambda gd: _limits(gd, kind)
    )
    group = x.problem.groups[guard.group].id
    source = x.sources.caps(group, str(tight.stage), ("kinds", kind, "per_week"))
    return f"caps.kinds.{kind}.per_week is {_limits(tight, kind)} ({source})"


RULE = Rule(
    name="kind_per_week",
    summary="At most caps.kinds.<kind>.per_week posts of a kind in a group in a week.",
    settings=("caps.kinds.<kind>.per_week",),
    constrain=constrain,
    check=check,
    explain=explain,
)
