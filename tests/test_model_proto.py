"""The model writes its objective and hints straight into CP-SAT's proto, and an operator's
rooms and families clone the groups' own models instead of building them again: each
gives the same proto as CP-SAT's own calls and a fresh build, so the same plans."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_relaxation import _crowded

from planner.solver import prices, turns
from planner.solver import solve as solve_module
from planner.solver.answers import Built
from planner.solver.families import families
from planner.solver.model import Model


def _prices(problem, built: Model, step: int) -> list:
    """A price on every `step`-th slot variable, as the turns charge them."""
    rows = prices.Rows.of(problem)
    where = prices.absolute_slots(problem, built)
    charged = {slot: 3 + slot % 5 for slot in sorted(set(where.values()))[::step]}
    return [(charged[where[k]], var) for k, var in built.y.items() if where[k] in charged], rows


def _no_group_model_built(monkeypatch) -> None:
    """From here on, building a one-group model fails the test (the operator's steps still
    build their models of many groups)."""
    real = Model.of.__func__

    def of(cls, problem, weights):
        if len(problem.groups) == 1:
            pytest.fail(f"{problem.id}'s model built again")
        return real(cls, problem, weights)

    monkeypatch.setattr(Model, "of", classmethod(of))


@pytest.mark.parametrize("step", [1, 3])
def test_the_value_less_prices_is_maximize_s_objective(tmp_path: Path, step: int) -> None:
    """Model.maximize_less writes the objective CpModel.maximize(value - prices) writes
    (merged by variable, sorted, without zeros), and the value alone again after it."""
    problem, weights, _ = _crowded(tmp_path, True)
    single = problem.singles()[1]
    ours, theirs = Model.of(single, weights), Model.of(single, weights)
    assert str(ours.model.proto) == str(theirs.model.proto)
    charged, _ = _prices(single, ours, step)
    ours.maximize_less(charged)
    theirs.model.maximize(theirs.value - sum(p * var for p, var in charged))
    assert str(ours.model.proto.objective) == str(theirs.model.proto.objective)
    assert ours.model.proto.objective.vars  # something to compare
    ours.maximize_less([])
    theirs.model.maximize(theirs.value)
    assert str(ours.model.proto) == str(theirs.model.proto)


def test_a_hint_is_add_hint_s(tmp_path: Path) -> None:
    """Model.hint writes every variable's hint in the order add_hint would, one call each."""
    problem, weights, parts = _crowded(tmp_path, True)
    single = problem.singles()[2]
    ours, theirs = Model.of(single, weights), Model.of(single, weights)
    placements = parts[2].placements
    ours.hint(single, placements)
    posts = {(p.group, p.day * single.slots_per_day + p.slot) for p in placements}
    for var in theirs.z:
        theirs.model.add_hint(var, False)
    for key, var in theirs.y.items():
        theirs.model.add_hint(var, key in posts)
    hint = ours.model.proto.solution_hint
    assert list(hint.vars) == list(theirs.model.proto.solution_hint.vars)
    hinted = dict(zip(hint.vars, hint.values, strict=True))
    chosen = [c for n, c in enumerate(single.candidates) if hinted[ours.z[n].index]]
    assert {(c.item, c.day) for c in chosen} == {(p.item, p.day) for p in placements}
    ys = [hinted[var.index] for var in ours.y.values()]
    assert ys == [int(key in posts) for key in theirs.y] and sum(ys) == len(placements)


def test_a_clone_is_changed_alone(tmp_path: Path) -> None:
    """A clone has its original's proto; its objective, hints and rows change only in it."""
    problem, weights, parts = _crowded(tmp_path, True)
    single = problem.singles()[0]
    original = Model.of(single, weights)
    before = str(original.model.proto)
    twin = original.clone()
    assert str(twin.model.proto) == before
    charged, _ = _prices(single, twin, 1)
    twin.maximize_less(charged)
    twin.hint(single, parts[0].placements)
    twin.model.add(sum(twin.y.values()) <= 3)
    assert str(original.model.proto) == before != str(twin.model.proto)


def test_rooms_and_families_clone_the_groups_own_models(tmp_path: Path, monkeypatch) -> None:
    """With the groups' own models kept (answers.Built), their rooms and their families
    build none: each clones its group's, and gets the proto a fresh build would have."""
    problem, weights, _ = _crowded(tmp_path, True)
    singles, built = problem.singles(), Built()
    parts = [solve_module.solve_single(single, weights, 10, built) for single in singles]
    own = [built.of(part.model_key) for part in parts]
    assert all(model is not None for model in own) and len(built.models) == len(singles)
    fresh = [Model.of(single, weights) for single in singles]
    rows = prices.Rows.of(problem)
    _no_group_model_built(monkeypatch)
    fams = families(singles, weights, 10, parts, None, own)
    assert [f.members for f in fams] == [[0], [1], [2], [3]]
    assert all(str(f.built.model.proto) == str(fresh[k].model.proto) for k, f in enumerate(fams))
    assert all(f.built is not own[k] for k, f in enumerate(fams))
    rooms = turns.Rooms(singles, weights, rows, own)
    room = rooms.solve(1, singles[1], {}, 10, [])
    assert room.status == "optimal" and room.value == parts[1].objective
    assert str(own[1].model.proto) == str(fresh[1].model.proto)  # the kept one is unchanged


def test_built_keeps_at_most_its_number_of_models(tmp_path: Path) -> None:
    """Beyond `most` models, Built keeps no more (a room or family then builds its own);
    a model without a key (a re-plan's) is never kept."""
    problem, weights, _ = _crowded(tmp_path, True)
    built = Built(most=2)
    keys = [solve_module.solve_single(s, weights, 10, built).model_key for s in problem.singles()]
    assert len(set(keys)) == 4 and [built.of(key) is not None for key in keys] == [1, 1, 0, 0]
    built.put(None, Model.of(problem.singles()[0], weights))
    assert len(built.models) == 2 and built.of(None) is None


def test_an_operators_steps_clone_its_groups_own_models(tmp_path: Path, monkeypatch) -> None:
    """solve() with the own plans' models (as planner.run.partial hands them on): the rooms
    of group by group clone them, and no one-group model is built again."""
    problem, weights, _ = _crowded(tmp_path, True)
    built = Built()
    parts = [solve_module.solve_single(single, weights, 10, built) for single in problem.singles()]
    cloned = []
    real = turns._Room.of
    monkeypatch.setattr(
        turns._Room,
        "of",
        lambda single, w, rows, own: cloned.append(own is not None) or real(single, w, rows, own),
    )
    _no_group_model_built(monkeypatch)
    result = solve_module.solve(problem, weights, 10, parts, built)
    assert result.status in solve_module.PLANNED
    assert cloned == [True] * len(problem.groups)  # every group took a turn, from a clone
