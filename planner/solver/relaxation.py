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

from threading import Lock

from ortools.linear_solver import linear_solver_pb2, pywraplp

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


class Stop:
    """Ends an LP being built or solved on another thread (row_prices then gives None)."""

    def __init__(self) -> None:
        self._lock = Lock()
        self.asked = False
        self._lp: pywraplp.Solver | None = None

    def solving(self, lp: pywraplp.Solver) -> bool:
        """Watch `lp` while it solves; False if asked to stop already."""
        with self._lock:
            self._lp = lp
            return not self.asked

    def __call__(self) -> None:
        with self._lock:
            self.asked = True
            if self._lp is not None:
                self._lp.InterruptSolve()


def row_prices(rows: pricing.Rows, fams: list, weights, stop: Stop | None = None) -> dict | None:
    """The LP's duals on the operator's rows that are above zero, by row (None: the LP
    found no optimum within ITERATIONS, or was stopped). `fams`: families.Family, each with
    its members."""
    stop = stop or Stop()
    lp = pywraplp.Solver.CreateSolver("PDLP")
    if lp is None:
        return None  # an OR-Tools without PDLP: the subgradient steps price the rows
    relaxed = linear_solver_pb2.MPModelProto(maximize=True)
    coupling: dict[pricing.Row, dict[int, int]] = {}  # each row's terms, by LP column
    for family in fams:
        if stop.asked:
            return None
        built = family.model(weights)
        built.maximize_less([])  # a kept model holds its last round's prices
        if built.model.proto.has_floating_point_objective():
            return None  # not the models' integer weights: no relaxation of it here
        copies = len(family.members)
        first = _relaxed(relaxed, built.model.proto, copies)
        where = pricing.absolute_slots(family.single, built)
        for key, var in built.y.items():
            for row in rows.of_slot(where[key]):
                coupling.setdefault(row, {})[first + var.index] = copies
    first_row = len(relaxed.constraint)
    for row, terms in sorted(coupling.items()):
        relaxed.constraint.add(
            upper_bound=rows.limit(row), var_index=list(terms), coefficient=list(terms.values())
        )
    settings = (
        f"num_threads: 1 termination_criteria {{ iteration_limit: {ITERATIONS}"
        f" simple_optimality_criteria {{ eps_optimal_relative: {ACCURACY}"
        f" eps_optimal_absolute: {ACCURACY} }} }}"
    )
    if lp.LoadModelFromProto(relaxed) or not lp.SetSolverSpecificParametersAsString(settings):
        return None
    if not stop.solving(lp) or lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    duals = {
        row: lp.constraint(first_row + k).dual_value() for k, row in enumerate(sorted(coupling))
    }
    return {row: dual for row, dual in duals.items() if dual > 0}


def _relaxed(relaxed: linear_solver_pb2.MPModelProto, proto, copies: int) -> int:
    """A CP-SAT model's variables as columns of the `relaxed` LP (after the ones it has:
    the first one's index is returned) and its constraints as rows, its objective `copies`
    times added to the LP's, which maximises (CP-SAT minimises its objective's terms, and
    scales them by -1 to report a maximised objective). Linear constraints and clauses are
    kept; any other constraint, or one under an enforcement literal, is left out (a looser
    relaxation, still a relaxation). Written as a proto: one SetCoefficient call per term
    took 12 s for 200 varied groups' LP, the proto under a second."""
    first = len(relaxed.variable)
    for variable in proto.variables:
        low, high = _hull(variable.domain)
        relaxed.variable.add(lower_bound=low, upper_bound=high)
    for constraint in proto.constraints:
        kept = None if constraint.enforcement_literal else _linear(constraint)
        if kept is None:
            continue
        terms, (low, high) = kept
        relaxed.constraint.add(
            lower_bound=low,
            upper_bound=high,
            var_index=[first + index for index in terms],
            coefficient=list(terms.values()),
        )
    goal = proto.objective
    terms, constant = _terms(goal.vars, goal.coeffs)
    scale = -copies * abs(goal.scaling_factor or 1.0)
    for index, coefficient in terms.items():
        relaxed.variable[first + index].objective_coefficient += scale * coefficient
    relaxed.objective_offset += scale * (goal.offset + constant)
    return first


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
