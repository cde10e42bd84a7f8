"""An operator's daily load (operators.<id>.max_posts_per_day, or the caps pack's `operator`):
at most that many posts on any of their days across all their groups. The groups' own best
plans are kept together only when they respect it, and the checker catches any breach."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import line_of
from tiny import WEEK, build, group, items_of

from planner.cli import main
from planner.run.week import plan_week
from planner.solver import solve as solve_module
from planner.solver.problem import build_problems
from planner.verify.checker import verify

ARTICLES = items_of(*[(f"a{n}", "article", {"repeat": "daily", "value": 5 + n}) for n in range(6)])
NO_REQUIRED = {"stages": {"stages": {"retention": {"required": []}}}}
CHECKINS = items_of(("ck", "checkin", {"repeat": "daily"}))
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _limited(root: Path, limit: int | None):
    settings = {"operators": {"op": {"max_posts_per_day": limit}}} if limit else {}
    return build(root, [group("g1"), group("g2")], ARTICLES, NO_REQUIRED, settings)


def _per_day(plan) -> Counter:
    return Counter(p.start.astimezone(SHANGHAI).date() for p in plan.posts)


def test_operator_daily_load_satisfied(tmp_path: Path) -> None:
    free = plan_week(_limited(tmp_path / "free", None), WEEK, workers=1)
    assert min(_per_day(free).values()) > 3, "without the limit the two groups post more"
    ws = _limited(tmp_path / "capped", 3)
    plan = plan_week(ws, WEEK, workers=1)
    assert verify(ws, plan) == []
    assert set(_per_day(plan).values()) == {3}
    assert {p.group for p in plan.posts} == {"g1", "g2"}


def test_the_groups_own_plans_stand_together_only_within_the_daily_load(tmp_path: Path) -> None:
    """Each group alone keeps 3 posts a day; together they do not, and the solver sees it."""
    ws = _limited(tmp_path, 3)
    problem = build_problems(ws, WEEK)[0]
    weights = ws.rules.stages.objective.model_dump()
    parts = [solve_module.solve(single, weights) for single in problem.singles()]
    merged = [replace(p, group=g) for g, part in enumerate(parts) for p in part.placements]
    assert all(len(part.placements) >= 7 for part in parts)
    assert not solve_module.within_capacity(problem, merged)


def test_operator_daily_load_violated(tmp_path: Path) -> None:
    """One post more on a full day, in the other group at a quiet time, breaks exactly this."""
    ws = _limited(tmp_path, 3)
    plan = plan_week(ws, WEEK, workers=1)
    monday = [p for p in plan.posts if p.start.date() == WEEK]
    model = next(p for p in monday if p.group == "g1")
    taken = {p.item for p in monday if p.group == "g2"}
    item = next(i["id"] for i in ARTICLES if i["id"] not in taken)
    busy = [p.start for p in monday if p.group == "g2"]
    noon = next(
        model.start.replace(hour=h, minute=0)
        for h in range(9, 22)
        if all(abs(model.start.replace(hour=h, minute=0) - t) >= timedelta(hours=1) for t in busy)
    )
    extra = model.model_copy(
        update={
            "group": "g2",
            "item": item,
            "start": noon,
            "end": noon + timedelta(minutes=30),
            "uid": "extra",
        }
    )
    violations = verify(ws, plan.model_copy(update={"posts": [*plan.posts, extra]}))
    assert [(v.rule, v.group, v.when) for v in violations] == [
        ("operator_daily_load", "(operator op)", "2026-11-23")
    ]
    assert "4 posts on the operator's day, max_posts_per_day is 3" in str(violations[0])


def test_operator_daily_load_explained(tmp_path: Path, runner) -> None:
    """Two groups each need a morning check-in; the operator may post once a day."""
    settings = {"operators": {"op": {"max_posts_per_day": 1}}}
    build(tmp_path / "ws", [group("g1"), group("g2")], CHECKINS, None, settings)
    result = runner.invoke(main, ["plan", str(tmp_path / "ws"), "--week", "2026-11-23"])
    assert result.exit_code == 2, result.output
    path = tmp_path / "ws" / "planner.yaml"
    line = line_of(path, "max_posts_per_day:")
    assert (
        f"operator op: at most 1 posts a day across their groups ({path}:{line})" in result.stderr
    )


def test_the_caps_packs_operator_default_applies_and_is_cited(tmp_path: Path, runner) -> None:
    rules = {"caps": {"operator": {"max_posts_per_day": 1}}}
    build(tmp_path / "ws", [group("g1"), group("g2")], CHECKINS, rules)
    result = runner.invoke(main, ["plan", str(tmp_path / "ws"), "--week", "2026-11-23"])
    assert result.exit_code == 2, result.output
    caps = tmp_path / "ws" / "rules" / "caps.yaml"
    line = line_of(caps, "max_posts_per_day:")
    assert f"at most 1 posts a day across their groups ({caps}:{line})" in result.stderr
