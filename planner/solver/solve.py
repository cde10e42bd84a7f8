"""Solve one problem with CP-SAT and hand back plain data (no solver objects leave here)."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from planner.rules import operator_daily_load
from planner.solver import blocks, coupled, turns
from planner.solver import prices as pricing  # a module: prices imports this one
from planner.solver.answers import ANSWERS, Answer, Built
from planner.solver.cores import cp_solver, explain
from planner.solver.model import Guard, Model
from planner.solver.problem import Problem

# An operator's re-timed plan this close to the groups' bound is kept; further away, the
# whole operator model is worth its time. The promise: every plan within 1% (README).
GOOD_ENOUGH_GAP = 0.01
# How an operator whose capacity binds is planned: "steps" (the re-timing steps below) or
# "prices" (planner.solver.coupled: a Lagrangian bound that knows the operator, one priced
# solve per family of alike groups). Not yet the default: measured on 10 and 40 groups it
# did not plan better than the steps (benchmarks/README.md, issue 19).
COUPLING = "steps"
# The operator-wide models of the steps get the time limit once per this many groups: with
# one limit for any size, 40 coupled groups found no plan at all and the whole operator was
# planned again with twice the time (benchmarks/README.md, issue 19).
GROUPS_PER_LIMIT = 10
# An operator whose model has more candidates stops the steps after group by group, and
# re-times in blocks: at 40 coupled groups (120,000-150,000 candidates), alike or mixed, the
# any-day and whole operator models never found a better plan (often none) in 60% of the
# operator's time, where at 10 (30,000) the whole model proves plans (benchmarks/README.md,
# issue 19; 11 small alike groups: the whole model proves in 2 s a plan whose Lagrangian
# bound is 10% above it).
WHOLE_UP_TO = 50_000

STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "invalid",
    cp_model.UNKNOWN: "unknown",
}
PLANNED = ("optimal", "feasible")  # the statuses that come with a plan


@dataclass(frozen=True)
class Placement:
    group: int
    item: str
    day: int
    slot: int


@dataclass
class Result:
    """What the solver decided for one problem, as plain data."""

    problem: str
    status: str
    objective: int = 0
    best_bound: int = 0
    placements: list[Placement] = field(default_factory=list)
    conflicts: list[Guard] = field(default_factory=list)
    variables: int = 0
    candidates: int = 0
    message: str = ""  # why a problem failed (status "error" or "unknown")
    model_key: bytes | None = None  # a one-group model's key in ANSWERS (families.families)
    conflicts_of: Problem | None = None  # what the conflicts index, if not this (a room: _why)

    @property
    def gap(self) -> float:
        """Relative optimality gap: (bound - objective) / bound."""
        if self.status not in PLANNED or self.best_bound <= 0:
            return 0.0
        return max(0.0, (self.best_bound - self.objective) / abs(self.best_bound))


def solve(
    problem: Problem,
    weights: dict[str, int],
    time_limit: float = 10.0,
    parts: list[Result] | None = None,
    built: Built | None = None,
) -> Result:
    """One operator's week. Groups are first solved one by one: only the operator's capacity
    couples them, so when their best plans together respect it, they are the best plan of
    all (proven: the sum of their bounds bounds the whole). `parts`: the groups' own
    results when the caller solved them already (solve_single), `built` their models."""
    if len(problem.groups) == 1:
        return parts[0] if parts else _solve_whole(problem, weights, time_limit, presolve=False)
    singles, built = problem.singles(), built or Built()
    parts = parts or [solve_single(single, weights, time_limit, built) for single in singles]
    if not all(p.status in PLANNED for p in parts):
        return _solve_whole(problem, weights, time_limit)  # explains the conflict as a whole
    bound = sum(p.best_bound for p in parts)
    if within_capacity(problem, _merge(parts)):
        return _combined(problem, parts, bound, all(p.status == "optimal" for p in parts))
    if _by_prices(problem):
        priced = coupled.solve_coupled(problem, singles, parts, weights, time_limit)
        if priced is not None:
            return priced
    own = [built.of(part.model_key) for part in parts]
    return _by_steps(problem, singles, parts, weights, time_limit, bound, own)


def _by_steps(problem: Problem, singles, parts, weights, time_limit: float, bound: int, own=None):
    """The operator's capacity binds. Keep what each group's best plan posts on each day and
    re-time those posts together: a model a tenth of the operator's, whose best plan is
    typically within half a percent of the groups' bound (benchmarks/README.md). Further
    from the bound, improve that plan one group at a time, then let the posted items move
    between days too (a quarter of the operator's model), then the whole operator model
    (up to WHOLE_UP_TO candidates); each starts from the best plan so far, and each sub-model's
    own bound holds for its restriction only, not for the operator. A plan still further
    than 1% from the groups' bound is judged against the Lagrangian bound, which knows the
    operator (_judged); beyond WHOLE_UP_TO candidates its LP is solved aside while the
    blocks are re-timed and the groups go in turn. `own`: each group's own model, if kept
    (answers.Built), which its family and its room clone."""
    relaxed = coupled.Relaxed(problem, singles, parts, weights, time_limit, own)
    rooms = turns.Rooms(singles, weights, relaxed.rows, own)
    try:
        best, last = _stepped(problem, singles, parts, weights, time_limit, bound, relaxed, rooms)
        if best is None:  # no plan in time: the groups in turn, inside the capacity left
            best = group_by_group(problem, singles, [], weights, time_limit, bound, rooms)
            if best.status not in PLANNED:  # a group the others leave no room: why, if known
                return best if best.conflicts else last
        if best.gap <= GOOD_ENOUGH_GAP:
            return best
        return _judged(problem, singles, parts, weights, time_limit, best, relaxed, rooms)
    finally:
        relaxed.stop()


def _stepped(
    problem: Problem, singles, parts, weights, time_limit: float, bound: int, relaxed, rooms
):
    """The steps (_by_steps): their best plan, judged against `bound` (None: none found),
    and the last step's result."""
    found: list[Result] = []
    steps = ("retime", "group by group", "any day", "whole")
    if len(problem.candidates) > WHOLE_UP_TO:
        steps = steps[:2]
    for step in steps:
        hint = max(found, key=lambda f: f.objective).placements if found else None
        if step == "group by group":
            if hint is None:
                continue
            result = group_by_group(problem, singles, hint, weights, time_limit, bound, rooms)
        elif step == "retime" and len(problem.candidates) > WHOLE_UP_TO:
            relaxed.start()  # the LP is the longest of the steps' work: beside all of them
            result = blocks.retime_in_blocks(problem, parts, weights, time_limit)
        else:
            restricted = {"retime": retiming, "any day": any_day}.get(step)
            whole = restricted(problem, parts) if restricted else problem
            limit = operator_limit(problem, time_limit)
            explained = step == "whole"  # the operator's own model: why, if it has no plan
            result = _solve_whole(whole, weights, limit, hint=hint, explained=explained)
            if step == "whole" and result.status in PLANNED:
                bound = min(bound, result.best_bound)
        if result.status in PLANNED:
            found.append(result)
            best = _proven(max(found, key=lambda f: f.objective), problem, bound)
            if best.gap <= GOOD_ENOUGH_GAP:
                break
    return (best if found else None), result


def _judged(problem: Problem, singles, parts, weights, time_limit: float, best, relaxed, rooms):
    """A plan further than 1% from the groups' bound: is the bound the loose part (the
    Lagrangian bound, coupled.operator_bound)? Or the plan: still further than 1% from that
    bound, the groups are turned under its prices (coupled.turned_under; not in a re-plan,
    whose second pass keeps last time's posts); an operator's turn under the LP's prices
    begins beside the bound (turns.Ahead)."""
    ahead = None  # beyond WHOLE_UP_TO candidates, the turn under the LP's prices: begun
    if len(problem.candidates) > WHOLE_UP_TO and not problem.previous:
        lp = relaxed.prices()  # operator_bound's too, when they make its bound
        ahead = turns.Ahead(singles, weights, time_limit, relaxed.rows, lp, best, rooms)
    try:
        priced, prices = coupled.operator_bound(
            problem, singles, parts, weights, time_limit, best, relaxed
        )
        best = _proven(best, problem, min(best.best_bound, priced))
        if prices and best.gap > GOOD_ENOUGH_GAP and not problem.previous:
            args = (problem, singles, weights, time_limit, prices, best, rooms, ahead)
            turned = coupled.turned_under(*args)
            if turned is not None and turned.objective > best.objective:
                return _proven(turned, problem, best.best_bound)
        return best
    finally:
        if ahead is not None:
            ahead.stop()


def operator_limit(problem: Problem, time_limit: float) -> float:
    """The time of a model of all the operator's groups: flat per group beyond
    GROUPS_PER_LIMIT of them."""
    return time_limit * max(1.0, len(problem.groups) / GROUPS_PER_LIMIT)


def solve_single(
    single: Problem, weights: dict[str, int], time_limit: float, built: Built | None = None
) -> Result:
    """One group's own week, as `solve` solves it among its operator's groups; its model
    kept in `built`."""
    return _solve_whole(single, weights, time_limit, presolve=False, keep=built)


def _by_prices(problem: Problem) -> bool:
    """Is this operator, whose capacity binds, planned by prices? (Not a re-plan: keeping
    last time's posts is the steps' second pass.)"""
    return COUPLING == "prices" and not problem.previous


def retiming(problem: Problem, parts: list[Result]) -> Problem:
    """The operator's problem restricted to the items each group's own plan posts on each
    day: any of their segments that day, but no other item and no other day."""
    posted = {(g, p.item, p.day) for g, part in enumerate(parts) for p in part.placements}
    return replace(
        problem,
        candidates=[c for c in problem.candidates if (c.group, c.item, c.day) in posted],
    )


def group_by_group(
    problem: Problem,
    singles: list[Problem],
    placements: list[Placement],
    weights: dict[str, int],
    time_limit: float,
    bound: int,
    rooms: turns.Rooms | None = None,
) -> Result:
    """One pass of block coordinate ascent from a plan within the operator's capacity (or
    from no posts at all): each group in turn gets its best plan inside the capacity the
    others' posts leave, so the result keeps the capacity. Each group's model is small: the
    operator's cheapest step after re-timing. `rooms`: the groups' models kept for their
    turns (turns.Rooms), or new; a re-plan builds each room's whole model, whose second
    pass keeps last time's posts."""
    start = turns.by_group(placements, len(singles))
    rooms = rooms or turns.Rooms(singles, weights, pricing.Rows.of(problem))

    def one(g: int, room: Problem, posts: list[Placement]) -> Result:
        if problem.previous:
            return _why(_solve_whole(room, weights, time_limit, False, posts), room, problem)
        found = rooms.solve(g, room, {}, time_limit, posts)
        if found.status == "infeasible":  # why the room the others leave cannot hold it
            return _why(_solve_whole(room, weights, time_limit, presolve=False), room, problem)
        variables = rooms.variables(g)
        return Result(
            room.id, found.status, found.value, placements=found.placements, variables=variables
        )

    parts = turns.in_turn(singles, start, one)
    if parts and parts[-1].status not in PLANNED:
        last, failed = parts[-1], ("status", "message", "conflicts", "conflicts_of")
        return Result(problem.id, **{name: getattr(last, name) for name in failed})
    return _combined(problem, parts, bound, False)


def _why(result: Result, room: Problem, problem: Problem) -> Result:
    """A group's room's result, its conflicts told in the room named as the operator: they
    index the room's own campaigns and call its group 0, not the operator's."""
    if not result.conflicts:
        return result
    return replace(result, conflicts_of=replace(room, id=problem.id))


def any_day(problem: Problem, parts: list[Result]) -> Problem:
    """The operator's problem restricted to the items each group's own plan posts, on any
    day and in any segment."""
    posted = {(g, p.item) for g, part in enumerate(parts) for p in part.placements}
    return replace(
        problem, candidates=[c for c in problem.candidates if (c.group, c.item) in posted]
    )


def _proven(solution: Result, problem: Problem, bound: int) -> Result:
    """The plan judged against `bound`, a valid upper bound of the operator's whole problem."""
    status = "optimal" if solution.objective >= bound else "feasible"
    return replace(solution, status=status, best_bound=bound, candidates=len(problem.candidates))


def _merge(parts: list[Result]) -> list[Placement]:
    return sorted(
        (replace(p, group=g) for g, part in enumerate(parts) for p in part.placements),
        key=lambda p: (p.group, p.day, p.slot),
    )


def _combined(problem: Problem, parts: list[Result], bound: int, optimal: bool) -> Result:
    """Per-group plans as one; `bound` (the sum of the groups' own bounds) bounds the whole."""
    objective = sum(p.objective for p in parts)
    return Result(
        problem.id,
        "optimal" if optimal or objective >= bound else "feasible",
        objective=objective,
        best_bound=bound,
        placements=_merge(parts),
        variables=sum(p.variables for p in parts),
        candidates=len(problem.candidates),
    )


def within_capacity(problem: Problem, placements: list[Placement]) -> bool:
    """Do these posts keep the operator's max_posts in any window_minutes, and their
    max_posts_per_day? (The rules that couple an operator's groups.)"""
    minutes = sorted(problem.absolute_minute(p.group, p.day, p.slot) for p in placements)
    window, most = problem.operator.window_minutes, problem.operator.max_posts
    return all(
        bisect_left(minutes, first + window) - i <= most for i, first in enumerate(minutes)
    ) and operator_daily_load.fits(problem, placements)


def _solve_whole(
    problem: Problem,
    weights: dict[str, int],
    time_limit: float,
    presolve: bool = True,
    hint: list[Placement] | None = None,
    recurs: bool = False,
    explained: bool = True,
    keep: Built | None = None,
) -> Result:
    """`explained`: an infeasible problem comes with its conflicts (cores.explain); not the
    steps' restrictions of an operator, whose conflicts nobody reads (a 44-group operator's
    infeasible re-timing spent over ten minutes explaining itself). `keep`: where to keep
    a model that recurs, by its key."""
    built = Model.of(problem, weights)
    if hint:
        built.hint(problem, hint)
    solver = cp_solver(time_limit, presolve)
    # One-group models recur (a chain's stores), and so do blocks of its alike groups
    # (`recurs`): the same model gets the same answer, so it is solved once per process.
    recurs = recurs or len(problem.groups) == 1
    key, answer = ANSWERS.answer(built, solver, recurs and not problem.previous)
    if keep is not None:
        keep.put(key, built)
    status = STATUS.get(answer.status, "unknown")
    variables, candidates = len(built.model.proto.variables), len(problem.candidates)
    result = Result(problem.id, status, variables=variables, candidates=candidates, model_key=key)
    if status == "infeasible" and explained:
        result.conflicts = explain(problem, weights, time_limit)
    if status not in PLANNED:
        return result
    result.objective = round(answer.objective)
    result.best_bound = round(answer.bound)
    # CP-SAT says OPTIMAL once within relative_gap_limit; we say so only when proven exactly.
    result.status = "optimal" if result.objective >= result.best_bound else "feasible"
    result.placements = _placements(problem, built, answer)
    if problem.previous and weights.get("stability_bonus", 0) > 0:
        # Re-plan: as good as the best plan found, and as close to last time as it can be.
        for var in [*built.z, *built.y.values()]:
            built.model.add_hint(var, solver.boolean_value(var))
        built.add_stability(result.objective)
        status = solver.solve(built.model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            result.objective = round(solver.value(built.value))
            result.placements = _placements(problem, built, Answer.of(status, solver, built))
    return result


def _placements(problem: Problem, built: Model, answer: Answer) -> list[Placement]:
    """Chosen items meet chosen slots segment by segment, in a fixed order."""
    chosen: dict[tuple[int, int, int], list[str]] = defaultdict(list)
    for n, candidate in enumerate(problem.candidates):
        if answer.chose(built.z[n]):
            chosen[(candidate.group, candidate.day, candidate.segment)].append(candidate.item)
    out = []
    S = problem.slots_per_day
    for (g, d, k), items in sorted(chosen.items()):
        segment = problem.group_days[(g, d)].segments[k]
        slots = [
            s for s in range(segment.first, segment.last) if answer.chose(built.y[(g, d * S + s)])
        ]
        # Items keep the slot they had in this week's last plan where it is still chosen.
        free = list(slots)
        keep = {}
        for item in sorted(items):
            for slot in free:
                if (g, item, d, slot) in problem.previous:
                    keep[item] = slot
                    free.remove(slot)
                    break
        rest = iter(free)
        for item in sorted(items):
            out.append(Placement(g, item, d, keep[item] if item in keep else next(rest)))
    return sorted(out, key=lambda p: (p.group, p.day, p.slot))
