"""operator_daily_load: an operator posts at most max_posts_per_day on any of their days,
across all their groups (planner.yaml's operators.<id>, else the caps pack's `operator`;
neither sets it: no limit). A day is the operator's own, in their time zone."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner.rules.catalogue import Rule
from planner.rules.operator_capacity import capacity


def day_starts(problem) -> list[int]:
    """Where the operator's days -1..8 of the week begin, in the problem's absolute minutes."""
    zone = ZoneInfo(problem.operator_zone)
    epoch = datetime.combine(problem.week_start, time(0, 0), tzinfo=UTC)
    midnights = (
        datetime.combine(problem.week_start + timedelta(days=k), time(0, 0), tzinfo=zone)
        for k in range(-1, 9)
    )
    return [int((m - epoch).total_seconds() // 60) for m in midnights]


def operator_day(starts: list[int], minute: int) -> int:
    """The operator's day of an absolute minute: 0 is the week's Monday."""
    return bisect_right(starts, minute) - 2


def fits(problem, placements) -> bool:
    """Do these posts keep the operator's max_posts_per_day? (The solver's test of whether
    its groups' own plans may stand together.)"""
    limit = problem.operator.max_posts_per_day
    if limit is None:
        return True
    starts = day_starts(problem)
    days = Counter(
        operator_day(starts, problem.absolute_minute(p.group, p.day, p.slot)) for p in placements
    )
    return max(days.values(), default=0) <= limit


def constrain(m) -> None:
    problem = m.problem
    limit = problem.operator.max_posts_per_day
    if limit is None:
        return
    starts = day_starts(problem)
    by_day: dict[int, list] = defaultdict(list)
    for (g, t), var in m.y.items():
        by_day[operator_day(starts, problem.absolute_minute(g, t // m.S, t % m.S))].append(var)
    taken = Counter()  # posts the operator's other groups already hold (sequential pass)
    for slot, count in problem.taken.items():
        taken[operator_day(starts, slot * problem.slot_minutes)] += count
    for day, posts in sorted(by_day.items()):
        room = limit - taken[day]
        if len(posts) > room:
            m.add(sum(posts) <= max(room, 0), "operator_daily_load", -1, None, (day,))


def check(c) -> None:
    by_operator: dict[str, Counter] = defaultdict(Counter)
    for group, posts in c.by_group.items():
        operator = c.groups[group].operator
        zone = ZoneInfo(c.ws.settings.operator_zone(operator))
        by_operator[operator].update(p.start.astimezone(zone).date() for p in posts)
    for operator, days in sorted(by_operator.items()):
        limit = capacity(c.ws, operator).max_posts_per_day
        for day, count in sorted(days.items()):
            if limit is not None and count > limit:
                message = f"{count} posts on the operator's day, max_posts_per_day is {limit}"
                c.add("operator_daily_load", f"(operator {operator})", day, message)


def explain(x, guard) -> str:
    limit = x.problem.operator.max_posts_per_day
    source = x.sources.operator(x.problem.id, "max_posts_per_day")
    return f"at most {limit} posts a day across their groups ({source})"


RULE = Rule(
    name="operator_daily_load",
    summary="An operator posts at most max_posts_per_day on any of their days.",
    settings=("operators.<id>.max_posts_per_day", "caps.operator.max_posts_per_day"),
    constrain=constrain,
    check=check,
    explain=explain,
)
