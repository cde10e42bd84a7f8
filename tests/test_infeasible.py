"""Infeasible weeks: exit 2 and the smallest set of rules in conflict, in the user's words."""

from __future__ import annotations

from pathlib import Path

import pytest
from tiny import build, group, items_of

from planner.cli import main

CHECKIN = items_of(("ck1", "checkin", {"repeat": "daily"}), ("ck2", "checkin", {"repeat": "daily"}))
QUIZZES = items_of(*[(f"q{n}", "quiz", {"repeat": "daily"}) for n in range(4)])
DEALS = items_of(("d1", "deal", {"repeat": "daily"}))


def stages_requiring(stage: str, *required: dict) -> dict:
    return {"stages": {"stages": {stage: {"required": list(required)}}}}


CASES = {
    "per_day": (
        [group("g", stage="activation", caps={"per_day": 1})],
        CHECKIN + QUIZZES,
        None,
        None,
        [
            f"group g, {day}: stage activation requires 1 post (checkin 07:00-09:00) "
            "(built-in rules/stages.yaml:"
            for day in ("Mon 2026-11-23", "Wed 2026-11-25", "Sun 2026-11-29")
        ]
        + ["requires 1 post (quiz/poll/ugc_prompt 19:30-22:00)"]
        + ["caps.per_day is 1 (", "groups.yaml:"],
    ),
    "quiet_hours": (
        [group("g", stage="retention", caps={"quiet_hours": "22:00-10:00"})],
        CHECKIN,
        None,
        None,
        [
            "stage retention requires 1 post (checkin 07:00-09:30)",
            "but no checkin item can go out then: caps.quiet_hours is 22:00-10:00 (",
            "ws/groups.yaml:",
        ],
    ),
    "min_gap": (
        [group("g", stage="retention", caps={"min_gap_minutes": 90})],
        CHECKIN,
        stages_requiring("retention", {"kind": "checkin", "count": 2, "window": "07:00-08:30"}),
        None,
        ["requires 2 posts (checkin x2 07:00-08:30)", "caps.min_gap_minutes is 90"],
    ),
    "per_hour": (
        [group("g", stage="activation", caps={"per_hour": 1, "min_gap_minutes": 0})],
        QUIZZES,
        stages_requiring("activation", {"kind": "quiz", "count": 2, "window": "19:00-20:00"}),
        None,
        ["requires 2 posts (quiz x2 19:00-20:00)", "caps.per_hour is 1"],
    ),
    "kind_per_day": (
        [group("g", stage="retention", caps={"kinds": {"checkin": {"per_day": 1}}})],
        CHECKIN,
        stages_requiring("retention", {"kind": "checkin", "count": 2}),
        None,
        ["requires 2 posts (checkin x2)", "caps.kinds.checkin.per_day is 1"],
    ),
    "promo_share": (
        [group("g", stage="conversion", caps={"promo_share_max": 0.0})],
        DEALS,
        stages_requiring("conversion", {"kind": "deal", "count": 1}),
        None,
        ["requires 1 post (deal)", "caps.promo_share_max is 0.0"],
    ),
    "operator": (
        [group("g1", stage="retention"), group("g2", stage="retention")],
        CHECKIN,
        stages_requiring("retention", {"kind": "checkin", "count": 1, "window": "07:00-07:30"}),
        {"operators": {"op": {"max_posts": 1, "window_minutes": 30}}},
        ["operator op: at most 1 posts in any 30 minutes across their groups (", "planner.yaml:"],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_conflict_is_explained(tmp_path: Path, runner, name: str) -> None:
    groups, items, rules, settings = CASES[name][:4]
    build(tmp_path / "ws", groups, items, rules, settings)
    result = runner.invoke(main, ["plan", str(tmp_path / "ws"), "--week", "2026-11-23"])
    assert result.exit_code == 2, result.output
    assert "cannot be planned" in result.stderr
    for fragment in CASES[name][4]:
        assert fragment in result.stderr, result.stderr
    assert not (tmp_path / "ws" / "outputs" / "2026-W48" / "plan.json").exists()


def test_items_for_other_group_types_are_not_listed_when_one_would_fit(tmp_path, runner) -> None:
    """The reason named is the one that keeps out the check-in that would fit this group
    (its window), not the camp's check-in, which was never for it."""
    items = items_of(
        ("camp-ck", "checkin", {"group_types": ["training_camp"], "repeat": "daily"}),
        ("late-ck", "checkin", {"window": "20:00-21:00", "repeat": "daily"}),
    )
    build(tmp_path / "ws", [group("g")], items)
    result = runner.invoke(main, ["plan", str(tmp_path / "ws"), "--week", "2026-11-23"])
    assert result.exit_code == 2, result.output
    assert "late-ck only goes out 20:00-21:00" in result.stderr
    assert "camp-ck" not in result.stderr
