"""#18: a group whose rules cannot all hold is left out and named; the rest is planned.

One workspace holds two plannable groups and one group for each way a group can be
impossible: a required post no item fits (its topics), a live campaign pinned in its
quiet hours, an operator whose hours exclude its required morning window (static, found
without a model), and a cap the stage's required posts exceed (found by the solver)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from conftest import line_of, write
from tiny import WEEK, build, group, items_of

from planner.cli import main

ITEMS = items_of(
    ("ck1", "checkin", {"repeat": "daily", "topics": ["tea"]}),
    ("ck2", "checkin", {"repeat": "daily", "topics": ["tea"]}),
    ("show", "live", {}),
    *[(f"q{n}", "quiz", {"repeat": "daily"}) for n in range(3)],
)
EVENINGS = {
    "operators": {
        "op": {},
        "night": {"hours": {"weekday": "18:00-22:30", "weekend": "18:00-22:30"}},
    }
}
LATE_LIVE = {
    "id": "late-live",
    "kind": "live",
    "name": "夜场直播",
    "targets": {"groups": ["late"]},
    "start": "2026-11-25 23:30",
    "items": [{"item": "show", "role": "live"}],
}
IMPOSSIBLE = {"coffee", "late", "tight"}


def _groups(broken: bool) -> list[dict]:
    tea = {"topics": ["tea"]}
    groups = [
        group("ok1", stage="retention", **tea),
        group("ok2", stage="retention", **tea),
        group("coffee", stage="retention", topics=["coffee"] if broken else ["tea"]),
        group("late", stage="retention", **tea),
        group("evening", stage="retention", operator="night" if broken else "op", **tea),
        group("tight", stage="activation", caps={"per_day": 1 if broken else 4}, **tea),
    ]
    return groups


def _workspace(root: Path, broken: bool) -> Path:
    build(root, _groups(broken), ITEMS, None, EVENINGS)
    if broken:
        write(root / "campaigns.yaml", yaml.safe_dump({"campaigns": [LATE_LIVE]}))
    return root


def _plan(runner, root: Path):
    result = runner.invoke(main, ["plan", str(root), "--week", WEEK.isoformat()])
    week = root / "outputs" / "2026-W48"
    plan = json.loads((week / "plan.json").read_text("utf-8")) if week.exists() else None
    return result, plan


def test_impossible_groups_are_left_out_named_and_the_rest_planned(tmp_path: Path, runner):
    root = _workspace(tmp_path / "ws", broken=True)
    result, plan = _plan(runner, root)
    assert result.exit_code == 4, result.output
    named = {entry["group"] for entry in plan["left_out"]}
    assert named == IMPOSSIBLE
    reasons = {entry["group"]: " ".join(entry["reasons"]) for entry in plan["left_out"]}
    groups, settings = root / "groups.yaml", root / "planner.yaml"
    assert (
        "ck1 is about tea" in reasons["coffee"]
        and "group coffee is about coffee" in reasons["coffee"]
    )
    assert "campaign late-live needs" in reasons["late"]
    assert "quiet hours" in reasons["late"]
    # An evening operator's group is planned without its morning check-in, and told so
    waived = "evening on Mon-Fri: stage retention asks for checkin 07:00-09:30 (built-in"
    assert waived in result.stderr
    assert f"({settings}:{line_of(settings, 'weekday:')})" in result.stderr
    assert f"caps.per_day is 1 ({groups}:" in reasons["tight"]
    days = {(p["group"], p["start"][:10]) for p in plan["posts"]}
    for planned in ("ok1", "ok2", "evening"):
        assert len({d for g, d in days if g == planned}) == 7
    assert not {g for g, _ in days} & IMPOSSIBLE
    assert "left out: 3 group(s)" in result.stdout
    for group_id in IMPOSSIBLE:
        assert f"  {group_id} (operator " in result.stdout
    report = (root / "outputs" / "2026-W48" / "report.md").read_text("utf-8")
    assert "## Left out" in report and "campaign late-live needs" in report


def test_check_names_the_static_conflicts_without_planning(tmp_path: Path, runner):
    root = _workspace(tmp_path / "ws", broken=True)
    result = runner.invoke(main, ["check", str(root)])
    assert result.exit_code == 1
    assert "live campaign late-live 2026-11-25 23:30 in group 'late'" in result.stderr
    assert "group 'coffee' in stage retention needs" in result.stderr


def test_nothing_plannable_is_exit_2_and_nothing_written(tmp_path: Path, runner):
    build(
        tmp_path / "ws",
        [group("tight", stage="activation", caps={"per_day": 1}, topics=["tea"])],
        ITEMS,
    )
    result, plan = _plan(runner, tmp_path / "ws")
    assert result.exit_code == 2, result.output
    assert plan is None
    assert "caps.per_day is 1" in result.stderr


def test_a_left_out_groups_calendar_keeps_the_last_runs_events(tmp_path: Path, runner):
    """Planned whole first; then `late` gets an impossible live: its posts stay as they
    were (same UID and SEQUENCE), none is cancelled, the others are planned anew."""
    root = _workspace(tmp_path / "ws", broken=False)
    first, before = _plan(runner, root)
    assert first.exit_code == 0, first.output
    write(root / "campaigns.yaml", yaml.safe_dump({"campaigns": [LATE_LIVE]}))
    again, after = _plan(runner, root)
    assert again.exit_code == 4, again.output
    assert [e["group"] for e in after["left_out"]] == ["late"]
    kept = [p for p in before["posts"] if p["group"] == "late"]
    assert kept and [p for p in after["posts"] if p["group"] == "late"] == kept
    assert not [p for p in after["cancelled"] if p["group"] == "late"]
    calendar = (root / "outputs" / "2026-W48" / "calendar.ics").read_text("utf-8")
    assert all(p["uid"] in calendar for p in kept)
