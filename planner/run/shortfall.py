"""Weeks the library cannot fill: a group whose week has fewer posts of a kind than its
stage's mix asks for, because the items of that kind that may still go to it (after
`repeat`, cooldown_days, once_items_reuse_weeks and item_days_per_week, across weeks)
cannot give more. Worked out where the unit is planned, from the problem's candidates,
and said in report.md and on stderr, naming the group and the kinds to add items of; a
week that runs dry is otherwise only a lower objective."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from planner.plan import Post
from planner.rules.item_days import week_limit
from planner.rules.mix import mix_target
from planner.solver.problem import Problem

RULES = "repeat, cooldown_days, once_items_reuse_weeks, item_days_per_week"


def shortfalls(problem: Problem, posts: Iterable[Post]) -> list[str]:
    """One sentence per group with kinds under half the posts its mix asks for, that the
    library cannot give more of."""
    posted = Counter((post.group, str(post.kind)) for post in posts)
    open_days = {(c.group, c.day) for c in problem.candidates}
    item_days = candidate_days(problem)
    out = []
    for g, group in enumerate(problem.groups):
        days = [problem.group_days[(g, d)] for d in range(7)]
        asked = mix_asked(d for d in days if (g, d.day) in open_days)
        room = capacity(problem, item_days[g], days)
        short = [
            kind
            for kind in sorted(asked)
            # under half its share: a kind one or two posts shy is no news
            if posted[(group.id, kind)] * 2 < asked[kind] and room[kind] < asked[kind]
        ]
        if short:
            stages = ", ".join(sorted({str(gd.stage) for gd in days if gd.stage is not None}))
            got = ", ".join(f"{k} {posted[(group.id, k)]} of {asked[k]}" for k in short)
            out.append(
                f"group {group.id} ({group.name}) gets fewer posts this week than its stage "
                f"{stages} asks for in its mix ({got}): the library has no more items of "
                f"these kinds that may go to it under the repeat rules ({RULES}); add "
                f"{', '.join(short)} items for it"
            )
    return out


def mix_asked(days) -> Counter[str]:
    """kind -> the posts the stage's mix asks for over the days the group can have posts
    (not an operator's day off or a no_posts day), each day's within its kind's cap."""
    asked: Counter[str] = Counter()
    for gd in days:
        if gd.stage is None:
            continue
        for kind, share in gd.mix.items():
            if kind in gd.openers_once:  # one on the first day, none after: not a shortfall
                continue
            limit = gd.caps.kinds.get(kind)
            cap = limit.per_day if limit is not None and limit.per_day is not None else None
            target = mix_target(share, gd.caps.per_day)
            asked[str(kind)] += target if cap is None else min(target, cap)
    return asked


def candidate_days(problem: Problem) -> dict[int, dict[str, set[int]]]:
    """group -> item -> the days it is a candidate on, in one pass over the candidates
    (one pass per group took 6.5 s at 200 groups of one operator)."""
    item_days: dict[int, dict[str, set[int]]] = {g: {} for g in range(len(problem.groups))}
    for c in problem.candidates:
        item_days[c.group].setdefault(c.item, set()).add(c.day)
    return item_days


def capacity(problem: Problem, item_days: dict[str, set[int]], days) -> Counter[str]:
    """kind -> the most posts the group's candidate items of that kind (`item_days`: the
    days each is a candidate on) could give."""
    limit = week_limit(days) or 7
    out: Counter[str] = Counter()
    for item_id, used in item_days.items():
        item = problem.items[item_id]
        most = 1 if item.repeat in ("once", "weekly") else limit
        kind = str(item.kind)
        out[kind] += min(len(used), 7 if kind in problem.daily_kinds else most)
    return out
