"""The peer we compare against (not part of the product): the next-free-slot greedy of the
queue and SOP tools of this field. Candidates by value x attention, each placed if it still
fits the caps given what is already placed; nothing is proven and nothing is explained."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

from planner.plan import Plan, Post
from planner.planning import post_uid
from planner.problem import Problem, build_problems, iso_week, slots_for, week_start
from planner.workspace import Workspace


class _State:
    """What is placed so far, indexed for the checks."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.by_group: dict[int, list[tuple[int, str]]] = defaultdict(list)  # (week slot, item)
        self.by_abs: Counter = Counter()  # absolute slot -> posts of the operator
        self.placed: list[tuple[int, str, int, int]] = []

    def add(self, g: int, item: str, day: int, slot: int) -> None:
        problem = self.problem
        self.by_group[g].append((day * problem.slots_per_day + slot, item))
        self.by_abs[problem.absolute_minute(g, day, slot) // problem.slot_minutes] += 1
        self.placed.append((g, item, day, slot))


def _fits(state: _State, g: int, item_id: str, day: int, slot: int) -> bool:
    problem = state.problem
    caps = problem.group_days[(g, day)].caps
    S = problem.slots_per_day
    t = day * S + slot
    mine = state.by_group[g]
    todays = [i for u, i in mine if u // S == day]
    if any(u == t for u, _ in mine) or len(todays) >= caps.per_day or item_id in todays:
        return False
    gap = slots_for(caps.min_gap_minutes, problem.slot_minutes) if caps.min_gap_minutes else 1
    if any(abs(u - t) < gap for u, _ in mine):
        return False
    hour = slots_for(60, problem.slot_minutes)
    for start in range(t - hour + 1, t + 1):
        if sum(1 for u, _ in mine if start <= u < start + hour) + 1 > caps.per_hour:
            return False
    item = problem.items[item_id]
    if item.repeat in ("once", "weekly") and any(i == item_id for _, i in mine):
        return False
    limit = caps.kinds.get(item.kind)
    same_today = sum(problem.items[i].kind == item.kind for i in todays)
    same_week = sum(problem.items[i].kind == item.kind for _, i in mine)
    if limit and limit.per_day is not None and same_today >= limit.per_day:
        return False
    if limit and limit.per_week is not None and same_week >= limit.per_week:
        return False
    promo = sum(i in problem.promotional for i in todays) + (item_id in problem.promotional)
    if promo > caps.promo_share_max * (len(todays) + 1):
        return False
    here = problem.absolute_minute(g, day, slot) // problem.slot_minutes
    width = slots_for(problem.operator.window_minutes, problem.slot_minutes)
    return all(
        sum(state.by_abs[u] for u in range(start, start + width)) < problem.operator.max_posts
        for start in range(here - width + 1, here + 1)
    )


def greedy_plan(ws: Workspace, day) -> Plan:
    start = week_start(day)
    posts = []
    for problem in build_problems(ws, day):
        state = _State(problem)
        order = sorted(
            problem.candidates, key=lambda c: (-c.value, c.group, c.day, c.segment, c.item)
        )
        for c in order:
            segment = problem.group_days[(c.group, c.day)].segments[c.segment]
            for slot in range(segment.first, segment.last):
                if _fits(state, c.group, c.item, c.day, slot):
                    state.add(c.group, c.item, c.day, slot)
                    break
        for g, item_id, d, s in state.placed:
            group = problem.groups[g]
            item = problem.items[item_id]
            gd = problem.group_days[(g, d)]
            at = problem.start_of(g, d, s)
            value = next(
                c.value
                for c in problem.candidates
                if (c.group, c.item, c.day) == (g, item_id, d)
                and gd.segments[c.segment].first <= s < gd.segments[c.segment].last
            )
            posts.append(
                Post(
                    group=group.id,
                    item=item_id,
                    kind=item.kind,
                    title=item.title,
                    stage=gd.stage,
                    operator=group.operator,
                    start=at,
                    end=at + timedelta(minutes=problem.slot_minutes),
                    timezone=problem.zones[g],
                    text=item.title,
                    value=value,
                    uid=post_uid(ws.settings.name, group.id, item_id, at.date()),
                )
            )
    posts.sort(key=lambda p: (p.start, p.group, p.item))
    return Plan(
        workspace=ws.settings.name,
        week=iso_week(start),
        week_start=start,
        timezone=ws.settings.timezone,
        slot_minutes=ws.settings.slot_minutes,
        posts=posts,
        problems=[],
    )


def missed_required(violations) -> int:
    return sum(1 for v in violations if v.rule in ("required_post", "campaign_need"))
