"""The CP-SAT model of one problem: the only module (with solve.py) that imports ortools.

Decisions are counts per segment: `z` says an item goes to a segment of a
group-day, `y` says a slot holds a post; within a segment every chosen item fits
every chosen slot, so the model is exact while far smaller than one boolean per
(item, slot). Each rule is one method, named like the violation the verifier
reports for it. With `explain=True` every rule instance is guarded by an
assumption literal so an infeasible week can name the rules in conflict.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.solver.problem import Candidate, Problem, slots_for
from planner.verify.objective import mix_target


@dataclass(frozen=True)
class Guard:
    """A rule instance that an assumption literal switches on, for conflict explanations."""

    rule: str
    group: int
    day: int | None
    detail: tuple = ()


class PlanModel:
    """Builds the CP-SAT model of `problem`; `z` and `y` are read back by solve.py."""

    def __init__(self, problem: Problem, weights: dict[str, int], explain: bool = False):
        self.problem = problem
        self.weights = weights
        self.explain = explain
        self.model = cp_model.CpModel()
        self.guards: dict[int, Guard] = {}  # literal index -> rule instance
        self.guard_vars: dict[int, cp_model.IntVar] = {}
        self.S = problem.slots_per_day
        self.z: list[cp_model.IntVar] = [
            self.model.new_bool_var(f"z{n}") for n in range(len(problem.candidates))
        ]
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
        self.objective_terms: list = []

    # -- plumbing --------------------------------------------------------------------------
    def _add(self, constraint, guard: Guard) -> None:
        if self.explain:
            literal = self.model.new_bool_var(f"guard{len(self.guards)}")
            constraint.only_enforce_if(literal)
            self.guards[literal.index] = guard
            self.guard_vars[literal.index] = literal

    def _day_slots(self, g: int, d: int) -> list[cp_model.IntVar]:
        return [self.y[(g, t)] for t in range(d * self.S, (d + 1) * self.S) if (g, t) in self.y]

    def _windows(self, g: int, length: int):
        """Every run of `length` consecutive week slots of a group (across midnight too)."""
        slots = sorted(t for (gg, t) in self.y if gg == g)
        present = set(slots)
        for t in slots:
            window = [self.y[(g, u)] for u in range(t, t + length) if u in present]
            if len(window) > 1:
                yield t, window

    def candidate(self, n: int) -> Candidate:
        return self.problem.candidates[n]

    # -- rules -----------------------------------------------------------------------------
    def add_constraints(self) -> None:
        self.one_post_per_slot()
        self.per_day_cap()
        self.per_hour_cap()
        self.min_gap()
        self.kind_per_day()
        self.kind_per_week()
        self.promo_share()
        self.required_post()
        self.item_reuse()
        self.operator_capacity()
        self.campaign_need()
        self.campaign_order()
        self.live_overlap()

    def one_post_per_slot(self) -> None:
        """Items placed in a segment fill exactly the segment's chosen slots, one post a slot."""
        for (g, d), gd in self.problem.group_days.items():
            for k, segment in enumerate(gd.segments):
                slots = [self.y[(g, d * self.S + s)] for s in range(segment.first, segment.last)]
                items = [self.z[n] for n in self.by_gds.get((g, d, k), [])]
                self.model.add(sum(items) == sum(slots))

    def per_day_cap(self) -> None:
        """At most caps.per_day posts in a group on a day."""
        for (g, d), gd in self.problem.group_days.items():
            slots = self._day_slots(g, d)
            if len(slots) > gd.caps.per_day:
                self._add(self.model.add(sum(slots) <= gd.caps.per_day), Guard("per_day_cap", g, d))

    def per_hour_cap(self) -> None:
        """At most caps.per_hour posts in any 60 minutes of a group (rolling, across midnight)."""
        length = slots_for(60, self.problem.slot_minutes)
        for g in range(len(self.problem.groups)):
            for t, window in self._windows(g, length):
                cap = self.problem.group_days[(g, t // self.S)].caps.per_hour
                if len(window) > cap:
                    self._add(
                        self.model.add(sum(window) <= cap), Guard("per_hour_cap", g, t // self.S)
                    )

    def min_gap(self) -> None:
        """Two posts of a group are at least caps.min_gap_minutes apart, across midnight too."""
        problem = self.problem
        for (g, t), _ in sorted(self.y.items()):
            gap = problem.group_days[(g, t // self.S)].caps.min_gap_minutes
            length = slots_for(gap, problem.slot_minutes) if gap > 0 else 1
            window = [self.y[(g, u)] for u in range(t, t + length) if (g, u) in self.y]
            if len(window) > 1:
                self._add(self.model.add(sum(window) <= 1), Guard("min_gap", g, t // self.S))

    def _by_kind(self) -> dict[tuple[int, int, str], list[int]]:
        out: dict[tuple[int, int, str], list[int]] = defaultdict(list)
        for n, candidate in enumerate(self.problem.candidates):
            kind = self.problem.items[candidate.item].kind
            out[(candidate.group, candidate.day, kind)].append(n)
        return out

    def kind_per_day(self) -> None:
        """Per-kind limits per day (red packets are rare)."""
        for (g, d, kind), ns in sorted(self._by_kind().items()):
            limit = self.problem.group_days[(g, d)].caps.kinds.get(kind)
            if limit and limit.per_day is not None and len(ns) > limit.per_day:
                self._add(
                    self.model.add(sum(self.z[n] for n in ns) <= limit.per_day),
                    Guard("kind_per_day", g, d, (kind,)),
                )

    def kind_per_week(self) -> None:
        """Per-kind limits per week: the tightest limit among the group's days of the week."""
        week: dict[tuple[int, str], list[int]] = defaultdict(list)
        for (g, _, kind), ns in self._by_kind().items():
            week[(g, kind)].extend(ns)
        for (g, kind), ns in sorted(week.items()):
            limit = week_limit(self.problem, g, kind)
            if limit is not None and len(ns) > limit:
                self._add(
                    self.model.add(sum(self.z[n] for n in ns) <= limit),
                    Guard("kind_per_week", g, None, (kind,)),
                )

    def promo_share(self) -> None:
        """Promotional posts are at most promo_share_max of a group's posts on a day."""
        for (g, d), indices in self.by_gd.items():
            share = self.problem.group_days[(g, d)].caps.promo_share_max
            promo = [
                self.z[n] for n in indices if self.candidate(n).item in self.problem.promotional
            ]
            if not promo or share >= 1:
                continue
            scaled = round(share * 1000)
            self._add(
                self.model.add(1000 * sum(promo) <= scaled * sum(self._day_slots(g, d))),
                Guard("promo_share", g, d),
            )

    def required_post(self) -> None:
        """Each stage's required posts per day, inside their window."""
        for (g, d), gd in sorted(self.problem.group_days.items()):
            for position, required in enumerate(gd.required):
                ns = [
                    n
                    for n in self.by_gd.get((g, d), [])
                    if required_match(self.problem, self.candidate(n), required)
                ]
                self._add(
                    self.model.add(sum(self.z[n] for n in ns) >= required.count),
                    Guard("required_post", g, d, (position,)),
                )

    def item_reuse(self) -> None:
        """Once a day at most; once/weekly items once a week; cooldown days between reuses."""
        problem = self.problem
        for (_, item_id), ns in sorted(self.by_gi.items()):
            item = problem.items[item_id]
            per_day: dict[int, list[int]] = defaultdict(list)
            for n in ns:
                per_day[self.candidate(n).day].append(n)
            for day_ns in per_day.values():
                if len(day_ns) > 1:
                    self.model.add(sum(self.z[n] for n in day_ns) <= 1)
            if item.repeat in ("once", "weekly"):
                if len(per_day) > 1:
                    self.model.add(sum(self.z[n] for n in ns) <= 1)
            elif item.cooldown_days > 1:
                for start in range(7):
                    span = [
                        n
                        for d in range(start, start + item.cooldown_days)
                        for n in per_day.get(d, [])
                    ]
                    if len({self.candidate(n).day for n in span}) > 1:
                        self.model.add(sum(self.z[n] for n in span) <= 1)

    def operator_capacity(self) -> None:
        """The operator posts at most max_posts in any window_minutes across all their groups."""
        problem = self.problem
        capacity = problem.operator
        taken = problem.taken  # posts other groups of the operator already hold (sequential pass)
        if (
            len(problem.groups) < 2
            and not taken
            and capacity.max_posts >= slots_for(capacity.window_minutes, problem.slot_minutes)
        ):
            return
        by_abs: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for (g, t), var in self.y.items():
            minute = problem.absolute_minute(g, t // self.S, t % self.S)
            by_abs[minute // problem.slot_minutes].append(var)
        length = slots_for(capacity.window_minutes, problem.slot_minutes)
        for t in sorted(by_abs):
            window = [v for u in range(t, t + length) for v in by_abs.get(u, [])]
            room = capacity.max_posts - sum(taken.get(u, 0) for u in range(t, t + length))
            if len(window) > room:
                self._add(
                    self.model.add(sum(window) <= max(room, 0)),
                    Guard("operator_capacity", -1, None, (t,)),
                )

    def _start(self, n: int):
        c = self.candidate(n)
        first = self.problem.group_days[(c.group, c.day)].segments[c.segment].first
        return self.problem.start_of(c.group, c.day, first)

    def campaign_need(self) -> None:
        """Each campaign role's posts: between low and high of its items inside its window."""
        problem = self.problem
        index = {g.id: n for n, g in enumerate(problem.groups)}
        for position, need in enumerate(problem.book.needs):
            g = index[need.group]
            ns = [
                n
                for n in self.by_gd_all(g)
                if self.candidate(n).item in need.items and need.start <= self._start(n) < need.end
            ]
            day = max(0, min(6, (need.start.date() - problem.week_start).days))
            guard = Guard("campaign_need", g, day, (position,))
            total = sum(self.z[n] for n in ns)
            if need.low > 0:
                self._add(self.model.add(total >= need.low), guard)
            if need.high is not None and len(ns) > need.high:
                self._add(self.model.add(total <= need.high), guard)

    def campaign_order(self) -> None:
        """On a campaign's day, its first posts come before the ones that must follow."""
        problem = self.problem
        index = {g.id: n for n, g in enumerate(problem.groups)}
        for rule in problem.book.order:
            g = index[rule.group]
            day = (rule.day - problem.week_start).days
            if not 0 <= day < 7:
                continue
            todays = self.by_gd.get((g, day), [])
            later = [n for n in todays if self.candidate(n).item in rule.then]
            earlier = [n for n in todays if self.candidate(n).item in rule.first]
            for a in later:
                for b in earlier:
                    if self.candidate(b).item != self.candidate(a).item and (
                        self.candidate(b).segment >= self.candidate(a).segment
                    ):
                        self.model.add_bool_or([self.z[a].Not(), self.z[b].Not()])

    def live_overlap(self) -> None:
        """No other post of the group starts while a live runs (its duration_minutes)."""
        problem = self.problem
        for n, c in enumerate(problem.candidates):
            item = problem.items[c.item]
            if item.kind != "live":
                continue
            segment = problem.group_days[(c.group, c.day)].segments[c.segment]
            if segment.last - segment.first != 1:
                continue  # pinned lives sit in one-slot segments; the builder cuts the rest
            start = c.day * self.S + segment.first
            length = slots_for(getattr(item, "duration_minutes", 0), problem.slot_minutes)
            for t in range(start + 1, start + length):
                slot = self.y.get((c.group, t))
                if slot is not None:
                    self.model.add_bool_or([self.z[n].Not(), slot.Not()])

    def by_gd_all(self, g: int) -> list[int]:
        return [n for d in range(7) for n in self.by_gd.get((g, d), [])]

    # -- objective -------------------------------------------------------------------------
    def add_objective(self) -> None:
        """Maximise the plan's value; keep `self.value` for the stability pass."""
        terms = [c.value * self.z[n] for n, c in enumerate(self.problem.candidates) if c.value > 0]
        variety = self.weights.get("variety_bonus", 0)
        if variety > 0:
            for (g, d), indices in sorted(self.by_gd.items()):
                by_kind: dict[str, list[int]] = defaultdict(list)
                for n in indices:
                    by_kind[self.problem.items[self.candidate(n).item].kind].append(n)
                for kind, ns in sorted(by_kind.items()):
                    used = self.model.new_bool_var(f"kind{g}_{d}_{kind}")
                    self.model.add(used <= sum(self.z[n] for n in ns))
                    terms.append(variety * used)
        penalty = self.weights.get("mix_penalty", 0)
        if penalty > 0:
            for (g, d), gd in sorted(self.problem.group_days.items()):
                for kind, share in sorted(gd.mix.items()):
                    target = mix_target(share, gd.caps.per_day)
                    if target <= 0:
                        continue
                    ns = [
                        n
                        for n in self.by_gd.get((g, d), [])
                        if self.problem.items[self.candidate(n).item].kind == kind
                    ]
                    short = self.model.new_int_var(0, target, f"short{g}_{d}_{kind}")
                    self.model.add(short >= target - sum(self.z[n] for n in ns))
                    terms.append(-penalty * short)
        self.value = sum(terms)
        self.model.maximize(self.value)

    def add_stability(self, value: int) -> None:
        """Second pass of a re-plan: among plans worth at least `value`, keep the most posts
        exactly where this week's last plan had them (calendars change as little as possible)."""
        terms = []
        stability = max(1, self.weights.get("stability_bonus", 0))
        if self.problem.previous:
            for g, item, d, s in sorted(self.problem.previous):
                slot = self.y.get((g, d * self.S + s))
                if slot is None:
                    continue
                for n in self.by_gd.get((g, d), []):
                    c = self.candidate(n)
                    segment = self.problem.group_days[(g, d)].segments[c.segment]
                    if c.item == item and segment.first <= s < segment.last:
                        kept = self.model.new_bool_var(f"kept{n}")
                        self.model.add_implication(kept, self.z[n])
                        self.model.add_implication(kept, slot)
                        terms.append(stability * kept)
        self.model.add(self.value >= value)
        self.model.maximize(sum(terms))


def required_match(problem: Problem, candidate: Candidate, required) -> bool:
    """Does this candidate count towards a required post (kind and window)?"""
    if problem.items[candidate.item].kind not in required.kinds:
        return False
    if required.window is None:
        return True
    segment = problem.group_days[(candidate.group, candidate.day)].segments[candidate.segment]
    return required.window.contains(segment.first * problem.slot_minutes)


def week_limit(problem: Problem, g: int, kind: str) -> int | None:
    """The tightest per-week limit of a kind over the group's days of the week."""
    limits = [
        gd.caps.kinds[kind].per_week
        for (gg, _), gd in problem.group_days.items()
        if gg == g and kind in gd.caps.kinds and gd.caps.kinds[kind].per_week is not None
    ]
    return min(limits) if limits else None
