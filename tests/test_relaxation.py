"""The operator's LP relaxation (planner.solver.relaxation): it relaxes the one-group
models exactly (clauses and negated literals kept, enforced constraints left out), and its
duals price the operator's rows so that one priced round bounds a crowded operator within
a small gap, no lower than the proven optimum."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from ortools.linear_solver import linear_solver_pb2, pywraplp
from ortools.sat.python import cp_model
from test_coupled import WEEK, _workspace, group

from planner.run.week import plan_week
from planner.solver import blocks, coupled, families, prices, relaxation
from planner.solver import solve as solve_module
from planner.solver.model import Model
from planner.solver.problem import build_problems
from planner.verify.checker import verify
from planner.verify.objective import objective_of


def _lp_value(model: cp_model.CpModel, copies: int = 1) -> float:
    relaxed = linear_solver_pb2.MPModelProto(maximize=True)
    assert relaxation._relaxed(relaxed, model.proto, copies) == 0
    lp = pywraplp.Solver.CreateSolver("GLOP")
    assert lp.LoadModelFromProto(relaxed) == ""
    assert lp.Solve() == pywraplp.Solver.OPTIMAL
    return lp.Objective().Value()


def test_clauses_and_negated_literals_are_relaxed_as_sums() -> None:
    """Three pairwise exclusions, each written another way: the integer optimum takes one
    of x, y, z (11), the LP half of each (11.5); the enforced constraint, left out, would
    forbid all three."""
    model = cp_model.CpModel()
    x, y, z, w = (model.new_bool_var(name) for name in "xyzw")
    model.add_bool_or([x.Not(), y.Not()])
    model.add(y + z <= 1)
    model.add_at_most_one([x, z])
    model.add(x + y + z == 0).only_enforce_if(w)
    model.maximize(x + y + z + 10)
    assert _lp_value(model) == pytest.approx(11.5)
    assert _lp_value(model, copies=3) == pytest.approx(34.5)
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL and solver.objective_value == 11


def test_models_relaxed_into_one_lp_keep_their_own_columns() -> None:
    """A second model's columns come after the first's: its constraints and objective
    name its own variables, and the LP's value is the sum of the two."""
    one, two = cp_model.CpModel(), cp_model.CpModel()
    x, y = one.new_bool_var("x"), one.new_bool_var("y")
    one.add(x + y <= 1)
    one.maximize(2 * x + y)
    u = two.new_bool_var("u")
    two.add(u == 0)
    two.maximize(5 * u + 1)
    relaxed = linear_solver_pb2.MPModelProto(maximize=True)
    assert relaxation._relaxed(relaxed, one.proto, 1) == 0
    assert relaxation._relaxed(relaxed, two.proto, 3) == 2
    lp = pywraplp.Solver.CreateSolver("GLOP")
    assert lp.LoadModelFromProto(relaxed) == "" and lp.Solve() == pywraplp.Solver.OPTIMAL
    assert lp.Objective().Value() == pytest.approx(2 + 3 * 1)


def test_negated_literals_count_as_one_minus_the_variable() -> None:
    """not-x or y is x <= y (read as x + y >= 1, x - y would reach 1); 3 * not-x with x
    fixed to 1 is worth nothing (read as 3 * x, 3)."""
    model = cp_model.CpModel()
    x, y = model.new_bool_var("x"), model.new_bool_var("y")
    model.add_bool_or([x.Not(), y])
    model.maximize(x - y)
    assert _lp_value(model) == pytest.approx(0.0)
    model = cp_model.CpModel()
    x, y = model.new_bool_var("x"), model.new_bool_var("y")
    model.add(x == 1)
    model.maximize(3 * x.Not() + y)
    assert _lp_value(model) == pytest.approx(1.0)


def test_an_exactly_one_over_negated_literals_and_a_minimised_objective() -> None:
    """not-x + not-y == 1 is x + y == 1; minimising 2x + 3y - 1 is maximising its negative:
    the LP's value is that negative at its best (x = 1: -1)."""
    model = cp_model.CpModel()
    x, y = model.new_bool_var("x"), model.new_bool_var("y")
    model.add_exactly_one([x.Not(), y.Not()])
    model.minimize(2 * x + 3 * y - 1)
    assert _lp_value(model) == pytest.approx(-1.0)


def test_cp_sats_extreme_integers_are_no_limit() -> None:
    inf = pywraplp.Solver.infinity()
    assert relaxation._hull([0, cp_model.INT_MAX]) == (0, inf)
    assert relaxation._hull([cp_model.INT_MIN, 2, 4, 5]) == (-inf, 5)  # holes dropped


def test_a_groups_lp_bounds_its_optimum_closely(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, [group("g0")])
    single = build_problems(ws, WEEK)[0]
    weights = ws.rules.stages.objective.model_dump()
    optimum = solve_module.solve(single, weights, 10)
    assert optimum.status == "optimal"
    built = Model.of(single, weights)
    assert optimum.objective <= _lp_value(built.model) <= optimum.objective * 1.02


def _crowded(tmp_path: Path, varied: bool):
    groups = [group(f"g{n}", **({"caps": {"per_day": 4 + n}} if varied else {})) for n in range(4)]
    ws = _workspace(tmp_path, groups)
    problem = build_problems(ws, WEEK)[0]
    weights = ws.rules.stages.objective.model_dump()
    parts = [solve_module.solve(s, weights) for s in problem.singles()]
    return problem, weights, parts


@pytest.mark.parametrize("varied", [False, True], ids=["alike", "varied"])
def test_one_round_at_the_lps_prices_bounds_the_operator(
    tmp_path: Path, monkeypatch, varied: bool
) -> None:
    """The operator bound is the Lagrangian bound at the LP's prices, found with one
    priced solve per family: no lower than the proven optimum, and well below the groups'
    own bounds, which ignore the operator."""
    problem, weights, parts = _crowded(tmp_path, varied)
    rounds = []
    real = coupled.lagrangian
    monkeypatch.setattr(coupled, "lagrangian", lambda *a: rounds.append(a) or real(*a))
    plan = solve_module.group_by_group(problem, problem.singles(), [], weights, 10, 0)
    bound, used = coupled.operator_bound(problem, problem.singles(), parts, weights, 10, plan)
    optimum = solve_module._solve_whole(problem, weights, 60)
    assert optimum.status == "optimal" and len(rounds) == 1 and used == rounds[0][3]
    assert optimum.objective <= bound < 0.8 * sum(p.best_bound for p in parts)
    assert (bound - optimum.objective) / bound <= 0.03


def test_an_lp_beyond_its_limit_finds_no_prices(tmp_path: Path, monkeypatch) -> None:
    problem, weights, parts = _crowded(tmp_path, False)
    rows = prices.Rows.of(problem)
    fams = families.families(problem.singles(), weights, 10, parts)
    assert relaxation.row_prices(rows, fams, weights)
    monkeypatch.setattr(relaxation, "ITERATIONS", 1)
    assert relaxation.row_prices(rows, fams, weights) is None


@pytest.mark.parametrize("duals", [None, {("window", 0): 0.4}], ids=["no optimum", "below one"])
def test_prices_that_give_nothing_leave_the_bound_to_the_steps(
    tmp_path: Path, monkeypatch, duals
) -> None:
    """No LP optimum within its limit, or only prices that round to zero: the subgradient
    steps price the rows, as before, and no prices are handed on to turn the groups."""
    problem, weights, parts = _crowded(tmp_path, False)
    singles = problem.singles()
    monkeypatch.setattr(relaxation, "row_prices", lambda *a: duals)
    steps = []
    real = coupled.subgradient
    monkeypatch.setattr(coupled, "subgradient", lambda *a: steps.append(a) or real(*a))
    plan = solve_module.group_by_group(problem, singles, [], weights, 10, 0)
    bound, used = coupled.operator_bound(problem, singles, parts, weights, 10, plan)
    assert steps and plan.objective <= bound < sum(p.best_bound for p in parts)
    assert used == {}


def test_turns_under_the_lps_prices_improve_a_first_come_plan(tmp_path: Path) -> None:
    """Groups planned in turn from nothing: the first take the peaks, and turns without
    prices keep them there (no one group gains by moving). Under the rows' prices they give
    up what others value more, and the plain turn after fills the room back: a better
    plan, still within the operator's rows."""
    problem, weights, parts = _crowded(tmp_path, True)
    singles = problem.singles()
    first_come = solve_module.group_by_group(problem, singles, [], weights, 10, 0)
    _, used = coupled.operator_bound(problem, singles, parts, weights, 10, first_come)
    turned = coupled.turned_under(problem, singles, weights, 10, used, first_come)
    plain = solve_module.group_by_group(problem, singles, first_come.placements, weights, 10, 0)
    assert plain.objective < turned.objective
    assert solve_module.within_capacity(problem, turned.placements)


def test_a_plan_turned_under_the_prices_passes_the_checker(tmp_path: Path, monkeypatch) -> None:
    """A large operator whose steps end with the first-come plan (re-timing made to plan
    the groups in turn from nothing): the plan turned under the prices is better and is
    the one planned; it keeps every rule, and its objective is the checker's."""
    monkeypatch.setattr(solve_module, "WHOLE_UP_TO", 0)  # the large operators' steps
    came = []

    def first_come(problem, parts, weights, time_limit):
        singles = problem.singles()
        came.append(solve_module.group_by_group(problem, singles, [], weights, time_limit, 0))
        return came[-1]

    monkeypatch.setattr(blocks, "retime_in_blocks", first_come)
    turned = []
    real = coupled.turned_under
    monkeypatch.setattr(coupled, "turned_under", lambda *a: turned.append(real(*a)) or turned[-1])
    groups = [group(f"g{n}", caps={"per_day": 4 + n}) for n in range(4)]
    ws = _workspace(tmp_path, groups)
    plan = plan_week(ws, WEEK, time_limit=10, workers=1)
    (result,) = plan.problems
    assert [t.objective for t in turned] == [result.objective] > [came[0].objective]
    assert verify(ws, plan) == []
    assert objective_of(ws, plan) == result.objective <= result.best_bound


def test_a_replan_is_not_turned(tmp_path: Path, monkeypatch) -> None:
    """Keeping last time's posts is a re-plan's second pass, which the turns do not run:
    however far its plan from the bound, a re-plan keeps the steps' plan."""
    monkeypatch.setattr(solve_module, "GOOD_ENOUGH_GAP", -1.0)
    turned = []
    monkeypatch.setattr(coupled, "turned_under", lambda *a: turned.append(a))
    problem, weights, parts = _crowded(tmp_path, True)
    solve_module.solve(problem, weights, 10, parts)
    assert len(turned) == 1
    replan = replace(problem, previous=frozenset({(0, "a0", 0, 20)}))
    result = solve_module.solve(replan, weights, 10, parts)
    assert len(turned) == 1 and result.status in solve_module.PLANNED
