"""An operator's groups in turn, each inside the room the others' posts leave (block
coordinate ascent): every plan keeps the operator's rows, at about one solve per group.

The groups go TOGETHER at a time, on threads (cores.each): each of them sees the others'
posts as they were when the batch began, and a later one whose new posts break a row
beside the earlier ones' new posts is solved again first in the next batch (which it then
fits: the first of a batch sees every post). The batches are the same whatever the
threads, so the plan is too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import wait
from dataclasses import dataclass, replace
from threading import Event

from planner.solver import prices as pricing
from planner.solver import solve as solving  # a module: solve imports this one
from planner.solver.cores import RELATIVE_GAP, aside, each, ready
from planner.solver.model import Model
from planner.solver.problem import Problem

# Groups solved at once in a turn. One at a time, a turn used one core of two: group by
# group took 47 s and the two turns under prices 137 s at 200 varied groups.
TOGETHER = 2


def in_turn(
    singles: list[Problem],
    start: list[list],
    solve_one: Callable,
    together: int | None = None,
    stop: Event | None = None,
) -> list:
    """Each group in turn gets `solve_one(g, its problem inside the room the others' posts
    leave, its current posts)` (a solve.Result or a pricing.Priced), from `start` (each
    group's posts, as group 0, within the rows), `together` (or TOGETHER) at a time. The
    plans, by group; a group without a plan ends the turns (and is the last); `stop` set,
    they end with no plans."""
    rows = pricing.Rows.of(singles[0])
    current = [list(posts) for posts in start]
    taken: Counter = Counter()  # the operator's posts per absolute slot, kept as groups change
    for g, posts in enumerate(current):
        taken.update(pricing.usage(singles[g], posts))
    load = rows.load(taken)
    plans: dict[int, object] = {}
    waiting = list(range(len(singles)))
    at_once = together or TOGETHER
    while waiting:
        if stop is not None and stop.is_set():
            return []
        batch, waiting = waiting[:at_once], waiting[at_once:]
        asked = [(g, _room(singles[g], taken, current[g]), current[g]) for g in batch]
        found = each(lambda one: _solved(solve_one, *one), asked)
        again = []  # broke a row beside an earlier one's new posts: first in the next batch
        for k, (g, plan) in enumerate(zip(batch, found, strict=True)):
            if plan.status not in solving.PLANNED:
                return [*plans.values(), plan]
            old, new = (pricing.usage(singles[g], posts) for posts in (current[g], plan.placements))
            before, after = rows.load(old), rows.load(new)
            # The first of a batch saw every post: its model keeps the rows (the rows here
            # put a post on the day of its slot's first minute, the model on its own).
            if k and not _fits(rows, load - before, after):
                again.append(g)
                continue
            plans[g], current[g] = plan, plan.placements
            taken.subtract(old)
            taken.update(new)
            load.subtract(before)
            load.update(after)
        waiting = again + waiting
    return [plans[g] for g in range(len(singles))]


def _solved(solve_one: Callable, g: int, room: Problem, posts: list):
    """The group's plan in its room, searched without its current posts as a hint: from
    the hints, a turn of 60 varied groups took 26 s, without them 18 s, and found as good
    plans. A search stopped by its time limit (no plan, or one not proven within CP-SAT's
    gap limit) starts again from them, so a turn does not leave a group below its posts."""
    plan = solve_one(g, room, [])
    # A Result is "optimal" only when proven exactly, a Priced within the gap limit.
    proven = plan.status == "optimal" or getattr(plan, "gap", 1.0) <= RELATIVE_GAP
    return plan if proven or not posts else solve_one(g, room, posts)


def _room(single: Problem, taken: Counter, own: list | None = None) -> Problem:
    """The group's problem with the operator's other posts: `taken` without its `own`."""
    others = Counter(taken)
    if own:
        others.subtract(pricing.usage(single, own))
    return replace(single, taken={slot: n for slot, n in sorted(others.items()) if n > 0})


def _fits(rows: pricing.Rows, load: Counter, added: Counter) -> bool:
    """Do a plan's posts (`added`, their rows' load) fit beside the others' (`load`)?"""
    return all(load[row] + posts <= rows.limit(row) for row, posts in added.items())


class Rooms:
    """The operator's groups' models, kept for their turns (not a re-plan's, whose second
    pass keeps last time's posts): each group's constraints and value are built once, with
    the operator's rows over its slots as constraints whose limits are set, before each
    solve, to the room the others' posts leave. Building each room's model again took a
    third of a turn's time at 200 varied groups, and in Python, so not two at once.
    `own`: each group's model, if kept from its own plan, which its room clones."""

    def __init__(self, singles: list[Problem], weights, rows: pricing.Rows, own=None):
        self.singles, self.weights, self.rows = singles, weights, rows
        self.own = own or [None] * len(singles)
        self.kept: dict[int, _Room] = {}

    def solve(self, g: int, room: Problem, prices: dict, time_limit: float, hint: list):
        """Group `g`'s best plan in `room` (its problem with the others' posts taken) under
        the rows' `prices` (a pricing.Priced)."""
        if g not in self.kept:
            self.kept[g] = _Room.of(self.singles[g], self.weights, self.rows, self.own[g])
        kept = self.kept[g]
        others = self.rows.load(Counter(room.taken))
        for row, constraint in kept.limits.items():
            constraint.proto.linear.domain[1] = max(0, self.rows.limit(row) - others[row])
        return pricing.solve_priced(
            self.singles[g],
            self.weights,
            self.rows,
            prices,
            time_limit,
            hint,
            kept.built,
            kept.where,
            keyed=False,  # 0 of 634 rooms recurred at 200 varied groups; their keys took 3.6 s
        )

    def variables(self, g: int) -> int:
        return len(self.kept[g].built.model.proto.variables)


@dataclass
class _Room:
    """One group's kept model: its row constraints, by row, and its slots' absolute slots."""

    built: Model
    limits: dict
    where: dict[tuple[int, int], int]

    @classmethod
    def of(cls, single: Problem, weights, rows: pricing.Rows, own: Model | None) -> _Room:
        built = own.clone() if own is not None else Model.of(single, weights)
        minutes = pricing.absolute_minutes(single, built)
        members: dict[pricing.Row, list] = defaultdict(list)
        for key, var in built.y.items():
            for row in rows.of_minute(minutes[key]):
                members[row].append(var)
        limits = {
            row: built.model.add(sum(y) <= rows.limit(row)) for row, y in sorted(members.items())
        }
        where = {key: minute // single.slot_minutes for key, minute in minutes.items()}
        return cls(built, limits, where)


def priced_turns(
    singles: list[Problem],
    weights,
    time_limit: float,
    rows: pricing.Rows,
    prices: list[dict[pricing.Row, int]] | None = None,
    start: list[list] | None = None,
    rooms: Rooms | None = None,
    together: int | None = None,
    stop: Event | None = None,
) -> list[pricing.Priced] | None:
    """The groups in turn (in_turn), each under `prices` if any (the g-th group the g-th
    prices, cyclically), from `start` or from no posts, on `rooms` (kept from earlier
    turns, or new). None: a group found no plan, or `stop` was set."""
    rooms = rooms or Rooms(singles, weights, rows)

    def one(g: int, room: Problem, posts: list) -> pricing.Priced:
        own = prices[g % len(prices)] if prices else {}
        return rooms.solve(g, room, own, time_limit, posts)

    plans = in_turn(singles, start or [[] for _ in singles], one, together, stop)
    whole = len(plans) == len(singles) and plans[-1].status in solving.PLANNED
    return plans if whole else None


class Ahead:
    """The groups' turn under the LP's prices from `plan` (coupled.turned_under's first),
    started aside (cores.aside) while the Lagrangian bound is made at the same prices, which
    says whether it is needed (`stop` it if not). Aside, it has one core: the groups go one
    at a time, and none is solved again for breaking a row beside another's new posts (74
    of 200 varied groups were, two at a time). 200 varied groups: the bound and this turn
    took 39 s one after the other."""

    def __init__(self, singles, weights, time_limit: float, rows, prices: dict, plan, rooms):
        start = by_group(plan.placements, len(singles))
        self._stop = Event()
        args = (singles, weights, time_limit, rows, [prices], start, rooms, 1, self._stop)
        self._run = lambda: priced_turns(*args)
        self._aside = aside(self._run) if prices else None

    def result(self) -> list[pricing.Priced] | None:
        self._aside = self._aside or ready(self._run())
        return self._aside.result()

    def stop(self) -> None:
        """End the turn, if running aside, after its group's solve (its result is None)."""
        self._stop.set()
        if self._aside is not None:
            wait([self._aside])


def by_group(placements: list, groups: int) -> list[list]:
    """An operator's posts as each group's (as group 0)."""
    posts: list[list] = [[] for _ in range(groups)]
    for p in placements:
        posts[p.group].append(replace(p, group=0))
    return posts
