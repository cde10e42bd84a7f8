"""An operator whose capacity binds, planned group by group under prices (Lagrangian
relaxation of the operator's rows, planner.solver.prices).

Groups with the same one-group model and time zone form a family (planner.solver.families):
a round of pricing costs one solve per family. The steps' plans (planner.solver.solve) are
judged by operator_bound: the rows priced by the operator's LP (planner.solver.relaxation;
beyond solve.WHOLE_UP_TO candidates solved aside, Relaxed, while the groups go in turn),
one round of priced solves; a plan still further than 1% from that bound is turned under
those prices (turned_under, with planner.solver.turns). Without the LP's prices,
subgradient steps (Polyak's, towards a target level below the best bound) move them, round
by round; each round's priced optima bound the whole operator.

solve_coupled (solve.COUPLING = "prices", not the default) plans from the steps' prices:
the plans found while pricing, mixed so that every row holds (a small integer model),
then improved by the groups in turn, each inside the room the others leave
(benchmarks/README.md, coupled operators).
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import Future, wait
from dataclasses import replace

from ortools.sat.python import cp_model

# Modules, not names: families and prices import solve, which imports this one.
from planner.solver import families, relaxation, turns
from planner.solver import prices as pricing
from planner.solver import solve as solving
from planner.solver.cores import aside, cp_solver, each, ready
from planner.solver.problem import Problem

# Rounds of subgradient steps, each one solve per family: as many as PRICED_PER_GROUP
# solves per group allow, within MIN_ROUNDS..MAX_ROUNDS; a family of alike groups gets
# more rounds for the same cost per group. Stop after STALE rounds without a better bound.
# Deflected steps keep gaining where plain ones had stalled: 40 mixed groups 3.3% from the
# plan after 10 rounds, 1.9% after 20; 200 alike 2.2% after 60, 1.8% after 80, 1.3% after
# 100; 20 alike reach 1% only after 99 (benchmarks/README.md, deflected pricing steps).
PRICED_PER_GROUP = 6
MIN_ROUNDS, MAX_ROUNDS, STALE = 20, 100, 20
# A priced solve gets this share of the time limit: its bound stays valid, only looser.
PRICED_TIME = 0.2
# Alike groups take turns among the prices of this many rounds (the best and the last):
# the prices oscillate around the ones that share the contested slots out.
MIXED = 4
# Polyak's step aims this share below the best bound so far (the optimum is not known);
# the share halves after two rounds without a better bound (a target-level method).
TARGET = 0.3
# Each step goes along the new subgradient plus this multiple of its part against the last
# direction (Camerini, Fratta and Maffioli's deflection): plain steps zigzag between the
# slots the families move their posts to, and 100 of them left 12 crowded alike groups
# 2.3% above the whole model's bound on their optimum, deflected ones 1.3%
# (benchmarks/dual_gap.py).
DEFLECTION = 1.5
# Improving turns of the groups at most, each one solve per group.
IMPROVING_TURNS = 2


def lagrangian(
    rows: pricing.Rows,
    fams: list[families.Family],
    weights,
    prices: dict[pricing.Row, int],
    time_limit: float,
) -> tuple[int, Counter] | None:
    """The Lagrangian bound at `prices` and the rows' load of the families' priced plans
    (None: a family found no plan in time, so no bound)."""
    bound = sum(price * rows.limit(row) for row, price in prices.items())
    load: Counter = Counter()
    limit = time_limit * PRICED_TIME
    found = each(lambda family: family.priced(weights, rows, prices, limit), fams)
    for family, priced in zip(fams, found, strict=True):
        if priced.status not in solving.PLANNED:
            return None
        bound += len(family.members) * priced.priced_bound
        family.add(priced)
        for row, posts in rows.load(pricing.usage(family.single, priced.placements)).items():
            load[row] += posts * len(family.members)
    return bound, load


def subgradient(
    rows: pricing.Rows,
    fams: list[families.Family],
    weights,
    time_limit: float,
    bound: int,
    known: int | None = None,
    own: Counter | None = None,
) -> tuple[int, list[dict[pricing.Row, int]], int]:
    """Rounds of deflected Polyak steps from prices zero (whose bound is `bound`, the
    groups' own) towards TARGET below the best bound so far, from half the rounds on towards
    the value of a plan: `known` (a plan's value, found before; pricing stops once the bound
    is within GOOD_ENOUGH_GAP of it) or the plans found so far, mixed. `own`: the rows'
    load of the groups' own plans, whose bounds make `bound`: the first round (prices zero)
    then costs no solve. The lowest bound, the prices of the best and the last rounds
    (MIXED in all) and the rounds."""
    multipliers: dict[pricing.Row, float] = {}
    direction: dict[pricing.Row, float] = {}
    best_prices: dict[pricing.Row, int] = {}
    recent: list[dict[pricing.Row, int]] = []
    level, stale = TARGET, 0
    groups = sum(len(f.members) for f in fams)
    most = min(MAX_ROUNDS, max(MIN_ROUNDS, PRICED_PER_GROUP * groups // len(fams)))
    target = None
    for rounds in range(1, most + 1):
        if known is not None and known >= bound * (1 - solving.GOOD_ENOUGH_GAP):
            return bound, [best_prices], rounds - 1
        if rounds == most // 2 + 1:
            target = known if known is not None else _value(mix(rows, fams, groups, time_limit))
        prices = {row: round(m) for row, m in multipliers.items() if round(m) > 0}
        if rounds == 1 and own is not None:
            found = bound, own
        else:
            found = lagrangian(rows, fams, weights, prices, time_limit)
        if found is None:
            return bound, [best_prices], rounds
        value, load = found
        recent = [*recent[-(MIXED - 1) :], prices]
        if value < bound:
            bound, best_prices, stale = value, prices, 0
        else:
            stale += 1
            level = level / 2 if stale >= 2 else level
        if stale >= STALE:
            return bound, [best_prices, *recent[::-1]][:MIXED], rounds
        aim = target if target is not None and target < bound else bound * (1 - level)
        direction = _deflected(rows, multipliers, load, direction)
        multipliers = _step(multipliers, direction, value - aim)
    return bound, [best_prices, *recent[::-1]][:MIXED], most


def _deflected(rows: pricing.Rows, multipliers: dict, load: Counter, last: dict) -> dict:
    """The step's direction: the rows' overload (the subgradient) plus DEFLECTION times its
    part against the `last` direction (whose rows are the priced ones, so among these). The
    rows in order: the sums over them are of floats, and a set's order changes from process
    to process (so would the prices)."""
    slope = {row: load[row] - rows.limit(row) for row in sorted(set(load) | set(multipliers))}
    against = sum(g * last.get(row, 0.0) for row, g in slope.items())
    length = sum(d * d for d in last.values())
    share = max(0.0, -DEFLECTION * against / length) if length else 0.0
    return {row: g + share * last.get(row, 0.0) for row, g in slope.items()}


def _step(multipliers: dict, direction: dict, above: float) -> dict:
    """Polyak's step: along `direction`, by `above` (the bound over the aim) over the
    direction's squared norm; prices stay at least zero."""
    size = above / (sum(d * d for d in direction.values()) or 1)
    return {row: max(0.0, multipliers.get(row, 0.0) + size * d) for row, d in direction.items()}


class Relaxed:
    """The operator's LP (relaxation.row_prices), solved when operator_bound asks for its
    duals, or started aside (cores.aside) while the steps go on: 200 varied groups' LP takes
    about 50 s of one core, the blocks and group by group as long on the other (started
    with group by group, the LP ended 15 s after it). `stop` ends it (the steps' plan was
    good enough, or Ctrl-C)."""

    def __init__(self, problem: Problem, singles, parts: list, weights, limit, own=None):
        self.rows = pricing.Rows.of(problem)
        self.fams: list[families.Family] = []
        self.weights = weights
        self._families = lambda: families.families(singles, weights, limit, parts, self._stop, own)
        self._stop = relaxation.Stop()
        self._aside: Future | None = None

    def start(self) -> None:
        self._aside = self._aside or aside(self._solve)

    def prices(self) -> dict[pricing.Row, int]:
        """The LP's duals as whole prices (those above zero; none without the LP's)."""
        self._aside = self._aside or ready(self._solve())  # solved once
        return {row: round(d) for row, d in (self._aside.result() or {}).items() if round(d) > 0}

    def stop(self) -> None:
        """Ask the LP to stop until it has (PDLP forgets an interrupt that comes just
        before it starts)."""
        self._stop()
        while self._aside and not wait([self._aside], timeout=0.2).done:
            self._stop()

    def _solve(self) -> dict | None:
        self.fams = self._families()
        return relaxation.row_prices(self.rows, self.fams, self.weights, self._stop)


def operator_bound(
    problem: Problem,
    singles: list[Problem],
    parts: list,
    weights,
    time_limit: float,
    plan,
    relaxed: Relaxed | None = None,
) -> tuple[int, dict[pricing.Row, int]]:
    """The Lagrangian bound of an operator whose `plan` (a solve.Result) ends further than
    1% from the groups' own bounds (`parts`, their results), which ignore the operator
    (27-37% "gaps" on a chain's alike groups, 13-19% on varied ones, were mostly theirs),
    and the prices that made it. The rows are priced by the operator's LP
    (relaxation.row_prices), and one priced solve per family makes the bound: CP-SAT's, so
    it is proven, not an LP's floats. Subgradient steps from there did not lower it (40
    varied groups, 12 rounds); they price the rows only when the LP's prices give nothing
    (no optimum within its limit, all prices below one, a family without a plan in time, no
    bound below the groups' own), their prices are not returned (none), and they stop
    once the bound is within GOOD_ENOUGH_GAP of the plan. `relaxed`: the LP, if started
    already."""
    relaxed = relaxed or Relaxed(problem, singles, parts, weights, time_limit)
    prices = relaxed.prices()
    fams, rows = relaxed.fams, relaxed.rows
    bound = sum(part.best_bound for part in parts)
    found = lagrangian(rows, fams, weights, prices, time_limit) if prices else None
    if found is not None and found[0] < bound:
        return found[0], prices
    own = own_load(rows, singles, parts)
    return subgradient(rows, fams, weights, time_limit, bound, plan.objective, own)[0], {}


def turned_under(
    problem: Problem,
    singles: list[Problem],
    weights,
    time_limit: float,
    prices,
    plan,
    rooms: turns.Rooms | None = None,
    ahead: turns.Ahead | None = None,
) -> solving.Result | None:
    """From `plan` (a solve.Result within the rows), the groups in turn under the rows'
    `prices`, each inside the room the others leave (a group gives up the contested slots
    it values less than they cost), then in turn without them (each takes back what room is
    left): group by group stops where no single group gains, and 100 varied groups ended
    1.30% from the bound there, 0.48% after these two turns (benchmarks/README.md). None:
    a group found no plan. `rooms`: the groups' models kept from group by group; `ahead`:
    the turn under the prices, if started already."""
    rows = pricing.Rows.of(problem)
    rooms = rooms or turns.Rooms(singles, weights, rows)
    ahead = ahead or turns.Ahead(singles, weights, time_limit, rows, prices, plan, rooms)
    if (priced := ahead.result()) is None:
        return None
    start = [p.placements for p in priced]
    plain = turns.priced_turns(singles, weights, time_limit, rows, None, start, rooms)
    if plain is None:
        return None
    turned = _result(problem, plain, plan.best_bound)  # the steps' model size is kept
    return replace(turned, variables=plan.variables, candidates=plan.candidates)


def own_load(rows: pricing.Rows, singles: list[Problem], parts: list) -> Counter:
    """The rows' load of the groups' own plans (the subgradient at prices zero)."""
    load: Counter = Counter()
    for single, part in zip(singles, parts, strict=True):
        load.update(rows.load(pricing.usage(single, part.placements)))
    return load


def contested(
    rows: pricing.Rows, fams: list[families.Family]
) -> dict[pricing.Row, dict[tuple[int, int], int]]:
    """Rows that some choice of the families' plans could overload, with each plan's posts
    in them, by (family, plan)."""
    loads: dict[pricing.Row, dict[tuple[int, int], int]] = {}
    most: Counter = Counter()
    for k, family in enumerate(fams):
        highest: Counter = Counter()
        for c, plan in enumerate(family.plans.values()):
            for row, posts in rows.load(pricing.usage(family.single, plan.placements)).items():
                loads.setdefault(row, {})[(k, c)] = posts
                highest[row] = max(highest[row], posts)
        for row, posts in highest.items():
            most[row] += posts * len(family.members)
    return {row: loads[row] for row in sorted(loads) if most[row] > rows.limit(row)}


def mix(
    rows: pricing.Rows, fams: list[families.Family], groups: int, time_limit: float
) -> list[pricing.Priced] | None:
    """The best choice of one found plan per group that keeps every row (a small integer
    model: how many of a family's groups take each of its plans). None: none in time."""
    model = cp_model.CpModel()
    x = {
        (k, c): model.new_int_var(0, len(f.members), f"x{k}_{c}")
        for k, f in enumerate(fams)
        for c in range(len(f.plans))
    }
    for k, family in enumerate(fams):
        model.add(sum(x[(k, c)] for c in range(len(family.plans))) == len(family.members))
    for row, loads in contested(rows, fams).items():
        model.add(sum(posts * x[kc] for kc, posts in loads.items()) <= rows.limit(row))
    values = {
        (k, c): plan.value for k, f in enumerate(fams) for c, plan in enumerate(f.plans.values())
    }
    model.maximize(sum(values[kc] * var for kc, var in x.items()))
    solver = cp_solver(time_limit)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    chosen: list[pricing.Priced] = [pricing.Priced("unknown")] * groups
    for k, family in enumerate(fams):
        plans = list(family.plans.values())
        taken = (plans[c] for c in range(len(plans)) for _ in range(solver.value(x[(k, c)])))
        for g, plan in zip(family.members, taken, strict=True):
            chosen[g] = plan
    return chosen


def solve_coupled(
    problem: Problem, singles: list[Problem], parts: list, weights, time_limit: float
) -> solving.Result | None:
    """The operator's plan within their rows and the Lagrangian bound (None: no plan found).

    The plans found while pricing (with the groups' own) are mixed into one within the rows
    (mix); from it, the groups in turn improve it without prices, each inside the room the
    others leave, while it is further than half of GOOD_ENOUGH_GAP from the bound."""
    rows = pricing.Rows.of(problem)
    fams = families.families(singles, weights, time_limit, parts)
    own = sum(p.best_bound for p in parts)
    load = own_load(rows, singles, parts)
    bound, prices, _ = subgradient(rows, fams, weights, time_limit, own, None, load)
    best = mix(rows, fams, len(singles), time_limit)
    if best is None:  # no mix of them keeps the rows: the groups in turn, under the prices
        best = turns.priced_turns(singles, weights, time_limit, rows, prices)
    for _ in range(IMPROVING_TURNS):
        if best is None or _value(best) >= bound * (1 - solving.GOOD_ENOUGH_GAP / 2):
            break
        start = [p.placements for p in best]
        found = turns.priced_turns(singles, weights, time_limit, rows, None, start)
        if found is None or _value(found) <= _value(best):
            break
        best = found
    return None if best is None else _result(problem, best, bound)


def _result(problem: Problem, plans: list[pricing.Priced], bound: int) -> solving.Result:
    """The groups' plans as the operator's, judged against `bound`."""
    return solving.Result(
        problem.id,
        "optimal" if _value(plans) >= bound else "feasible",
        objective=_value(plans),
        best_bound=bound,
        placements=solving._merge(plans),
        candidates=len(problem.candidates),
    )


def _value(plans: list[pricing.Priced] | None) -> int | None:
    return None if plans is None else sum(plan.value for plan in plans)
