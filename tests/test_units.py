"""What travels to the workers: the week's shared inputs once, without the groups; each
operator's groups and groups.yaml entries with the operator's task, from which the worker
builds the same playbook part the whole week's playbook gives that operator."""

from __future__ import annotations

import pickle
from pathlib import Path

from tiny import WEEK, build, group, items_of

from planner.campaigns.build import playbook
from planner.campaigns.playbook import split
from planner.run.unit import workspace_of
from planner.run.week import context_of, units_of
from planner.solver.explain import rule_source
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
            whole = rule_source(ws, group_id, "retention", ("per_day",))
            assert rule_source(own, group_id, "retention", ("per_day",)) == whole
            assert ("groups.yaml:" in whole) == (int(group_id[1:]) % 5 != 0)
