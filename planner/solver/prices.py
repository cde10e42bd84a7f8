"""The operator's coupling rows, and one group's plan under prices on them.

An operator's groups are coupled only by rows over the operator's absolute slots: at most
max_posts in any window of slots (operator_capacity) and at most max_posts_per_day on any
of their days (operator_daily_load). A price per row (a Lagrange multiplier) turns the
coupled week into one problem per group: each group pays, for each post, the prices of the
rows its slot lies in. Whatever the prices, the groups' priced optima plus the prices times
the rows' limits bound the coupled optimum from above (Lagrangian duality), so a bound
computed here is honest for the whole operator.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from planner.rules import operator_daily_load
from planner.solver import solve as solving
from planner.solver.answers import ANSWERS
from planner.solver.cores import cp_solver
from planner.solver.model import Model
from planner.solver.problem import Problem, slots_for

Row = tuple[str, int]  # ("window", first absolute slot) or ("day", the operator's day)


@dataclass(frozen=True)
class Rows:
    """The coupling rows of one operator's week, over absolute slots (the operator
    problem's slot index since the week's start at UTC midnight)."""

    length: int  # slots in a capacity window
    most: int  # posts in a window
    daily: int | None  # posts on an operator's day (None: no limit)
    day_starts: tuple[int, ...]  # operator_daily_load.day_starts, in absolute minutes
    slot_minutes: int

    @classmethod
    def of(cls, problem: Problem) -> Rows:
        cap = problem.operator
        return cls(
            slots_for(cap.window_minutes, problem.slot_minutes),
            cap.max_posts,
            cap.max_posts_per_day,
            tuple(operator_daily_load.day_starts(problem)),
            problem.slot_minutes,
        )

    def of_slot(self, slot: int) -> list[Row]:
        """The rows an absolute slot lies in (its day: the one its first minute is on)."""
        return self.of_minute(slot * self.slot_minutes)

    def of_minute(self, minute: int) -> list[Row]:
        """The rows a post at this absolute minute lies in: its slot's windows, and the
        operator's day it is on (which the slot's first minute may not be, where the slots
        and the operator's midnight do not line up)."""
        slot = minute // self.slot_minutes
        rows: list[Row] = [("window", t) for t in range(slot - self.length + 1, slot + 1)]
        if self.daily is not None:
            rows.append(("day", operator_daily_load.operator_day(list(self.day_starts), minute)))
        return rows

    def limit(self, row: Row) -> int:
        return self.most if row[0] == "window" else self.daily

    def load(self, usage: Counter) -> Counter:
        """Posts per row of a plan's posts per absolute slot."""
        out: Counter = Counter()
        for slot, posts in usage.items():
            for row in self.of_slot(slot):
                out[row] += posts
        return out


@dataclass
class Priced:
    """One group's best plan under prices: the placements (as group 0), their value
    without prices and CP-SAT's bound on the priced optimum."""

    status: str
    placements: list = field(default_factory=list)
    value: int = 0
    priced_bound: int = 0

    @classmethod
    def of(cls, result: solving.Result) -> Priced:
        """A group's own plan (prices zero)."""
        return cls(result.status, result.placements, result.objective, result.best_bound)


def usage(single: Problem, placements: list) -> Counter:
    """A group's posts per absolute slot."""
    return Counter(
        single.absolute_minute(0, p.day, p.slot) // single.slot_minutes for p in placements
    )


def slot_prices(rows: Rows, prices: dict[Row, int], slots) -> dict[int, int]:
    """The price of a post in each absolute slot: the sum of its rows' prices."""
    out = {}
    for slot in slots:
        price = sum(prices.get(row, 0) for row in rows.of_slot(slot))
        if price:
            out[slot] = price
    return out


def absolute_minutes(single: Problem, built: Model) -> dict[tuple[int, int], int]:
    """Each of a one-group model's slot variables' absolute minute."""
    S = single.slots_per_day
    return {key: single.absolute_minute(0, key[1] // S, key[1] % S) for key in built.y}


def absolute_slots(single: Problem, built: Model) -> dict[tuple[int, int], int]:
    """Each of a one-group model's slot variables' absolute slot."""
    minutes = absolute_minutes(single, built)
    return {key: minute // single.slot_minutes for key, minute in minutes.items()}


def solve_priced(
    single: Problem,
    weights: dict[str, int],
    rows: Rows,
    prices: dict[Row, int],
    time_limit: float,
    hint: list | None = None,
    built: Model | None = None,
    where: dict[tuple[int, int], int] | None = None,
    keyed: bool = True,
) -> Priced:
    """A group's best plan when each post pays its slot's price. Solved once per distinct
    model (the answer cache's key holds the prices): identical groups cost one solve.
    `built`: the group's model (Model.of), kept from an earlier round (only the objective
    changes with the prices; building it again was a third of a priced solve's time), and
    `where` its absolute_slots. `hint`: a plan to start from (the search finds a plan at once; the
    answer is the same plan or a better one). Not `keyed`: solved, neither looked up nor
    kept (a room, which recurs rarely)."""
    built = built or Model.of(single, weights)
    where = where or absolute_slots(single, built)
    price = slot_prices(rows, prices, set(where.values()))
    charged = [(price[where[key]], var) for key, var in built.y.items() if where[key] in price]
    built.maximize_less(charged)
    built.model.clear_hints()  # a kept model still holds the hint of its last round
    if hint:
        built.hint(single, hint)
    solver = cp_solver(time_limit, presolve=False)
    _, answer = ANSWERS.answer(built, solver, keyed)
    status = solving.STATUS.get(answer.status, "unknown")
    if status not in solving.PLANNED:
        return Priced(status)
    paid = sum(p for p, var in charged if answer.chose(var))
    return Priced(
        status,
        solving._placements(single, built, answer),
        round(answer.objective) + paid,
        round(answer.bound),
    )
