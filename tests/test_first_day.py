"""Day one (stages.<stage>.first_day_order): a group's first onboarding day opens with the
welcome, then the rules and the intro, before anything else that day."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import line_of
from tiny import WEEK, build, group, items_of

from planner.cli import main
from planner.run.week import plan_week
from planner.verify.checker import verify

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW = [{"from": "2026-11-23", "stage": "onboarding"}]
ITEMS = items_of(
    ("w1", "welcome", {"repeat": "daily", "window": "09:00-21:00"}),
    ("r1", "rules", {"repeat": "daily"}),
    ("i1", "intro", {"repeat": "daily"}),
    ("early", "article", {"repeat": "daily", "value": 10, "window": "07:30-09:00"}),
)


def _monday(plan, group_id: str = "g1") -> list:
    posts = [p for p in plan.posts if p.group == group_id]
    return sorted(
        (p for p in posts if p.start.astimezone(SHANGHAI).date() == WEEK), key=lambda p: p.start
    )


def test_first_day_satisfied(tmp_path: Path) -> None:
    ws = build(tmp_path, [group("g1", stages=NEW)], ITEMS)
    plan = plan_week(ws, WEEK, workers=1)
    assert verify(ws, plan) == []
    kinds = [ws.items[p.item].kind for p in _monday(plan)]
    assert kinds[0] == "welcome", kinds
    openers = [k for k in kinds if k in ("welcome", "rules", "intro")]
    assert kinds[: len(openers)] == sorted(openers, key=["welcome", "rules", "intro"].index)
    tuesday = [p for p in plan.posts if p.start.astimezone(SHANGHAI).date() > WEEK]
    assert any(p.item == "early" for p in tuesday), "after day one the early article is free"


def test_first_day_only_on_the_groups_first_day(tmp_path: Path) -> None:
    ws = build(tmp_path, [group("g1", stage="onboarding")], ITEMS)
    plan = plan_week(ws, WEEK, workers=1)
    assert _monday(plan)[0].item == "early", "a group onboarding since before the week"


def test_first_day_violated(tmp_path: Path) -> None:
    """The early article moved before the day-one welcome breaks exactly this rule."""
    ws = build(tmp_path, [group("g1", stages=NEW)], ITEMS)
    plan = plan_week(ws, WEEK, workers=1)
    welcome = _monday(plan)[0]
    at = welcome.start.astimezone(SHANGHAI).replace(hour=8, minute=0)
    extra = welcome.model_copy(
        update={"item": "early", "start": at, "end": at + timedelta(minutes=30), "uid": "x"}
    )
    if welcome.start.astimezone(SHANGHAI).hour < 9:
        extra = extra.model_copy(update={"start": welcome.start - timedelta(minutes=30)})
    violations = verify(ws, plan.model_copy(update={"posts": [*plan.posts, extra]}))
    assert [(v.rule, v.group, v.when) for v in violations] == [("first_day", "g1", "2026-11-23")]
    assert "day one must open with welcome, rules, intro" in str(violations[0])


def test_first_day_explained(tmp_path: Path, runner) -> None:
    """A required morning check-in before the earliest welcome cannot open day one."""
    onboarding = {
        "required": [{"kind": "checkin", "count": 1, "window": "07:00-08:30"}],
        "first_day_order": ["welcome", "rules", "intro"],
    }
    rules = {"stages": {"stages": {"onboarding": onboarding}}}
    items = [*ITEMS, *items_of(("ck", "checkin", {"repeat": "daily"}))]
    build(tmp_path / "ws", [group("g1", stages=NEW)], items, rules)
    result = runner.invoke(main, ["plan", str(tmp_path / "ws"), "--week", "2026-11-23"])
    assert result.exit_code == 2, result.output
    path = tmp_path / "ws" / "rules" / "stages.yaml"
    line = line_of(path, "first_day_order:")
    expected = "stage onboarding: a group's first day opens with welcome, rules, intro"
    assert f"{expected} ({path}:{line})" in result.stderr, result.stderr


def test_first_day_has_each_opener(tmp_path: Path) -> None:
    """Before, day one only ordered the openers it happened to have: a plan with the
    welcome and the intro but no rules passed."""
    ws = build(tmp_path, [group("g1", stages=NEW)], ITEMS)
    plan = plan_week(ws, WEEK, workers=1)
    kinds = {ws.items[p.item].kind for p in _monday(plan)}
    assert {"welcome", "rules", "intro"} <= kinds
    rules = [p for p in _monday(plan) if ws.items[p.item].kind == "rules"]
    without = plan.model_copy(update={"posts": [p for p in plan.posts if p not in rules]})
    violations = verify(ws, without)
    assert ("first_day", "g1", "2026-11-23") in [(v.rule, v.group, v.when) for v in violations]
    assert any("day one has no rules post" in str(v) for v in violations)
