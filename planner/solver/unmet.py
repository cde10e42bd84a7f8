"""Demands no plan can meet, read off a problem's candidates without building a model.

A required post or a campaign's (or lock's) need with fewer candidates, or fewer open
slots, than it asks for makes its group infeasible whatever the solver tries: finding it
here costs one pass over the candidates, where the solver would prove it only after
building and searching the group's week. The counting is the rules' own
(required_post.counts, a need's window), so a demand found here is exactly one the model's
constraint could not meet.
"""

from __future__ import annotations

from collections import defaultdict

from planner.rules.required_post import counts
from planner.solver.model import Guard
from planner.solver.problem import Candidate, Problem


def unmet_demands(problem: Problem) -> list[Guard]:
    """The rule instances (required_post, campaign_need) that no candidate can satisfy."""
    by_day: dict[tuple[int, int], list[Candidate]] = defaultdict(list)
    for candidate in problem.candidates:
        by_day[(candidate.group, candidate.day)].append(candidate)
    return [*_required(problem, by_day), *_needs(problem, by_day)]


def _required(problem: Problem, by_day) -> list[Guard]:
    """A day's required post with fewer candidates, or open slots, than its count."""
    found = []
    for (g, d), gd in sorted(problem.group_days.items()):
        for position, required in enumerate(gd.required):
            if position in gd.waived:
                continue
            meeting = [
                c
                for c in by_day.get((g, d), ())
                if counts(required, problem.items[c.item].kind, _minute(problem, c))
            ]
            per_segment: dict[int, int] = defaultdict(int)
            for c in meeting:
                per_segment[c.segment] += 1
            room = sum(
                min(n, gd.segments[k].last - gd.segments[k].first) for k, n in per_segment.items()
            )
            if room < required.count:
                found.append(Guard("required_post", g, d, (position,)))
    return found


def _needs(problem: Problem, by_day) -> list[Guard]:
    """A campaign's (or lock's) need with fewer candidates inside its window than its low."""
    index = {group.id: g for g, group in enumerate(problem.groups)}
    found = []
    for position, need in enumerate(problem.book.needs):
        g = index.get(need.group)
        if g is None or need.low <= 0:
            continue
        meeting = sum(
            1
            for d in range(7)
            for c in by_day.get((g, d), ())
            if c.item in need.items and need.start <= _start(problem, c) < need.end
        )
        if meeting < need.low:
            day = max(0, min(6, (need.start.date() - problem.week_start).days))
            found.append(Guard("campaign_need", g, day, (position,)))
    return found


def _minute(problem: Problem, c: Candidate) -> int:
    return problem.group_days[(c.group, c.day)].segments[c.segment].first * problem.slot_minutes


def _start(problem: Problem, c: Candidate):
    first = problem.group_days[(c.group, c.day)].segments[c.segment].first
    return problem.start_of(c.group, c.day, first)
