"""Groups with the same one-group model and time zone (a family): under the same prices
they have the same best plan, so pricing an operator's rows (planner.solver.coupled,
planner.solver.relaxation) costs one solve per family, not per group."""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.solver import prices as pricing
from planner.solver import relaxation
from planner.solver.answers import ANSWERS
from planner.solver.cores import cp_solver
from planner.solver.model import Model
from planner.solver.problem import Problem


@dataclass
class Family:
    """Groups with the same one-group model and time zone: they take the same priced plan.
    `plans`: the plans found for them (each a valid plan for any member), by their posts."""

    members: list[int]
    single: Problem
    plans: dict[tuple, pricing.Priced] = field(default_factory=dict)
    built: Model | None = None  # the priced model, kept between rounds

    def model(self, weights) -> Model:
        """The family's one-group model, built once."""
        self.built = self.built or Model.of(self.single, weights)
        return self.built

    def priced(self, weights, rows: pricing.Rows, prices, time_limit: float) -> pricing.Priced:
        """The family's best plan under `prices`, on the model of its earlier rounds, from
        the newest of its distinct plans."""
        last = list(self.plans.values())[-1].placements if self.plans else None
        built = self.model(weights)
        return pricing.solve_priced(self.single, weights, rows, prices, time_limit, last, built)

    def add(self, plan: pricing.Priced) -> None:
        self.plans.setdefault(tuple((p.item, p.day, p.slot) for p in plan.placements), plan)


def families(
    singles: list[Problem],
    weights: dict[str, int],
    time_limit: float,
    parts: list | None = None,
    stop: relaxation.Stop | None = None,
    own: list | None = None,
) -> list[Family]:
    """The groups by their one-group model (its text, as the answer cache keys it) and time
    zone, in the order of their first group. `parts`: the groups' own results, which hold
    their model's key when solving made one (building 200 models again took 43 s); their
    plans are each family's first. `stop`: asked, the families found so far. `own`: each
    group's model, if kept from its own plan, which the family's first group's clones."""
    solver = cp_solver(time_limit, presolve=False)
    found: dict[tuple, Family] = {}
    for g, single in enumerate(singles):
        if stop is not None and stop.asked:
            break
        known, built = parts[g].model_key if parts else None, None
        if known is None:
            built = Model.of(single, weights)
            known = ANSWERS.key(built, solver)
        elif own and own[g] is not None and (known, single.zones[0]) not in found:
            built = own[g].clone()
        family = found.setdefault((known, single.zones[0]), Family([], single, built=built))
        family.members.append(g)
        if parts:
            family.add(pricing.Priced.of(parts[g]))
    return list(found.values())
