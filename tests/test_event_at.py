"""An offline event is announced before its `event_at`, never after it happened.

Before, a tasting at Saturday 14:00 was announced on Saturday at 19:00 (found reading the
milk-tea scenario), and in the fitness and tutoring scenarios alike.
"""

from __future__ import annotations

from pathlib import Path

from test_campaigns import at, of, solve
from test_scheduler_rules import add, post, rules_broken
from tiny import build, group, items_of

NO_REQUIRED = {"stages": {"stages": {"retention": {"required": []}}}}
EVENT = {"place": "门店二楼", "fee": 0, "event_at": "2026-11-25 14:00", "value": 10}


def _workspace(tmp_path: Path):
    items = items_of(
        ("tasting", "offline_event", {**EVENT, "repeat": "daily"}),
        *[(f"a{n}", "article", {"repeat": "daily", "value": 2}) for n in range(3)],
    )
    return build(tmp_path, [group("g")], items, NO_REQUIRED)


def test_offline_event_before_its_event_at_satisfied(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    plan = solve(ws)
    announced = of(plan, "tasting")
    assert announced, "the event's value must make it worth posting"
    assert all(p.start < at("2026-11-25 14:00") for p in announced)
    assert rules_broken(ws, plan) == set()


def test_offline_event_before_its_event_at_violated(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    plan = solve(ws)
    late = add(plan, post(ws, "g", "tasting", at("2026-11-25 19:00")))
    assert "item_window" in rules_broken(ws, late)
