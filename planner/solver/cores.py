"""CP-SAT's solver settings (and how many solves run at once), and the minimal sets of
rules that cannot hold together (the conflicts `planner plan` explains), found with
sufficient assumptions."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from threading import Lock
from typing import TypeVar

from ortools.sat.python import cp_model

from planner.solver.model import Guard, Model
from planner.solver.problem import Problem

RELATIVE_GAP = 0.001
T, R = TypeVar("T"), TypeVar("R")

# How many of one operator's independent solves run at once, on threads: CP-SAT lets go of
# the interpreter while it solves. A run with fewer operators than workers gives the idle
# cores to its operators (planner.run.week); one solve per thread stays reproducible, so
# the plan does not depend on it.
_at_once = 1
_aside = 0  # threads running aside (aside): each leaves them their cores
_aside_lock = Lock()


@contextmanager
def solving_at_once(threads: int) -> Iterator[None]:
    """Within: up to `threads` of an operator's independent solves at once (each), never
    more than this machine's cores (a Ray cluster's count is the driver's, not the node's)."""
    global _at_once
    before, _at_once = _at_once, max(1, min(threads, os.cpu_count() or 1))
    try:
        yield
    finally:
        _at_once = before


def each(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`function` over `items`, up to the set number at once; results in the items' order.
    Interrupted, the items not started are dropped (the ones solving end within their limit)."""
    threads = _at_once - _aside
    if threads <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    pool = ThreadPoolExecutor(min(threads, len(items)))
    try:
        return list(pool.map(function, items))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def aside(function: Callable[[], R]) -> Future[R] | None:
    """`function` on a thread of its own, beside the operator's solves, when the operator
    has more than one core (None: it has one, and the caller runs `function` itself). The
    thread has a core of the operator's while it runs: each runs fewer at once (on 2 cores
    a third thread made the others wait for the interpreter and the cores)."""
    global _aside
    if _at_once - _aside <= 1:
        return None
    with _aside_lock:
        _aside += 1

    def run() -> R:
        global _aside
        try:
            return function()
        finally:
            with _aside_lock:
                _aside -= 1

    pool = ThreadPoolExecutor(1)
    try:
        return pool.submit(run)
    except BaseException:
        with _aside_lock:
            _aside -= 1
        raise
    finally:
        pool.shutdown(wait=False)


def ready(value: R) -> Future[R]:
    """A future already holding `value`: what was not run aside, run once."""
    future: Future[R] = Future()
    future.set_result(value)
    return future


def cp_solver(time_limit: float, presolve: bool = True) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = 1  # processes give parallelism across problems; one worker is reproducible
    params.random_seed = 20261123
    # Ctrl-C is the planner's: CP-SAT's own handler would swallow it mid-solve and then
    # leave the default action behind, so a later Ctrl-C killed the process outright
    # (no "interrupted", staging left behind) and workers stopped ignoring it.
    params.catch_sigint_signal = False
    # Full linearisation: the rolling-window caps make a tight LP, and with it one
    # worker proves optimality in a fraction of a second (see benchmarks/README.md).
    params.linearization_level = 2
    # A one-group model's constraints all go in its LP from the start: added lazily
    # (CP-SAT's default), the cut rounds took half of its solve (20 rooms of 200 varied
    # groups: 1.8 s against 3.6 s, the same plans; benchmarks/README.md, "The LP's rows at
    # once"). A presolved model of many groups keeps the default, which was as fast there
    # (200 varied groups' blocks: 9.5 s either way).
    params.add_lp_constraints_lazily = presolve
    # A one-group model is small and tight: presolve costs more than it saves there
    # (half the solve time, measured in benchmarks/README.md).
    params.cp_model_presolve = presolve
    # Stop once the plan is proven within 0.1% of the best possible: the last fraction of
    # a percent costs most of the time and no operator would notice it.
    params.relative_gap_limit = RELATIVE_GAP
    # Deterministic time keeps "same input, same plan" even when the limit is hit;
    # the wall-clock limit is only a safety net.
    params.max_deterministic_time = time_limit
    params.max_time_in_seconds = time_limit * 30
    return solver


def _shape(built: Model, core: list[int]) -> frozenset:
    """A conflict's rule instances without their day."""
    return frozenset(
        (guard.rule, guard.group, guard.detail) for guard in (built.guards[i] for i in core)
    )


def _deletion_minimal(core: list[int], infeasible: Callable[[list[int]], bool]) -> list[int]:
    """`core` without every literal the conflict does not need."""
    index = 0
    while index < len(core):
        trial = core[:index] + core[index + 1 :]
        if trial and infeasible(trial):
            core = trial
        else:
            index += 1
    return core


def explaining(time_limit: float, groups: int) -> cp_model.CpSolver:
    """The solver for conflict explanations: a one-group model's infeasibility is proven
    three times faster without presolve (the LP still proves a cap below a stage's
    required posts at once), so a group left out costs about what planning it would."""
    return cp_solver(time_limit, presolve=groups > 1)


MAX_CONFLICTS = 12


def explain(problem: Problem, weights: dict[str, int], time_limit: float) -> list[Guard]:
    """Minimal sets of rule instances that cannot hold together, up to MAX_CONFLICTS of them.

    Each set is a deletion-minimised core of CP-SAT's sufficient assumptions; it is
    then switched off and the search repeated, so every independent conflict of the
    week (say, each day on which a stage asks for more than the cap) is named.
    """
    built = Model(problem, weights, explain=True)
    built.add_constraints()
    solver = explaining(time_limit, len(problem.groups))
    if solver.solve(built.model) == cp_model.INFEASIBLE:  # only the last-resort rules conflict
        built = Model(problem, weights, explain=True, last_resort=True)
        built.add_constraints()
    active = sorted(built.guards)

    def infeasible(literals: list[int]) -> bool:
        built.model.clear_assumptions()
        built.model.add_assumptions([built.guard_vars[i] for i in literals])
        return solver.solve(built.model) == cp_model.INFEASIBLE

    found: list[Guard] = []
    minimal: set[frozenset] = set()  # the shapes of the conflicts found, days aside
    for _ in range(MAX_CONFLICTS):
        if not infeasible(active):
            break
        core = sorted(set(solver.sufficient_assumptions_for_infeasibility()) & set(active))
        # Without presolve, CP-SAT's sufficient assumptions come from its own proof: no
        # need to prove them again (one solve per conflict saved).
        trusted = core and not solver.parameters.cp_model_presolve
        if not trusted and (not core or not infeasible(core)):
            core = active
        # The same conflict on another day (a cap below a stage's daily required posts)
        # is as minimal as the one already minimised: only a new shape costs the solves.
        if _shape(built, core) not in minimal:
            core = _deletion_minimal(core, infeasible)
            minimal.add(_shape(built, core))
        found.extend(built.guards[literal] for literal in core)
        active = [literal for literal in active if literal not in set(core)]
    return found
