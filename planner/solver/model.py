"""The CP-SAT model of one problem: the only module (with solve.py) that imports ortools.

Decisions are counts per segment: `z` says an item goes to a segment of a
group-day, `y` says a slot holds a post; within a segment every chosen item fits
every chosen slot, so the model is exact while far smaller than one boolean per
(item, slot). The rules and objective terms come from the rule catalogue
(planner/rules/): each adds itself through `add`, which, with `explain=True`, guards
every rule instance by an assumption literal so an infeasible week can name the rules
in conflict.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.rules.catalogue import BY_NAME, MODEL_RULES, TERMS
from planner.solver.problem import Candidate, Problem, slots_for


@dataclass(frozen=True)
class Guard:
    """A rule instance that an assumption literal switches on, for conflict explanations."""

    rule: str
    group: int  # -1: the operator (across groups)
    day: int | None
    detail: tuple = ()


class Model:
    """The CP-SAT model of `problem`, with the indices the catalogue's rules build on."""

    def __init__(
        self,
        problem: Problem,
        weights: dict[str, int],
        explain: bool = False,
        last_resort: bool = False,
    ):
        self.problem = problem
        self.weights = weights
        self.explain = explain
        self.last_resort = last_resort  # explaining: guard the last-resort rules too
        self.model = cp_model.CpModel()
        self.guards: dict[int, Guard] = {}  # literal index -> rule instance
        self.guard_vars: dict[int, cp_model.IntVar] = {}
        self.S = problem.slots_per_day
        self.z = [self.model.new_bool_var(f"z{n}") for n in range(len(problem.candidates))]
        self.y: dict[tuple[int, int], cp_model.IntVar] = {}  # (group, week slot) -> post here
        for (g, d), gd in sorted(problem.group_days.items()):
            for segment in gd.segments:
                for s in range(segment.first, segment.last):
                    self.y[(g, d * self.S + s)] = self.model.new_bool_var(f"y{g}_{d}_{s}")
        self.by_gds: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        self.by_gd: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.by_gi: dict[tuple[int, str], list[int]] = defaultdict(list)
        for n, c in enumerate(problem.candidates):
            self.by_gds[(c.group, c.day, c.segment)].append(n)
            self.by_gd[(c.group, c.day)].append(n)
            self.by_gi[(c.group, c.item)].append(n)
        self._by_kind: dict[tuple[int, int, str], list[int]] | None = None

    @classmethod
    def of(cls, problem: Problem, weights: dict[str, int]) -> Model:
        """The model with the catalogue's constraints and the plan's value to maximise."""
        built = cls(problem, weights)
        built.add_constraints()
        built.add_objective()
        return built

    def hint(self, problem: Problem, placements: list) -> None:
        """Start the search from a known plan (every variable hinted, so CP-SAT can use it),
        written into the proto at once, as add_hint writes it one call each. `problem`:
        whose candidates the plan's items are (a clone's original may be another group)."""
        S = problem.slots_per_day
        posts = {(p.group, p.day * S + p.slot) for p in placements}
        segments = set()
        for p in placements:
            gd = problem.group_days[(p.group, p.day)]
            k = next(k for k, seg in enumerate(gd.segments) if seg.first <= p.slot < seg.last)
            segments.add((p.group, p.item, p.day, k))
        chosen = [(c.group, c.item, c.day, c.segment) in segments for c in problem.candidates]
        chosen += [key in posts for key in self.y]
        hint = self.model.proto.solution_hint
        hint.vars.extend([var.index for var in [*self.z, *self.y.values()]])
        hint.values.extend([int(value) for value in chosen])

    # -- what rules build on ------------------------------------------------------------
    def add(self, constraint, rule: str, group: int, day: int | None, detail: tuple = ()):
        """Add a rule instance (a linear constraint or a made Constraint), guarded when
        explaining."""
        if not isinstance(constraint, cp_model.Constraint):
            constraint = self.model.add(constraint)
        if self.explain and (self.last_resort or not BY_NAME[rule].last_resort):
            literal = self.model.new_bool_var(f"guard{len(self.guards)}")
            constraint.only_enforce_if(literal)
            self.guards[literal.index] = Guard(rule, group, day, detail)
            self.guard_vars[literal.index] = literal
        return constraint

    def clone(self) -> Model:
        """The same model on a proto of its own, for a solve that changes its objective,
        hints or limits while another reads the original: a proto's copy, not a rebuild
        (54 ms of the interpreter's time per group). Its variables stay the original's:
        the solver and the proto take them by index."""
        twin = copy.copy(self)
        twin.model = self.model.clone()
        return twin

    def candidate(self, n: int) -> Candidate:
        return self.problem.candidates[n]

    def item(self, n: int):
        return self.problem.items[self.problem.candidates[n].item]

    def minute(self, n: int) -> int:
        """Minute of the day at which candidate n's segment starts."""
        c = self.problem.candidates[n]
        first = self.problem.group_days[(c.group, c.day)].segments[c.segment].first
        return first * self.problem.slot_minutes

    def start(self, n: int):
        c = self.candidate(n)
        first = self.problem.group_days[(c.group, c.day)].segments[c.segment].first
        return self.problem.start_of(c.group, c.day, first)

    def slots_for(self, minutes: int) -> int:
        return slots_for(minutes, self.problem.slot_minutes)

    def day_slots(self, g: int, d: int) -> list[cp_model.IntVar]:
        return [self.y[(g, t)] for t in range(d * self.S, (d + 1) * self.S) if (g, t) in self.y]

    def windows(self, g: int, length: int):
        """Every run of `length` consecutive week slots of a group (across midnight too)."""
        slots = sorted(t for (gg, t) in self.y if gg == g)
        present = set(slots)
        for t in slots:
            window = [self.y[(g, u)] for u in range(t, t + length) if u in present]
            if len(window) > 1:
                yield t, window

    def by_kind(self) -> dict[tuple[int, int, str], list[int]]:
        """Candidates by (group, day, kind), built on first use."""
        if self._by_kind is None:
            self._by_kind = defaultdict(list)
            for n, candidate in enumerate(self.problem.candidates):
                self._by_kind[(candidate.group, candidate.day, self.item(n).kind)].append(n)
        return self._by_kind

    # -- the catalogue ------------------------------------------------------------------
    def add_constraints(self) -> None:
        for rule in MODEL_RULES:
            rule.constrain(self)

    def add_objective(self) -> None:
        """Maximise the plan's value; keep `self.value` for the stability pass."""
        terms = []
        for term in TERMS:
            weight = self.weights.get(term.weight, 0) if term.weight else 1
            if not term.second_pass and weight > 0:
                terms += term.add(self, weight)
        self.value = cp_model.LinearExpr.weighted_sum([v for _, v in terms], [c for c, _ in terms])
        self._value_terms = _by_index(terms)
        self.maximize_less([])

    def maximize_less(self, charged: list[tuple[int, cp_model.IntVar]]) -> None:
        """Maximise the value less `charged` (a price per variable)."""
        self._maximize(_by_index([(-price, var) for price, var in charged], self._value_terms))

    def add_stability(self, value: int) -> None:
        """Second pass of a re-plan: among plans worth at least `value`, the second-pass
        terms (posts kept where this week's last plan had them)."""
        terms = []
        for term in TERMS:
            if term.second_pass:
                terms += term.add(self, self.weights.get(term.weight, 0))
        self.model.add(self.value >= value)
        self._maximize(_by_index(terms))

    def _maximize(self, coefficients: dict[int, int]) -> None:
        """Maximise the sum of coefficient times variable (by index), written straight into
        CP-SAT's objective as CpModel.maximize writes it (by index, without zeros, negated
        to a minimum): maximize wrote its terms one call each, 15 s of 200 groups' solves."""
        terms = sorted((index, c) for index, c in coefficients.items() if c)
        self.model.clear_objective()
        objective = self.model.proto.objective
        objective.vars.extend([index for index, _ in terms])
        objective.coeffs.extend([-c for _, c in terms])
        objective.scaling_factor = -1.0


def _by_index(terms, base: dict[int, int] | None = None) -> dict[int, int]:
    """(coefficient, variable) pairs as a coefficient by variable index, added to `base`."""
    coefficients = dict(base or {})
    for coefficient, var in terms:
        coefficients[var.index] = coefficients.get(var.index, 0) + coefficient
    return coefficients
