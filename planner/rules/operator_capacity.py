"""operator_capacity: an operator posts at most max_posts in any window_minutes across all
their groups (planner.yaml's operators.<id>, else the caps pack's `operator`)."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from datetime import timedelta

from planner.models.rules import OperatorCapacity
from planner.rules.catalogue import Rule


def capacity(ws, operator: str) -> OperatorCapacity:
    """The operator's own figures where planner.yaml gives them, the rule pack's otherwise."""
    default = ws.rules.caps.operator
    own = ws.settings.operators.get(operator)
    if own is None:
        return default
    return OperatorCapacity(
        max_posts=own.max_posts or default.max_posts,
        window_minutes=own.window_minutes or default.window_minutes,
        max_posts_per_day=own.max_posts_per_day or default.max_posts_per_day,
    )


def constrain(m) -> None:
    problem = m.problem
    cap = problem.operator
    taken = problem.taken  # posts the operator's other groups already hold (sequential pass)
    length = m.slots_for(cap.window_minutes)
    if len(problem.groups) < 2 and not taken and cap.max_posts >= length:
        return
    by_abs: dict[int, list] = defaultdict(list)
    for (g, t), var in m.y.items():
        minute = problem.absolute_minute(g, t // m.S, t % m.S)
        by_abs[minute // problem.slot_minutes].append(var)
    starts = set(by_abs)
    if taken:  # a window may begin at another group's post, before this group's own slots
        starts = {u for t in by_abs for u in range(t - length + 1, t + 1)}
    for t in sorted(starts):
        window = [v for u in range(t, t + length) for v in by_abs.get(u, [])]
        room = cap.max_posts - sum(taken.get(u, 0) for u in range(t, t + length))
        if len(window) > room:
            m.add(sum(window) <= max(room, 0), "operator_capacity", -1, None, (t,))


def check(c) -> None:
    by_operator: dict[str, list] = defaultdict(list)
    for group, posts in c.by_group.items():
        by_operator[c.groups[group].operator].extend(posts)
    for operator, posts in sorted(by_operator.items()):
        cap = capacity(c.ws, operator)
        starts = sorted(p.start for p in posts)
        for i, first in enumerate(starts):
            inside = bisect_left(starts, first + timedelta(minutes=cap.window_minutes), lo=i) - i
            if inside > cap.max_posts:
                message = (
                    f"{inside} posts within {cap.window_minutes} minutes, "
                    f"the limit is {cap.max_posts}"
                )
                c.add("operator_capacity", f"(operator {operator})", first, message)


def explain(x, guard) -> str:
    cap = x.problem.operator
    operator = x.problem.id
    sources = sorted(
        {x.sources.operator(operator, "max_posts"), x.sources.operator(operator, "window_minutes")}
    )
    return (
        f"at most {cap.max_posts} posts in any {cap.window_minutes} minutes across their groups "
        f"({', '.join(sources)})"
    )


RULE = Rule(
    name="operator_capacity",
    summary="An operator posts at most max_posts in any window_minutes across their groups.",
    settings=("operators.<id>.max_posts", "operators.<id>.window_minutes", "caps.operator"),
    constrain=constrain,
    check=check,
    explain=explain,
)
