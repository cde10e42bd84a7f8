"""What travels to the workers: the week's shared inputs once, without the groups; each
operator's groups and groups.yaml entries with the operator's task, from which the worker
builds the same playbook part the whole week's playbook gives that operator."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from tiny import WEEK, build, group, items_of

import planner.campaigns.build as build_module
from planner.campaigns.build import playbook
from planner.campaigns.playbook import split
from planner.rules.sources import Sources
from planner.run.unit import UnitPlan, finish, plan_unit, workspace_of
from planner.run.week import context_of, units_of
from planner.solver.problem import week_start
from planner.workspace.load import GROUPS_FILE

ITEMS = items_of(("a1", "article", {"repeat": "daily"}), ("bye", "dissolve_notice", {}))


def _groups(count: int) -> list[dict]:
    """`count` groups over three operators; all but every fifth have their own per_day cap,
    and the odd ones are short events that ended, so the playbook dissolves them."""
    out = []
    for n in range(count):
        extra = {"caps": {"per_day": 2}} if n % 5 else {}
        if n % 2:
            extra |= {"type": "short_event", "event_end": "2026-11-22"}
        out.append(group(f"g{n:02d}", operator=f"op{n % 3}", **extra))
    return out


def test_the_shared_context_does_not_grow_with_the_groups(tmp_path: Path) -> None:
    small = build(tmp_path / "small", _groups(3), ITEMS)
    large = build(tmp_path / "large", _groups(60), ITEMS)
    sizes = []
    for ws in (small, large):
        context = context_of(ws, week_start(WEEK))
        assert context.ws.groups == [] and GROUPS_FILE not in context.ws.docs
        sizes.append(len(pickle.dumps(context)))
    assert sizes[0] == sizes[1]


def test_each_unit_carries_its_own_groups_and_their_lines(tmp_path: Path) -> None:
    ws = build(tmp_path / "ws", _groups(12), ITEMS)
    start = week_start(WEEK)
    units, left = units_of(ws, None)
    context = context_of(ws, start)
    assert left == {} and [u.id for u in units] == ["op0", "op1", "op2"]
    parts = split(playbook(ws, start), {g.id: g.operator for g in ws.groups})
    for unit in units:
        own = workspace_of(context, unit)
        assert unit.groups == ws.operators()[unit.id]
        assert {g.operator for g in unit.members} == {unit.id}
        assert {e["id"] for e in unit.groups_doc.data["groups"]} == set(unit.groups)
        book = playbook(own, start)  # as the worker builds it
        assert book == parts[unit.id]
        dissolved = {g.id for g in unit.members if g.type == "short_event"}
        assert dissolved and {n.group for n in book.needs} == dissolved
        assert set(book.stage_changes) == dissolved
        for group_id in unit.groups:  # groups.yaml:LINE as the whole file says it
            whole = Sources(ws).caps(group_id, "retention", ("per_day",))
            assert Sources(own).caps(group_id, "retention", ("per_day",)) == whole
            assert ("groups.yaml:" in whole) == (int(group_id[1:]) % 5 != 0)


def test_a_unit_builds_its_operators_playbook_once(tmp_path: Path, monkeypatch) -> None:
    """Planned in a worker or finished by the driver after failing there, a unit builds its
    playbook once; the problem, the verifier and the writers all read that one."""
    groups = [group(f"g{n}", operator=f"op{n % 2}") for n in range(4)]
    daily = items_of(("a1", "article", {"repeat": "daily"}), ("c1", "checkin", {"repeat": "daily"}))
    ws = build(tmp_path / "ws", groups, daily)
    real = build_module.playbook
    built: list[tuple[str, ...]] = []

    def counted(ws, week_start, history=None):
        built.append(tuple(g.id for g in ws.groups))
        return real(ws, week_start, history)

    for module in list(sys.modules.values()):
        if module.__name__.startswith("planner.") and getattr(module, "playbook", None) is real:
            monkeypatch.setattr(module, "playbook", counted)
    units, _ = units_of(ws, None)
    context = context_of(ws, week_start(WEEK), render=True)
    for unit in units:
        outcome = plan_unit(context, unit, time_limit=5)
        assert outcome.status == "optimal" and outcome.violations == []
        assert outcome.rendered is not None
    assert built == [unit.groups for unit in units]
    built.clear()
    finish(context, units[0], UnitPlan.failed(units[0], "the worker died"))
    assert built == [units[0].groups]
