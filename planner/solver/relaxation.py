"""An operator's linear relaxation: the one-group models of its groups without their
integrality, under the operator's rows. Its duals on the rows are prices for the
Lagrangian bound (coupled.operator_bound): a one-group model's LP is nearly integral, so
one LP finds prices that a hundred rounds of subgradient steps, each a priced solve per
family, did not reach (40 alike groups: 0.13% from the plan against 1.04%, in 4 s instead
of 30; benchmarks/README.md, "Prices from the operator's LP"). Its time is PDLP's
iterations, outside the CP-SAT time limit.

Alike groups (a family) enter once, their posts counted once per member: the LP is convex
and the same whatever the order of alike groups, so one of its optima treats them alike.
"""

from __future__ import annotations

from ortools.linear_solver import pywraplp

from planner.solver import prices as pricing

# The LP is solved by PDLP (first-order, in ortools) to this relative accuracy: the priced
# round that follows makes the bound, so the duals need not be exact. On 200 varied groups
# (114 families, 410,000 columns) PDLP took 30 s where GLOP's simplex took 111 s, and their
# prices gave the same bound within 0.01%; 1e-2 lost 0.5% of gap on alike groups.
ACCURACY = 1e-3
# PDLP's iterations at most (deterministic, unlike a time limit): 200 varied groups took
# 3,136 (30 s), 100 varied 3,520, 40 alike 960. An LP that needs more is left to the
# subgradient steps, after at most about three times those 30 s.
ITERATIONS = 10_000
_UNBOUNDED = 2**62  # CP-SAT writes "no limit" as the extreme 64-bit integers


def row_prices(rows: pricing.Rows, fams: list, weights) -> dict | None:
    """The LP's duals on the operator's rows that are above zero, by row (None: the LP
    found no optimum within ITERATIONS). `fams`: coupled.Family, each with its members."""
    lp = pywraplp.Solver.CreateSolver("PDLP")
    settings = (
        f"num_threads: 1 termination_criteria {{ iteration_limit: {ITERATIONS}"
        f" simple_optimality_criteria {{ eps_optimal_relative: {ACCURACY}"
        f" eps_optimal_absolute: {ACCURACY} }} }}"
    )
    if lp is None or not lp.SetSolverSpecificParametersAsString(settings):
        return None  # an OR-Tools without PDLP: the subgradient steps price the rows
    lp.Objective().SetMaximization()
    limits: dict[pricing.Row, pywraplp.Constraint] = {}
    for family in fams:
        built = family.model(weights)
        built.model.maximize(built.value)  # a kept model holds its last round's prices
        if built.model.proto.has_floating_point_objective():
            return None  # not the models' integer weights: no relaxation of it here
        copies = len(family.members)
        columns = _relaxed(lp, built.model.proto, copies)
        where = pricing.absolute_slots(family.single, built)
        for key, var in built.y.items():
            for row in rows.of_slot(where[key]):
                if row not in limits:
                    limits[row] = lp.Constraint(-lp.infinity(), rows.limit(row))
                limits[row].SetCoefficient(columns[var.index], copies)
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    duals = {row: limit.dual_value() for row, limit in sorted(limits.items())}
    return {row: dual for row, dual in duals.items() if dual > 0}


def _relaxed(lp: pywraplp.Solver, proto, copies: int) -> list:
    """A CP-SAT model's variables as LP columns and its constraints as rows, its objective
    `copies` times added to the LP's, which maximises (CP-SAT minimises its objective's
    terms, and scales them by -1 to report a maximised objective). Linear constraints and
    clauses are kept; any other constraint, or one under an enforcement literal, is left
    out (a looser relaxation, still a relaxation)."""
    columns = [lp.NumVar(*_hull(variable.domain), "") for variable in proto.variables]
    for constraint in proto.constraints:
        kept = None if constraint.enforcement_literal else _linear(constraint)
        if kept is None:
            continue
        terms, (low, high) = kept
        row = lp.Constraint(low, high)
        for index, coefficient in terms.items():
            row.SetCoefficient(columns[index], coefficient)
    objective, goal = lp.Objective(), proto.objective
    terms, constant = _terms(goal.vars, goal.coeffs)
    scale = -copies * abs(goal.scaling_factor or 1.0)
    for index, coefficient in terms.items():
        column = columns[index]
        objective.SetCoefficient(column, objective.GetCoefficient(column) + scale * coefficient)
    objective.SetOffset(objective.offset() + scale * (goal.offset + constant))
    return columns


def _linear(constraint) -> tuple[dict[int, int], tuple[float, float]] | None:
    """A constraint as (terms, (low, high)) over the model's variables, or None if it is not
    linear: a linear constraint within its domain's hull, a clause as a sum of literals."""
    inf = pywraplp.Solver.infinity()
    if constraint.has_linear():
        lin = constraint.linear
        terms, constant = _terms(lin.vars, lin.coeffs)
        low, high = _hull(lin.domain)
        return terms, (max(-inf, low - constant), min(inf, high - constant))
    for kind, low, high in (("bool_or", 1, inf), ("at_most_one", -inf, 1), ("exactly_one", 1, 1)):
        if getattr(constraint, f"has_{kind}")():
            literals = list(getattr(constraint, kind).literals)
            terms, constant = _terms(literals, [1] * len(literals))
            return terms, (low - constant, high - constant)
    return None


def _terms(refs, coefficients) -> tuple[dict[int, int], int]:
    """Terms over variables from terms over literals (CP-SAT writes not-x as -x-1, and
    c * not-x is c - c * x): by variable, and the constant they leave."""
    terms: dict[int, int] = {}
    constant = 0
    for ref, coefficient in zip(refs, coefficients, strict=True):
        if ref < 0:
            ref, coefficient, constant = -ref - 1, -coefficient, constant + coefficient
        terms[ref] = terms.get(ref, 0) + coefficient
    return terms, constant


def _hull(domain) -> tuple[float, float]:
    """A CP-SAT domain's lowest and highest values (its holes dropped), CP-SAT's extreme
    integers as infinite."""
    values = list(domain)
    inf = pywraplp.Solver.infinity()
    low, high = values[0], values[-1]
    return (-inf if low <= -_UNBOUNDED else low), (inf if high >= _UNBOUNDED else high)
