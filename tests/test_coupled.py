"""Operators whose capacity binds are planned by prices (planner.solver.coupled): the plan
keeps the operator's rows and passes the checker, the Lagrangian bound is honest (at least
the whole operator model's proven optimum), alike groups cost one solve a round, and the
same input gives the same plan."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from threading import get_ident
from time import sleep

import pytest
from tiny import WEEK, build, group, items_of

from planner.run.week import plan_week
from planner.solver import blocks as blocks_module
from planner.solver import coupled, families, prices
from planner.solver import solve as solve_module
from planner.solver.answers import ANSWERS
from planner.solver.cores import each, solving_at_once
from planner.solver.problem import build_problems
from planner.verify.checker import verify
from planner.verify.objective import objective_of

ARTICLES = items_of(*[(f"a{n}", "article", {"repeat": "daily", "value": 5 + n}) for n in range(6)])
NO_REQUIRED = {"stages": {"stages": {"retention": {"required": []}}}}
TIGHT = {"operators": {"op": {"max_posts": 2, "window_minutes": 60, "max_posts_per_day": 14}}}


def _workspace(root: Path, groups: list[dict]):
    return build(root, groups, ARTICLES, NO_REQUIRED, TIGHT)


def test_crowded_alike_groups_are_planned_by_prices(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(solve_module, "COUPLING", "prices")  # not the default yet
    calls = []
    real = coupled.solve_coupled
    monkeypatch.setattr(coupled, "solve_coupled", lambda *a: calls.append(a) or real(*a))
    ws = _workspace(tmp_path, [group(f"g{n}") for n in range(4)])
    plan = plan_week(ws, WEEK, time_limit=10, workers=1)
    assert calls, "four alike groups with room for two posts an hour must clash"
    (result,) = plan.problems
    assert verify(ws, plan) == []
    assert objective_of(ws, plan) == result.objective
    problem = build_problems(ws, WEEK)[0]
    weights = ws.rules.stages.objective.model_dump()
    alone = sum(solve_module.solve(s, weights).best_bound for s in problem.singles())
    # The groups' own bounds ignore the operator (here about 60% above any plan); prices
    # bring the bound down to within a few percent of the plan (this tiny operator, four
    # groups sharing room for two posts, is the hard case: 1% needs many groups).
    assert result.objective <= result.best_bound < 0.7 * alone
    assert result.gap <= 0.04
    first, again = (solve_module.solve(problem, weights, 10) for _ in range(2))
    assert (first.objective, first.best_bound) == (result.objective, result.best_bound)
    assert first.placements == again.placements  # same input, same plan


def test_the_lagrangian_bound_is_at_least_the_proven_optimum(tmp_path: Path) -> None:
    """On an operator small enough for the whole model to prove its optimum, the bound the
    coupled method reports is no lower: the gap it shows is honest."""
    ws = _workspace(tmp_path, [group(f"g{n}") for n in range(3)])
    problem = build_problems(ws, WEEK)[0]
    weights = ws.rules.stages.objective.model_dump()
    singles = problem.singles()
    parts = [solve_module.solve(s, weights) for s in singles]
    found = coupled.solve_coupled(problem, singles, parts, weights, 10)
    whole = solve_module._solve_whole(problem, weights, 60)
    assert whole.status == "optimal"
    assert found.objective <= whole.objective <= found.best_bound
    assert solve_module.within_capacity(problem, found.placements)


def test_alike_groups_cost_one_priced_solve_a_round(tmp_path: Path, monkeypatch) -> None:
    ws = _workspace(tmp_path, [group(f"g{n}") for n in range(5)])
    problem = build_problems(ws, WEEK)[0]
    weights = ws.rules.stages.objective.model_dump()
    fams = families.families(problem.singles(), weights, 10)
    assert [f.members for f in fams] == [[0, 1, 2, 3, 4]]
    solved = []
    real = prices.solve_priced
    monkeypatch.setattr(prices, "solve_priced", lambda *a, **k: solved.append(a) or real(*a, **k))
    bound, _, rounds = coupled.subgradient(prices.Rows.of(problem), fams, weights, 10, 10**9)
    assert len(solved) == rounds > 1
    assert bound < 10**9


def test_groups_in_another_zone_are_another_family(tmp_path: Path) -> None:
    """Their slots fall at other absolute times, so they cannot share plans."""
    ws = _workspace(tmp_path, [group("g0"), group("g1"), group("g2", timezone="Asia/Tokyo")])
    problem = build_problems(ws, WEEK)[0]
    weights = ws.rules.stages.objective.model_dump()
    assert [f.members for f in families.families(problem.singles(), weights, 10)] == [[0, 1], [2]]


def test_a_replan_stays_with_the_steps(tmp_path: Path, monkeypatch) -> None:
    """Keeping last time's posts is the steps' second pass: a re-plan is not priced."""
    monkeypatch.setattr(solve_module, "COUPLING", "prices")
    ws = _workspace(tmp_path, [group(f"g{n}") for n in range(3)])
    problem = build_problems(ws, WEEK)[0]
    assert solve_module._by_prices(problem)
    replan = replace(problem, previous=frozenset({(0, "a0", 0, 20)}))
    assert not solve_module._by_prices(replan)


def _bound_of(problem, weights, monkeypatch) -> tuple[int, int, int]:
    """The groups' own bound, the Lagrangian bound the steps end with and the proven optimum."""
    singles = problem.singles()
    parts = [solve_module.solve(s, weights) for s in singles]
    own = sum(p.best_bound for p in parts)
    optimum = solve_module._solve_whole(problem, weights, 60)
    assert optimum.status == "optimal"
    monkeypatch.setattr(solve_module, "GOOD_ENOUGH_GAP", -1.0)  # every step runs
    monkeypatch.setattr(solve_module, "WHOLE_UP_TO", 0)  # ... but not the whole model
    return own, solve_module.solve(problem, weights, 10, parts).best_bound, optimum.objective


@pytest.mark.parametrize("varied", [False, True], ids=["alike", "varied"])
def test_the_steps_judge_a_crowded_operator_against_the_lagrangian_bound(
    tmp_path: Path, monkeypatch, varied: bool
) -> None:
    """The groups' own bounds ignore the operator, so a plan further than 1% from them is
    judged against the Lagrangian bound, which the proven optimum never exceeds: alike
    groups (a chain's) and groups that all differ (here each its own per-day cap)."""
    groups = [group(f"g{n}", **({"caps": {"per_day": 4 + n}} if varied else {})) for n in range(4)]
    ws = _workspace(tmp_path, groups)
    problem = build_problems(ws, WEEK)[0]
    weights = ws.rules.stages.objective.model_dump()
    fams = families.families(problem.singles(), weights, 10)
    assert len(fams) == (4 if varied else 1)
    own, bound, optimum = _bound_of(problem, weights, monkeypatch)
    assert optimum <= bound < 0.8 * own


def test_pricing_stops_once_the_bound_is_within_one_percent_of_the_plan(
    tmp_path: Path, monkeypatch
) -> None:
    ws = _workspace(tmp_path, [group(f"g{n}") for n in range(4)])
    problem = build_problems(ws, WEEK)[0]
    weights = ws.rules.stages.objective.model_dump()
    singles = problem.singles()
    parts = [solve_module.solve(s, weights) for s in singles]
    fams = families.families(singles, weights, 10)
    rows = prices.Rows.of(problem)
    load = coupled.own_load(rows, singles, parts)
    own = sum(p.best_bound for p in parts)
    bound, _, rounds = coupled.subgradient(rows, fams, weights, 10, own, None, load)
    assert rounds > 2
    # told of a plan worth 99.5% of that bound, it stops as soon as its bound gets there
    plan = int(bound * 0.995)
    near, _, fewer = coupled.subgradient(rows, fams, weights, 10, own, plan, load)
    assert fewer < rounds and plan >= near * 0.99
    # a plan worth the groups' own bound needs no pricing at all
    assert coupled.subgradient(rows, fams, weights, 10, own, own, load)[2] == 0


def test_a_step_keeps_part_of_the_last_direction_it_turns_against() -> None:
    """Deflection: plain steps zigzag between the slots the families move their posts to;
    a step whose overload turns back against the last direction keeps part of that one,
    and one that does not is the plain overload. Prices stay at least zero."""
    rows, slot = prices.Rows(1, 2, None, (0,), 15), ("window", 0)
    turned = coupled._deflected(rows, {}, Counter({slot: 1}), {slot: 1.0})
    assert turned == {slot: -1 + coupled.DEFLECTION * 1.0}
    assert coupled._deflected(rows, {}, Counter({slot: 5}), {slot: 1.0}) == {slot: 3}
    later = ("window", 1)
    assert coupled._step({slot: 1.0}, {slot: -2.0, later: 2.0}, 8) == {slot: 0.0, later: 2.0}


PRICES_OF_FOUR = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_coupled import _workspace, group, WEEK, build_problems, coupled, prices, solve_module
from test_coupled import families
ws = _workspace(Path({root!r}), [group(f"g{{n}}") for n in range(4)])
problem = build_problems(ws, WEEK)[0]
weights = ws.rules.stages.objective.model_dump()
singles = problem.singles()
parts = [solve_module.solve(single, weights) for single in singles]
rows = prices.Rows.of(problem)
own, load = sum(p.best_bound for p in parts), coupled.own_load(rows, singles, parts)
fams = families.families(singles, weights, 10)
print(coupled.subgradient(rows, fams, weights, 10, own, None, load))
"""


def test_pricing_is_the_same_whatever_the_string_hashes(tmp_path: Path) -> None:
    """The deflected steps sum floats over rows, whose set order follows the process's
    string hashes: two processes with other hash seeds price alike."""
    seen = set()
    for seed in ("1", "2"):
        root = str(tmp_path / seed)
        script = PRICES_OF_FOUR.format(tests=str(Path(__file__).parent), root=root)
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
        seen.add(done.stdout)
    assert len(seen) == 1 and "window" in seen.pop()


def test_the_operator_models_of_the_steps_get_time_per_group(tmp_path: Path, monkeypatch) -> None:
    """One limit for any size found no plan at all for 40 coupled groups (and the operator
    was planned again with twice the time): the operator-wide models get the limit once per
    GROUPS_PER_LIMIT groups, a group's own model keeps it."""
    monkeypatch.setattr(solve_module, "GROUPS_PER_LIMIT", 2)
    monkeypatch.setattr(solve_module, "GOOD_ENOUGH_GAP", -1.0)  # every step runs
    ws = _workspace(tmp_path, [group(f"g{n}") for n in range(4)])
    problem = build_problems(ws, WEEK)[0]
    limits = []
    real = solve_module._solve_whole
    monkeypatch.setattr(
        solve_module,
        "_solve_whole",
        lambda p, w, limit, **k: limits.append((len(p.groups), limit)) or real(p, w, limit, **k),
    )
    solve_module.solve(problem, ws.rules.stages.objective.model_dump(), 5)
    assert {limit for groups, limit in limits if groups == 4} == {10}
    assert {limit for groups, limit in limits if groups == 1} == {5}


@pytest.mark.parametrize(("beyond", "operator_models"), [(0, 3), (1, 1)])
def test_large_operators_stop_the_steps_after_group_by_group(
    tmp_path: Path, monkeypatch, beyond: int, operator_models: int
) -> None:
    """Up to WHOLE_UP_TO candidates the steps go on to the any-day and whole operator
    models; beyond it they stop after re-timing and group by group (at 40 groups those two
    found nothing better, in 60% of the time)."""
    monkeypatch.setattr(solve_module, "GOOD_ENOUGH_GAP", -1.0)  # every step runs
    ws = _workspace(tmp_path, [group(f"g{n}") for n in range(4)])
    problem = build_problems(ws, WEEK)[0]
    monkeypatch.setattr(solve_module, "WHOLE_UP_TO", len(problem.candidates) - beyond)
    sizes = []
    real = solve_module._solve_whole
    monkeypatch.setattr(
        solve_module,
        "_solve_whole",
        lambda p, w, limit, **k: sizes.append(len(p.groups)) or real(p, w, limit, **k),
    )
    result = solve_module.solve(problem, ws.rules.stages.objective.model_dump(), 5)
    assert sizes.count(4) == operator_models
    assert solve_module.within_capacity(problem, result.placements)


@pytest.mark.parametrize(("max_posts", "blocks"), [(4, 2), (3, 0)])
def test_many_groups_are_retimed_in_blocks_each_within_its_share(
    tmp_path: Path, monkeypatch, max_posts: int, blocks: int
) -> None:
    """Beyond WHOLE_UP_TO candidates, re-timing runs in blocks of about GROUPS_PER_LIMIT groups,
    each within its share of the operator's capacity (at least 2 posts a window), so the
    blocks' plans together keep it; with less to share, one model re-times them all."""
    monkeypatch.setattr(solve_module, "WHOLE_UP_TO", 0)
    monkeypatch.setattr(solve_module, "GROUPS_PER_LIMIT", 3)
    monkeypatch.setattr(solve_module, "GOOD_ENOUGH_GAP", -1.0)  # every step runs
    crowded = {"operators": {"op": {**TIGHT["operators"]["op"], "max_posts": max_posts}}}
    ws = build(tmp_path, [group(f"g{n}") for n in range(6)], ARTICLES, NO_REQUIRED, crowded)
    problem = build_problems(ws, WEEK)[0]
    weights = ws.rules.stages.objective.model_dump()
    parts = [solve_module.solve(s, weights) for s in problem.singles()]
    models = []
    real = solve_module._solve_whole
    monkeypatch.setattr(
        solve_module,
        "_solve_whole",
        lambda p, w, limit, **k: (
            models.append((len(p.groups), p.operator.max_posts, bool(p.taken)))
            or real(p, w, limit, **k)
        ),
    )
    retimed = blocks_module.retime_in_blocks(problem, parts, weights, 5)
    assert models == ([(3, 2, False), (3, 2, False)] if blocks else [(6, max_posts, False)])
    assert retimed.status in ("optimal", "feasible")
    assert solve_module.within_capacity(problem, retimed.placements)
    posted = {(g, p.item, p.day) for g, part in enumerate(parts) for p in part.placements}
    assert {(p.group, p.item, p.day) for p in retimed.placements} <= posted
    result = solve_module.solve(problem, weights, 5, parts)  # the steps from there
    assert solve_module.within_capacity(problem, result.placements)
    assert result.objective >= retimed.objective


def test_an_operators_solves_at_once_give_the_same_plan(tmp_path: Path, monkeypatch) -> None:
    """One operator on two workers: its blocks, groups and prices are solved on two threads
    (cores.each), with the plan and bound of one at a time (one CP-SAT worker per solve,
    results taken in order)."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # two threads on any machine
    monkeypatch.setattr(solve_module, "WHOLE_UP_TO", 0)
    monkeypatch.setattr(solve_module, "GROUPS_PER_LIMIT", 2)
    monkeypatch.setattr(solve_module, "GOOD_ENOUGH_GAP", -1.0)  # every step runs
    groups = [group(f"g{n}", caps={"per_day": 4 + n}) for n in range(4)]
    crowded = {"operators": {"op": {**TIGHT["operators"]["op"], "max_posts": 4}}}
    ws = build(tmp_path, groups, ARTICLES, NO_REQUIRED, crowded)
    threads = set()
    real = prices.solve_priced
    monkeypatch.setattr(
        prices, "solve_priced", lambda *a, **k: threads.add(get_ident()) or real(*a, **k)
    )
    results = []
    for workers in (1, 2):
        ANSWERS.clear()  # each solve again, not read back from the first run
        threads.clear()
        plan = plan_week(ws, WEEK, time_limit=5, workers=workers)
        results.append((plan.problems[0], plan.posts))
        assert (len(threads) > 1) == (workers > 1)  # each round's pool has its own threads
    (one, posts), (two, again) = results
    assert (one.objective, one.best_bound, posts) == (two.objective, two.best_bound, again)
    # the bound came from the rows' prices: the groups' own bounds cannot prove this plan
    problem = build_problems(ws, WEEK)[0]
    weights = ws.rules.stages.objective.model_dump()
    own = sum(solve_module.solve(single, weights).best_bound for single in problem.singles())
    assert one.status == "optimal" and one.objective == one.best_bound < own


def test_solves_at_once_stop_at_the_first_failure() -> None:
    """An interrupted or failing solve ends the others' queue: the items not started are
    dropped, not solved after the run has already failed (Ctrl-C)."""
    started = []

    def solve(n: int) -> int:
        started.append(n)
        if n == 0:
            raise KeyboardInterrupt
        sleep(0.5)
        return n

    with solving_at_once(2), pytest.raises(KeyboardInterrupt):
        each(solve, list(range(20)))
    assert 0 in started and len(started) < 10  # all 20 would start without the drop
    with solving_at_once(2):
        assert each(lambda n: n * n, list(range(9))) == [n * n for n in range(9)]


def test_solves_at_once_never_outnumber_the_cores(monkeypatch) -> None:
    """A Ray driver counts the cluster's cores; a node runs no more threads than its own."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    seen = set()

    def solve(n: int) -> int:
        seen.add(get_ident())
        sleep(0.05)
        return n

    with solving_at_once(64):
        assert each(solve, list(range(12))) == list(range(12))
    assert len(seen) == 2
