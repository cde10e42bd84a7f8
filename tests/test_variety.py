"""Variety by default: an item on at most two days a week per group, one check-in a day, and
the day number of a group's check-in series counted across its check-in items."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from test_scheduler_rules import add, at, post, rules_broken, solve
from tiny import build, group, items_of

from planner.cli import main

ARTICLES = items_of(*[(f"a{n}", "article", {"repeat": "daily", "value": 9 - n}) for n in range(3)])
CHECKINS = items_of(
    ("ck-a", "checkin", {"repeat": "daily", "value": 9}),
    ("ck-b", "checkin", {"repeat": "daily", "value": 8}),
)


def test_item_days_satisfied(tmp_path: Path) -> None:
    """A daily article worth most would run every day; the default keeps it to two."""
    ws = build(tmp_path, [group("g")], CHECKINS + ARTICLES, variety=True)
    plan = solve(ws)
    days = Counter((p.item, p.start.date()) for p in plan.posts if p.kind == "article")
    per_item = Counter(item for item, _ in days)
    assert per_item and max(per_item.values()) == 2, per_item


def test_item_days_violated(tmp_path: Path) -> None:
    ws = build(tmp_path, [group("g")], CHECKINS + ARTICLES, variety=True)
    plan = solve(ws)
    used = sorted({p.start.date() for p in plan.posts if p.item == "a0"})
    free = next(d for d in range(7) if at(d, "15:00").date() not in used)
    assert rules_broken(ws, add(plan, post(ws, "g", "a0", at(free, "15:00")))) == {"item_days"}


def test_item_days_explained(tmp_path: Path, runner) -> None:
    """A stage that requires an evening article every day, with only three articles (two
    days each): the explanation names item_days_per_week with the group's own line."""
    rules = {
        "stages": {
            "stages": {"retention": {"required": [{"kind": "article", "window": "19:00-21:00"}]}}
        }
    }
    ws = build(
        tmp_path / "ws",
        [group("g", caps={"item_days_per_week": 2})],
        ARTICLES,
        rules,
        variety=True,
    )
    result = runner.invoke(main, ["plan", str(ws.root), "--week", "2026-11-23"])
    assert result.exit_code == 2, result.output
    lines = (ws.root / "groups.yaml").read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "item_days_per_week" in text)
    assert f"caps.item_days_per_week ({ws.root / 'groups.yaml'}:{line})" in result.stderr


def test_one_checkin_a_day_and_one_series(tmp_path: Path) -> None:
    """Two check-in items: one a day (not two every morning), and the day number runs on
    whichever item carries it (第 1 天 .. 第 7 天, never two series)."""
    first = items_of(
        ("ck-a", "checkin", {"repeat": "daily", "value": 10, "valid_until": "2026-11-25"})
    )
    ws = build(tmp_path, [group("g")], first + CHECKINS[1:] + ARTICLES, variety=True)
    plan = solve(ws)
    checkins = sorted((p for p in plan.posts if p.kind == "checkin"), key=lambda p: p.start)
    assert len(checkins) == 7 and len({p.start.date() for p in checkins}) == 7
    assert [p.streak for p in checkins] == [1, 2, 3, 4, 5, 6, 7]
    assert [p.item for p in checkins] == ["ck-a"] * 3 + ["ck-b"] * 4  # one series, two items
    second = post(ws, "g", "ck-b" if checkins[0].item == "ck-a" else "ck-a", at(0, "08:30"))
    assert "kind_per_day" in rules_broken(ws, add(plan, second))
