"""item_days_window: minus repeat_penalty, in each seven-day window that reaches into the
week before (its days there: Playbook.recent), for every day an item goes to a group
beyond caps.item_days_per_week, so an item that went out last Saturday and Sunday waits until
this Saturday. A penalty rather than a hard rule: the week before, planned without
knowing this one, may have used every item a stage's required post can take; then the
week still plans, repeating as little as it can, and the report says which kind to add
items of (planner.run.shortfall)."""

from __future__ import annotations

from collections import defaultdict

from planner.rules.catalogue import Term
from planner.rules.item_days import days_of, offsets, week_limit

WINDOW = 7  # days


def reach_back(limit: int | None, earlier: list[int]) -> dict[int, int]:
    """Windows that start before the week: their last day in it -> the days they leave
    (`earlier`: the days before the week the item went out, as -6..-1)."""
    if limit is None:
        return {}
    out: dict[int, int] = {}
    for first in range(1 - WINDOW, 0):
        used = sum(1 for day in earlier if first <= day)
        if used:
            out[first + WINDOW - 1] = max(limit - used, 0)
    return out


def add(m, weight: int) -> list:
    terms = []
    daily = m.problem.daily_kinds
    for (g, item_id), ns in sorted(m.by_gi.items()):
        if m.problem.items[item_id].kind in daily:
            continue
        days = [m.problem.group_days[(g, d)] for d in range(7)]
        earlier = offsets(m.problem.book.recent, m.problem.groups[g].id, item_id, days[0].date)
        by_day = days_of(m, ns)
        for last, room in sorted(reach_back(week_limit(days), earlier).items()):
            span = [n for d in range(last + 1) for n in by_day.get(d, [])]
            reach = len({m.candidate(n).day for n in span})
            if reach > room:
                over = m.model.new_int_var(0, reach, f"over{g}_{item_id}_{last}")
                m.model.add(over >= sum(m.z[n] for n in span) - room)
                terms.append((-weight, over))
    return terms


def score(s, weight: int) -> int:
    daily = set(s.ws.rules.caps.daily_kinds)
    monday = s.days[0]
    used: dict[tuple[str, str], set[int]] = defaultdict(set)
    for post in s.plan.posts:
        item = s.ws.items.get(post.item)
        if post.group in s.groups and item is not None and item.kind not in daily:
            used[(post.group, post.item)].add((s.local(post).date() - monday).days)
    over = 0
    for (group_id, item_id), days in sorted(used.items()):
        group = s.groups[group_id]
        limits = [s.caps(group_id, d).item_days_per_week for d in s.days if s.stage(group, d)]
        limit = min(limits, default=7)
        earlier = offsets(s.book.recent, group_id, item_id, monday)
        for last, room in reach_back(limit if limit < 7 else None, earlier).items():
            over += max(0, sum(1 for d in days if d <= last) - room)
    return -weight * over


def describe(sources) -> str:
    source = sources.pack("stages", ("objective", "repeat_penalty"))
    return (
        "repeat_penalty, in each seven days that reach into the week before, for each day "
        f"an item goes beyond caps.item_days_per_week ({source})"
    )


TERM = Term(
    name="item_days_window",
    summary="minus repeat_penalty per day an item goes beyond caps.item_days_per_week, "
    "in each seven-day window reaching into the week before.",
    settings=("objective.repeat_penalty", "caps.item_days_per_week"),
    add=add,
    score=score,
    describe=describe,
    weight="repeat_penalty",
)
