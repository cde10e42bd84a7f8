"""An operator's capacity couples their groups: when the groups' own best plans crowd the
same peak slots, the posts are re-timed together and the plan is proven against the sum
of the groups' own bounds (valid for the whole: capacity only removes plans)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ortools.sat.python import cp_model
from tiny import WEEK, build, campaign, group, items_of, with_files

from planner.plan import Plan
from planner.run.partial import solve_around
from planner.run.week import plan_week
from planner.solver import blocks, prices, turns
from planner.solver import solve as solve_module
from planner.solver.answers import AnswerCache
from planner.solver.model import Guard, Model
from planner.solver.problem import build_problems
from planner.verify.checker import verify
from planner.verify.objective import objective_of

ARTICLES = items_of(*[(f"a{n}", "article", {"repeat": "daily", "value": 5 + n}) for n in range(6)])
NO_REQUIRED = {"stages": {"stages": {"retention": {"required": []}}}}
GROUPS = [group(f"g{n}") for n in range(4)]


def _plan(root: Path, max_posts: int) -> tuple[Plan, object]:
    settings = {"operators": {"op": {"max_posts": max_posts, "window_minutes": 60}}}
    ws = build(root, GROUPS, ARTICLES, NO_REQUIRED, settings)
    plan = plan_week(ws, WEEK, time_limit=10, workers=1)
    assert verify(ws, plan) == []
    assert objective_of(ws, plan) == sum(p.objective for p in plan.problems)
    return plan, ws


def test_crowded_peaks_are_retimed_within_the_groups_bound(tmp_path: Path, monkeypatch) -> None:
    free, _ = _plan(tmp_path / "free", max_posts=100)
    (alone,) = free.problems
    assert alone.status == "optimal"  # capacity never binds: the groups' plans, proven

    calls = []
    real = solve_module.retiming
    monkeypatch.setattr(solve_module, "retiming", lambda *a: calls.append(a) or real(*a))
    tight, ws = _plan(tmp_path / "tight", max_posts=2)
    (coupled,) = tight.problems
    assert calls, "four groups at the same peaks with room for two posts an hour must clash"
    # Capacity only removes plans: the groups' own optimum bounds the coupled one.
    assert coupled.objective <= coupled.best_bound <= alone.objective
    assert coupled.status == "optimal" or coupled.gap <= solve_module.GOOD_ENOUGH_GAP
    # Same input, same plan.
    weights = ws.rules.stages.objective.model_dump()
    again = solve_module.solve(build_problems(ws, WEEK)[0], weights)
    assert (again.objective, again.best_bound) == (coupled.objective, coupled.best_bound)


def test_retiming_keeps_each_groups_items_per_day(tmp_path: Path) -> None:
    settings = {"operators": {"op": {"max_posts": 2, "window_minutes": 60}}}
    ws = build(tmp_path, GROUPS[:2], ARTICLES, NO_REQUIRED, settings)
    problem = build_problems(ws, WEEK)[0]
    weights = ws.rules.stages.objective.model_dump()
    parts = [solve_module.solve(single, weights) for single in problem.singles()]
    posted = {(g, p.item, p.day) for g, part in enumerate(parts) for p in part.placements}
    restricted = solve_module.retiming(problem, parts)
    assert {(c.group, c.item, c.day) for c in restricted.candidates} == posted
    assert set(restricted.candidates) <= set(problem.candidates)
    # every segment of those items that day stays open, so posts can move to make room
    assert len(restricted.candidates) > len(posted)


def test_any_day_lets_each_groups_items_move_between_days(tmp_path: Path) -> None:
    """The next step when re-timing stays more than 1% from the bound."""
    settings = {"operators": {"op": {"max_posts": 2, "window_minutes": 60}}}
    items = ARTICLES + items_of(("once", "article", {"value": 10}))  # goes out on one day
    ws = build(tmp_path, GROUPS[:2], items, NO_REQUIRED, settings)
    problem = build_problems(ws, WEEK)[0]
    weights = ws.rules.stages.objective.model_dump()
    parts = [solve_module.solve(single, weights) for single in problem.singles()]
    posted = {(g, p.item) for g, part in enumerate(parts) for p in part.placements}
    wider = solve_module.any_day(problem, parts)
    assert {(c.group, c.item) for c in wider.candidates} == posted
    assert wider.candidates == [c for c in problem.candidates if (c.group, c.item) in posted]
    once_days = {c.day for c in wider.candidates if c.item == "once"}
    retimed_days = {
        c.day for c in solve_module.retiming(problem, parts).candidates if c.item == "once"
    }
    assert len(retimed_days) == 2 - 1 or len(retimed_days) <= 2  # its day, per group
    assert once_days > retimed_days  # any day of the week, not only the day it had


def test_group_by_group_keeps_capacity_and_never_loses(tmp_path: Path) -> None:
    """Block coordinate ascent: each group re-planned inside the room the others leave."""
    settings = {"operators": {"op": {"max_posts": 2, "window_minutes": 60}}}
    ws = build(tmp_path, GROUPS, ARTICLES, NO_REQUIRED, settings)
    problem = build_problems(ws, WEEK)[0]
    weights = ws.rules.stages.objective.model_dump()
    singles = problem.singles()
    bound = sum(solve_module.solve(s, weights).best_bound for s in singles)
    assert not solve_module.within_capacity(
        problem, solve_module._merge([solve_module.solve(s, weights) for s in singles])
    ), "the groups' own plans must clash for this test to mean anything"

    first = solve_module.group_by_group(problem, singles, [], weights, 10, bound)
    assert solve_module.within_capacity(problem, first.placements)
    assert {p.group for p in first.placements} == set(range(len(GROUPS)))
    second = solve_module.group_by_group(problem, singles, first.placements, weights, 10, bound)
    assert solve_module.within_capacity(problem, second.placements)
    assert first.objective <= second.objective <= bound


def test_a_poor_retiming_is_improved_group_by_group(tmp_path: Path, monkeypatch) -> None:
    calls = []
    real = solve_module.group_by_group
    monkeypatch.setattr(solve_module, "group_by_group", lambda *a: calls.append(a) or real(*a))
    # Re-timing allowed only Monday's posts: far more than 1% from the groups' bound.
    retiming = solve_module.retiming

    def monday_only(problem, parts):
        restricted = retiming(problem, parts)
        return replace(restricted, candidates=[c for c in restricted.candidates if c.day == 0])

    monkeypatch.setattr(solve_module, "retiming", monday_only)
    plan, _ = _plan(tmp_path, max_posts=2)  # verified, objective recomputed
    (coupled,) = plan.problems
    assert calls, "a re-timed plan more than 1% from the bound goes on group by group"
    assert coupled.gap <= solve_module.GOOD_ENOUGH_GAP
    assert {p.start.weekday() for p in plan.posts} == set(range(7))


def test_each_groups_own_problem_is_its_part_of_the_operators(tmp_path: Path) -> None:
    settings = {"operators": {"op": {"max_posts": 2, "window_minutes": 60}}}
    ws = build(tmp_path, GROUPS, ARTICLES, NO_REQUIRED, settings)
    problem = build_problems(ws, WEEK)[0]
    singles = problem.singles()
    assert [s.groups for s in singles] == [[g] for g in problem.groups]
    for g, single in enumerate(singles):
        assert single.id == f"op/{problem.groups[g].id}"
        assert single.candidates == [
            replace(c, group=0) for c in problem.candidates if c.group == g
        ]
        assert single.group_days == {
            (0, d): replace(gd, group=0) for (gg, d), gd in problem.group_days.items() if gg == g
        }
        assert single.zones == [problem.zones[g]]
    assert sum(len(s.candidates) for s in singles) == len(problem.candidates)


def test_identical_groups_are_solved_once_and_plan_as_if_each_were_solved(
    tmp_path: Path, monkeypatch
) -> None:
    """Four groups alike in all but their ids have the same one-group model: it is solved
    once per process and the answer reused, and the plan is the one solving each gives."""
    settings = {"operators": {"op": {"max_posts": 100, "window_minutes": 60}}}
    ws = build(tmp_path / "ws", GROUPS, ARTICLES, NO_REQUIRED, settings)
    solve_module.ANSWERS.clear()
    reused = plan_week(ws, WEEK, time_limit=10, workers=1)
    assert solve_module.ANSWERS.hits == 3  # g1, g2 and g3 reuse g0's answer
    assert len(solve_module.ANSWERS.answers) == 1
    monkeypatch.setattr(solve_module.ANSWERS, "key", lambda *a: None)  # every model solved
    solved = plan_week(ws, WEEK, time_limit=10, workers=1)
    assert reused.model_dump() == solved.model_dump()
    assert verify(ws, reused) == []
    assert len({p.group for p in reused.posts}) == 4


def test_kept_answers_are_bounded_and_the_oldest_go_first() -> None:
    """answers.AnswerCache keeps at most `most` answers; one used again counts as recent."""
    from ortools.sat.python import cp_model

    kept = AnswerCache(most=2)
    answer = solve_module.Answer(cp_model.OPTIMAL, 1.0, 1.0, frozenset({0}))
    kept.put(b"a", answer)
    kept.put(b"b", answer)
    assert kept.get(b"a") is answer  # now "b" is the oldest
    kept.put(b"c", answer)
    assert list(kept.answers) == [b"a", b"c"] and kept.get(b"b") is None
    kept.put(b"d", solve_module.Answer(cp_model.INFEASIBLE))  # only plans are kept
    assert kept.get(b"d") is None and kept.get(None) is None and kept.hits == 1


def test_a_room_counts_windows_that_begin_at_another_groups_post(tmp_path: Path) -> None:
    """The operator's other posts fill a window that begins just before a group's first
    slot of the day: the group may not post in what is left of that window (the window
    begins at no slot of its own, and was not counted)."""
    settings = {"operators": {"op": {"max_posts": 2, "window_minutes": 60}}}
    ws = build(tmp_path, GROUPS[:1], ARTICLES, NO_REQUIRED, settings)
    (single,) = build_problems(ws, WEEK)
    weights = ws.rules.stages.objective.model_dump()
    built = Model(single, weights)
    first = min(t for (_, t) in built.y if t < single.slots_per_day)  # Monday's first slot
    slot = single.absolute_minute(0, 0, first) // single.slot_minutes
    for taken, open_ in [({slot - 1: 2}, False), ({slot - 9: 2}, True)]:
        room = replace(single, taken=taken)
        built = Model(room, weights)
        built.add_constraints()
        built.model.add(built.y[(0, first)] == 1)  # a post at the group's first slot
        status = cp_model.CpSolver().solve(built.model)
        assert (status in (cp_model.OPTIMAL, cp_model.FEASIBLE)) == open_


def test_only_the_operators_own_model_explains_why_it_has_no_plan(
    tmp_path: Path, monkeypatch
) -> None:
    """A restriction of it (the steps' re-timing, a block, a room) without a plan is not
    explained: nobody reads why, and a 44-group re-timing spent minutes on it."""
    ws = build(tmp_path, GROUPS[:1], ARTICLES, NO_REQUIRED)
    (single,) = build_problems(ws, WEEK)
    weights = ws.rules.stages.objective.model_dump()
    explained = []
    monkeypatch.setattr(solve_module, "explain", lambda *a: explained.append(a) or ["why"])
    monkeypatch.setattr(solve_module, "STATUS", {})  # every answer taken as no plan ...
    monkeypatch.setitem(solve_module.STATUS, cp_model.OPTIMAL, "infeasible")  # ... proven
    quiet = solve_module._solve_whole(single, weights, 10, explained=False)
    assert quiet.status == "infeasible" and quiet.conflicts == [] and not explained
    told = solve_module._solve_whole(single, weights, 10, presolve=False)
    assert told.status == "infeasible" and told.conflicts == ["why"] and len(explained) == 1


def test_a_group_left_no_room_says_why_in_its_room(tmp_path: Path, monkeypatch) -> None:
    """Group by group from no posts: the second group finds no plan in the room the first
    leaves. Its room's conflicts come with the room they index (its own campaigns, its
    group 0), named as the operator, for the report to tell."""
    ws = build(tmp_path, GROUPS[:2], ARTICLES, NO_REQUIRED)
    (problem,) = build_problems(ws, WEEK)
    weights = ws.rules.stages.objective.model_dump()
    real = turns.Rooms.solve

    def no_room_for_the_second(rooms, g, *a):
        return prices.Priced("infeasible") if g == 1 else real(rooms, g, *a)

    why = [Guard("stage", 0, 2), Guard("operator_capacity", -1, 2)]
    monkeypatch.setattr(turns.Rooms, "solve", no_room_for_the_second)
    monkeypatch.setattr(
        solve_module,
        "_solve_whole",
        lambda *a, **k: solve_module.Result("r", "infeasible", conflicts=why),
    )
    result = solve_module.group_by_group(problem, problem.singles(), [], weights, 10, 0)
    assert result.status == "infeasible" and result.conflicts == why
    assert result.conflicts_of.id == problem.id
    assert [g.id for g in result.conflicts_of.groups] == [GROUPS[1]["id"]]


def test_a_replanned_group_left_no_room_says_why_in_its_room(tmp_path: Path, monkeypatch) -> None:
    """A re-plan builds each room's whole model: the second group's has no plan, and its
    conflicts come with its room too."""
    ws = build(tmp_path, GROUPS[:2], ARTICLES, NO_REQUIRED)
    (problem,) = build_problems(ws, WEEK)
    problem = replace(problem, previous=frozenset({(0, "a0", 0, 0)}))
    weights = ws.rules.stages.objective.model_dump()
    why = [Guard("stage", 0, 2), Guard("operator_capacity", -1, 2)]
    rooms = iter(
        [solve_module.Result("r", "optimal"), solve_module.Result("r", "infeasible", conflicts=why)]
    )
    monkeypatch.setattr(solve_module, "_solve_whole", lambda *a, **k: next(rooms))
    result = solve_module.group_by_group(problem, problem.singles(), [], weights, 10, 0)
    assert result.status == "infeasible" and result.conflicts == why
    assert [g.id for g in result.conflicts_of.groups] == [GROUPS[1]["id"]]


def test_a_group_left_no_room_is_told_with_its_own_campaign(tmp_path: Path) -> None:
    """Two groups, each with its own live at 20:00 on Wednesday, one post in any 30
    minutes: neither the steps nor group by group plan both, and the second group's
    sentence names its own live (its room's first campaign need is the operator's second)."""
    lives = [
        {**campaign(f"live-{g}", "live", {f"show-{g}": "live"}), "targets": {"groups": [g]}}
        for g in ("g0", "g1")
    ]
    for live in lives:
        live["start"] = "2026-11-25 20:00"
    items = ARTICLES + items_of(("show-g0", "live", {}), ("show-g1", "live", {}))
    settings = {"operators": {"op": {"max_posts": 1, "window_minutes": 30}}}
    ws = with_files(tmp_path, GROUPS[:2], items, NO_REQUIRED, settings, campaigns=lives)
    (problem,) = build_problems(ws, WEEK)
    weights = ws.rules.stages.objective.model_dump()
    outcome = solve_around(ws, problem, weights, 10)
    told = " ".join(outcome.left_out["g0"])
    assert "group g1, Wed 2026-11-25: campaign live-g1 needs the live" in told
    assert "campaign live-g0" not in told


def test_the_steps_explain_only_the_operators_own_model(tmp_path: Path, monkeypatch) -> None:
    """No plan anywhere: the re-timing in blocks and the re-timing and any-day steps give
    up unexplained; the whole operator's model, the last step, is explained, once."""
    ws = build(tmp_path, GROUPS[:2], ARTICLES, NO_REQUIRED)
    (problem,) = build_problems(ws, WEEK)
    weights = ws.rules.stages.objective.model_dump()
    singles = problem.singles()
    parts = [solve_module.solve_single(single, weights, 10) for single in singles]
    explained = []
    monkeypatch.setattr(solve_module, "explain", lambda *a: explained.append(a[0]) or ["why"])
    monkeypatch.setattr(solve_module, "STATUS", {cp_model.OPTIMAL: "infeasible"})
    monkeypatch.setitem(solve_module.STATUS, cp_model.FEASIBLE, "infeasible")
    assert blocks.retime_in_blocks(problem, parts, weights, 10).status == "infeasible"
    assert not explained
    best, last = solve_module._stepped(problem, singles, parts, weights, 10, 0, None, None)
    assert best is None and last.conflicts == ["why"]
    assert [len(p.groups) for p in explained] == [2] and explained[0] is problem


def test_a_plan_group_by_group_finds_after_the_steps_found_none_is_judged(
    tmp_path: Path, monkeypatch
) -> None:
    """The steps found no plan; group by group from no posts does, 50% below the groups'
    bound: it is judged against the Lagrangian bound like any other, not returned as is."""
    ws = build(tmp_path, GROUPS[:2], ARTICLES, NO_REQUIRED)
    (problem,) = build_problems(ws, WEEK)
    weights = ws.rules.stages.objective.model_dump()
    singles = problem.singles()
    parts = [solve_module.solve_single(single, weights, 10) for single in singles]
    found = solve_module.Result("op", "feasible", objective=5, best_bound=10)
    judged = []
    monkeypatch.setattr(
        solve_module, "_stepped", lambda *a: (None, solve_module.Result("op", "unknown"))
    )
    monkeypatch.setattr(solve_module, "group_by_group", lambda *a: found)
    monkeypatch.setattr(solve_module, "_judged", lambda *a: judged.append(a[5]) or a[5])
    assert solve_module._by_steps(problem, singles, parts, weights, 10, 10) is found
    assert judged == [found]
