"""Groups in turn (planner.solver.turns) go TOGETHER at a time on threads: a later group
whose new posts break a row beside an earlier one's is solved again after it, so every
turn keeps the operator's rows and gives the plan of one at a time whatever the threads;
the operator's LP is solved aside while the groups go in turn, and stops with them."""

from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from threading import Event, get_ident
from time import sleep
from types import SimpleNamespace

import pytest
from test_relaxation import _crowded

from planner.solver import coupled, families, prices, relaxation, turns
from planner.solver import solve as solve_module
from planner.solver.answers import ANSWERS
from planner.solver.cores import aside, each, solving_at_once

ROOM_SOLVE = turns.Rooms.solve


def _turned(problem, weights, start, together: int, threads: int, monkeypatch):
    """group_by_group from `start`, TOGETHER `together`, on `threads`: the plan and the
    groups asked, in order."""
    monkeypatch.setattr(turns, "TOGETHER", together)
    asked = []
    monkeypatch.setattr(
        turns.Rooms,
        "solve",
        lambda rooms, g, *a: asked.append(problem.groups[g].id) or ROOM_SOLVE(rooms, g, *a),
    )
    with solving_at_once(threads):
        plan = solve_module.group_by_group(problem, problem.singles(), start, weights, 10, 0)
    return plan, asked


def test_groups_that_break_a_row_together_are_solved_again(tmp_path: Path, monkeypatch) -> None:
    """From no posts, every group of a batch takes the same peaks: the ones that break a
    row beside the earlier ones' posts are solved again in the next batch, inside the room
    those left, so the plan is the one of one group at a time, within the operator's
    capacity."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    problem, weights, _ = _crowded(tmp_path, True)
    alone, one_by_one = _turned(problem, weights, [], 1, 1, monkeypatch)
    together, asked = _turned(problem, weights, [], 4, 2, monkeypatch)
    ids = [g.id for g in problem.groups]
    assert one_by_one == ids
    again = asked[len(ids) :]
    assert sorted(asked[: len(ids)]) == ids and ids[0] not in again  # a batch of 4 on 2 threads
    assert again  # four groups at the same peaks, room for two posts an hour
    assert together.placements == alone.placements
    assert solve_module.within_capacity(problem, together.placements)


def test_a_turn_is_the_same_on_any_threads(tmp_path: Path, monkeypatch) -> None:
    """The batches are fixed, not the threads': from the same plan, one or two threads
    give the same turn; a group whose new posts fit beside the others' is solved once."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    problem, weights, _ = _crowded(tmp_path, True)
    first, _ = _turned(problem, weights, [], 1, 1, monkeypatch)
    one, _ = _turned(problem, weights, first.placements, 2, 1, monkeypatch)
    two, asked = _turned(problem, weights, first.placements, 2, 2, monkeypatch)
    assert (two.placements, two.objective) == (one.placements, one.objective)
    assert two.objective >= first.objective
    assert len(asked) < 2 * len(problem.groups)
    assert solve_module.within_capacity(problem, two.placements)


def test_the_first_of_a_batch_is_never_put_off(tmp_path: Path, monkeypatch) -> None:
    """It saw every post, so its model kept the rows: even where the rows' count disagrees
    with its model's (a slot grid off the operator's midnight), the turn ends, each group
    solved at most twice."""
    problem, weights, _ = _crowded(tmp_path, True)
    monkeypatch.setattr(turns, "_fits", lambda *a: False)
    plan, asked = _turned(problem, weights, [], 2, 1, monkeypatch)
    assert plan.status in solve_module.PLANNED
    assert len(asked) <= 2 * len(problem.groups)


def test_a_solve_stopped_by_its_limit_starts_again_from_the_posts() -> None:
    """A plan not proven best may be worse than the group's posts: the solve from them
    keeps at least their value. A proven plan, or a group without posts, is kept."""
    calls = []

    def solve_one(g, room, posts):
        calls.append(list(posts))
        return SimpleNamespace(status="optimal" if posts else "feasible")

    assert turns._solved(solve_one, 0, None, ["post"]).status == "optimal"
    assert calls == [[], ["post"]]
    assert turns._solved(solve_one, 0, None, []).status == "feasible" and len(calls) == 3
    close = solve_module.Result("g", "feasible", objective=9990, best_bound=10_000)
    assert turns._solved(lambda *a: calls.append(a) or close, 0, None, ["post"]) is close
    assert len(calls) == 4  # within CP-SAT's gap limit: proven as far as it goes


def test_a_post_counts_on_the_operators_day_it_is_on() -> None:
    """An operator in India, 60-minute slots: Tuesday's first local hour begins at 18:30
    UTC on Monday, half-way through the slot that begins at 18:00 (Monday, there)."""
    midnights = tuple(-330 + 1440 * k for k in range(-1, 9))
    rows = prices.Rows(length=1, most=2, daily=5, day_starts=midnights, slot_minutes=60)
    assert ("day", 1) in rows.of_minute(1110) and ("day", 0) in rows.of_slot(1110 // 60)
    assert ("window", 18) in rows.of_minute(1110)


def test_the_lp_solved_aside_gives_the_duals_of_the_lp_solved_in_turn(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    problem, weights, parts = _crowded(tmp_path, True)
    singles = problem.singles()
    where = []
    real = relaxation.row_prices
    monkeypatch.setattr(relaxation, "row_prices", lambda *a: where.append(get_ident()) or real(*a))
    inline = coupled.Relaxed(problem, singles, parts, weights, 10).prices()
    with solving_at_once(2):
        relaxed = coupled.Relaxed(problem, singles, parts, weights, 10)
        relaxed.start()
        priced = relaxed.prices()
    assert inline and priced == inline
    assert where[0] == get_ident() != where[1]
    with solving_at_once(1):  # one core: nothing aside, the LP is solved when asked, once
        relaxed = coupled.Relaxed(problem, singles, parts, weights, 10)
        relaxed.start()
        assert relaxed.prices() == inline == relaxed.prices()
        assert len(where) == 3 and where[2] == get_ident()


def test_an_lp_asked_to_stop_gives_no_prices(tmp_path: Path) -> None:
    """Asked before it is solved, it is not; asked while it solves, PDLP is interrupted."""
    problem, weights, parts = _crowded(tmp_path, False)
    rows = prices.Rows.of(problem)
    fams = families.families(problem.singles(), weights, 10, parts)
    stop = relaxation.Stop()
    stop()
    assert relaxation.row_prices(rows, fams, weights, stop) is None

    class Solving:
        interrupted = 0

        def InterruptSolve(self) -> bool:
            self.interrupted += 1
            return True

    stop, lp = relaxation.Stop(), Solving()
    assert stop.solving(lp) and lp.interrupted == 0
    stop()
    assert lp.interrupted == 1 and not stop.solving(lp)


def test_ctrl_c_during_the_turns_stops_the_lp_aside(tmp_path: Path, monkeypatch) -> None:
    """A large operator's LP runs aside while the groups go in turn: interrupted there,
    the LP is asked to stop until it has, and no thread is left solving it."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(solve_module, "WHOLE_UP_TO", 0)
    monkeypatch.setattr(solve_module, "GOOD_ENOUGH_GAP", -1.0)  # group by group runs
    problem, weights, parts = _crowded(tmp_path, True)
    started: list[Future] = []
    real = coupled.Relaxed.start

    def start(self) -> None:
        real(self)
        started.append(self._aside)

    def slow_lp(rows, fams, weights, stop):
        """An LP that runs until it is stopped, and forgets the first stop (as PDLP does
        one asked just before it starts)."""
        for forgets in (True, False):
            waited = 0.0
            while not stop.asked and waited < 30:
                sleep(0.01)
                waited += 0.01
            if forgets:
                stop.asked = False
        return None if stop.asked else {"not": "stopped"}

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(coupled.Relaxed, "start", start)
    monkeypatch.setattr(relaxation, "row_prices", slow_lp)

    monkeypatch.setattr(solve_module, "group_by_group", interrupted)
    with solving_at_once(2), pytest.raises(KeyboardInterrupt):
        solve_module.solve(problem, weights, 10, parts)
    assert len(started) == 1 and started[0].done() and started[0].result() is None


def test_a_kept_room_plans_as_the_room_built_anew(tmp_path: Path, monkeypatch) -> None:
    """A group's kept model (turns.Rooms) with its rows' limits set to the room left gives
    the value and bound of the room's model built anew, room after room: tighter, looser,
    under prices, and none taken at all."""
    problem, weights, _ = _crowded(tmp_path, True)
    singles = problem.singles()
    rows = prices.Rows.of(problem)
    rooms = turns.Rooms(singles, weights, rows)
    first, _ = _turned(problem, weights, [], 1, 1, monkeypatch)
    posts = turns.by_group(first.placements, len(singles))
    taken = sum((prices.usage(s, p) for s, p in zip(singles, posts, strict=True)), Counter())
    crowded = turns._room(singles[3], taken, posts[3])
    priced = {row: 3 for row in sorted(rows.load(taken))[::4]}
    for room, price in [(crowded, {}), (singles[3], {}), (crowded, priced), (crowded, {})]:
        kept = rooms.solve(3, room, price, 10, [])
        anew = prices.solve_priced(room, weights, rows, price, 10)
        assert kept.status == anew.status == "optimal"
        assert (kept.value, kept.priced_bound) == (anew.value, anew.priced_bound)
    assert anew.value < rooms.solve(3, singles[3], {}, 10, []).value  # the room binds


def test_a_thread_aside_has_a_core_of_the_operators(monkeypatch) -> None:
    """While the LP runs aside, the operator's solves run one fewer at once: on 2 cores a
    third thread made them all wait. Once it ends, they have the core back."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    release = Event()
    with solving_at_once(2):
        running = aside(release.wait)
        assert running is not None
        assert {get_ident()} == set(each(lambda n: get_ident(), list(range(4))))
        release.set()
        running.result()
        seen = each(lambda n: sleep(0.05) or get_ident(), list(range(4)))
        assert get_ident() not in seen and len(set(seen)) == 2
    with solving_at_once(1):
        assert aside(release.wait) is None  # one core: the caller runs it itself


def _beginning(problem, weights, parts):
    """Group by group's plan, and how a turn under the LP's prices begins from it on some
    threads (on the same rooms: one turn at a time)."""
    singles = problem.singles()
    relaxed = coupled.Relaxed(problem, singles, parts, weights, 10)
    rooms = turns.Rooms(singles, weights, relaxed.rows)
    plan = solve_module.group_by_group(problem, singles, [], weights, 10, 0, rooms)
    prices = relaxed.prices()

    def begin(threads: int) -> turns.Ahead:
        with solving_at_once(threads):
            return turns.Ahead(singles, weights, 10, relaxed.rows, prices, plan, rooms)

    return begin


def test_a_turn_begun_beside_the_bound_is_the_turn_after_it(tmp_path: Path, monkeypatch) -> None:
    """Begun aside (two cores) or when asked (one), the turn under the LP's prices is the
    same: one group at a time, each solved once, within the operator's capacity."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    problem, weights, parts = _crowded(tmp_path, True)
    begin, where = _beginning(problem, weights, parts), []
    monkeypatch.setattr(
        turns.Rooms, "solve", lambda *a: where.append(get_ident()) or ROOM_SOLVE(*a)
    )
    aside_turn = begin(2).result()
    asked = len(where)
    inline = begin(1).result()
    assert inline and [p.placements for p in inline] == [p.placements for p in aside_turn]
    assert asked == len(problem.groups) and get_ident() not in where[:asked]
    assert where[asked:] == [get_ident()] * len(problem.groups)
    posts = [replace(p, group=g) for g, plan in enumerate(inline) for p in plan.placements]
    assert solve_module.within_capacity(problem, posts)


def test_a_turn_begun_beside_a_bound_that_needs_none_is_stopped(
    tmp_path: Path, monkeypatch
) -> None:
    """The bound says the plan is good enough: the turn aside ends after the solve it is
    in, with no plans, and leaves no thread running."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    problem, weights, parts = _crowded(tmp_path, True)
    begin, solved = _beginning(problem, weights, parts), []

    def slow(*a):
        sleep(0.2)
        return solved.append(a[1]) or ROOM_SOLVE(*a)

    monkeypatch.setattr(turns.Rooms, "solve", slow)
    ahead = begin(2)
    ahead.stop()
    assert ahead._aside.done() and ahead.result() is None
    assert len(solved) < len(problem.groups)


def test_an_operator_turned_beside_its_bound_has_one_plan_on_any_threads(
    tmp_path: Path, monkeypatch
) -> None:
    """A large operator (here: any) whose plan is judged (here: every one) begins its turn
    under the LP's prices beside the bound: one thread or two, the same plan."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(solve_module, "WHOLE_UP_TO", 0)
    monkeypatch.setattr(solve_module, "GOOD_ENOUGH_GAP", -1.0)
    problem, weights, parts = _crowded(tmp_path, True)
    begun = []
    real = turns.Ahead.__init__
    monkeypatch.setattr(turns.Ahead, "__init__", lambda *a: begun.append(a) or real(*a))
    plans = []
    for threads in (1, 2):
        ANSWERS.clear()
        with solving_at_once(threads):
            plans.append(solve_module.solve(problem, weights, 10, parts))
    assert len(begun) == 2 and plans[0].status in solve_module.PLANNED
    assert (plans[0].placements, plans[0].objective) == (plans[1].placements, plans[1].objective)
    assert solve_module.within_capacity(problem, plans[1].placements)


def test_a_rooms_answer_is_neither_looked_up_nor_kept(tmp_path: Path) -> None:
    """Rooms recur rarely (none of 634 at 200 varied groups), so their solves skip the
    answer cache, whose key is the model's text; the same room gets the same plan anyway."""
    problem, weights, _ = _crowded(tmp_path, True)
    singles = problem.singles()
    rooms = turns.Rooms(singles, weights, prices.Rows.of(problem))
    ANSWERS.clear()
    first = rooms.solve(2, singles[2], {}, 10, [])
    again = rooms.solve(2, singles[2], {}, 10, [])
    assert first.status == "optimal" and not ANSWERS.answers and ANSWERS.hits == 0
    assert again.placements == first.placements and again.value == first.value
