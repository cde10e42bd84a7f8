"""The operator's LP relaxation (planner.solver.relaxation): it relaxes the one-group
models exactly (clauses and negated literals kept, enforced constraints left out), and its
duals price the operator's rows so that one priced round bounds a crowded operator within
a small gap, no lower than the proven optimum."""

from __future__ import annotations

from pathlib import Path

import pytest
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model
from test_coupled import WEEK, _workspace, group

from planner.solver import coupled, prices, relaxation
from planner.solver import solve as solve_module
from planner.solver.problem import build_problems


def _lp_value(model: cp_model.CpModel, copies: int = 1) -> float:
    lp = pywraplp.Solver.CreateSolver("GLOP")
    lp.Objective().SetMaximization()
    relaxation._relaxed(lp, model.proto, copies)
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


def test_an_exactly_one_over_negated_literals_and_a_minimised_objective() -> None:
    """not-x + not-y == 1 is x + y == 1; minimising 2x + 3y - 1 is maximising its negative:
    the LP's value is that negative at its best (x = 1: -1)."""
    model = cp_model.CpModel()
    x, y = model.new_bool_var("x"), model.new_bool_var("y")
    model.add_exactly_one([x.Not(), y.Not()])
    model.minimize(2 * x + 3 * y - 1)
    assert _lp_value(model) == pytest.approx(-1.0)


def test_a_groups_lp_bounds_its_optimum_closely(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, [group("g0")])
    single = build_problems(ws, WEEK)[0]
    weights = ws.rules.stages.objective.model_dump()
    optimum = solve_module.solve(single, weights, 10)
    assert optimum.status == "optimal"
    built = prices.priced_model(single, weights)
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
    bound = coupled.operator_bound(problem, problem.singles(), parts, weights, 10, plan)
    optimum = solve_module._solve_whole(problem, weights, 60)
    assert optimum.status == "optimal" and len(rounds) == 1
    assert optimum.objective <= bound < 0.8 * sum(p.best_bound for p in parts)
    assert (bound - optimum.objective) / bound <= 0.03


def test_an_lp_beyond_its_work_limit_leaves_the_bound_to_the_steps(
    tmp_path: Path, monkeypatch
) -> None:
    """No LP optimum within its limit: the subgradient steps price the rows, as before."""
    problem, weights, parts = _crowded(tmp_path, False)
    singles = problem.singles()
    rows = prices.Rows.of(problem)
    fams = coupled.families(singles, weights, 10, parts)
    assert relaxation.row_prices(rows, fams, weights, 1e-9) is None
    assert relaxation.row_prices(rows, fams, weights, 60)
    monkeypatch.setattr(relaxation, "WORK_PER_GROUP", 1e-12)
    steps = []
    real = coupled.subgradient
    monkeypatch.setattr(coupled, "subgradient", lambda *a: steps.append(a) or real(*a))
    plan = solve_module.group_by_group(problem, singles, [], weights, 10, 0)
    bound = coupled.operator_bound(problem, singles, parts, weights, 10, plan)
    assert steps and plan.objective <= bound
