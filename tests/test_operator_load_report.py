"""Each operator's load in the run sheet and report.md, and the warning when one operator
carries more than twice another's posts in the week (report and `planner plan`)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from tiny import build, group, items_of, plan_with_cli, post_day

from planner.cli import main
from planner.plan import LeftOut
from planner.workspace.templates import WEEKDAYS
from planner.writers.labels import WEEKDAY_NAMES
from planner.writers.load import imbalance

ARTICLES = items_of(*[(f"a{n}", "article", {"repeat": "daily", "value": 5 + n}) for n in range(4)])
NO_REQUIRED = {"stages": {"stages": {"retention": {"required": []}}}}
WEEK = date(2026, 11, 23)


def test_the_run_sheet_shows_posts_per_day_with_the_limit_and_hours(tmp_path: Path, runner) -> None:
    own = {"max_posts_per_day": 3, "hours": {"weekday": "18:00-22:30", "weekend": "off"}}
    ws = tmp_path / "ws"
    build(ws, [group("g1"), group("g2")], ARTICLES, NO_REQUIRED, {"operators": {"op": own}})
    plan = plan_with_cli(runner, ws, "2026-11-23")
    per_day = Counter(post_day(p) for p in plan["posts"])
    sheet = (ws / "outputs" / "2026-W48" / "operators" / "op.md").read_text("utf-8")
    for offset in range(7):
        day = WEEK + timedelta(days=offset)
        label = f"{WEEKDAY_NAMES['zh-CN'][day.weekday()]} {day}"
        groups = "g1群, g2群" if per_day[day] else ""
        assert f"| {label} | {per_day[day]} / 3 | {groups} |\n" in sheet
    assert per_day[WEEK] == 3 and per_day[WEEK + timedelta(days=5)] == 0
    assert "**工作时间:** 工作日 18:00-22:30 · 周末 休息\n" in sheet  # zh-CN words
    assert "**每日上限:** 3 条\n" in sheet


def test_the_report_shows_each_operators_posts_per_day(tmp_path: Path, runner) -> None:
    ws = tmp_path / "ws"
    build(ws, [group("g1"), group("g2", operator="op2")], ARTICLES, NO_REQUIRED)
    plan = plan_with_cli(runner, ws, "2026-11-23")
    report = (ws / "outputs" / "2026-W48" / "report.md").read_text("utf-8")
    assert "## Operators' load\n" in report
    labels = " | ".join(
        f"{WEEKDAYS['en'][(WEEK + timedelta(days=n)).weekday()]} {WEEK + timedelta(days=n):%m-%d}"
        for n in range(7)
    )
    assert f"| operator | {labels} | week |\n" in report
    for operator in ("op", "op2"):
        posts = [p for p in plan["posts"] if p["operator"] == operator]
        per_day = Counter(post_day(p) for p in posts)
        cells = [str(per_day[WEEK + timedelta(days=n)]) for n in range(7)] + [str(len(posts))]
        assert f"| {operator} | " + " | ".join(cells) + " |\n" in report
    assert "> Warning: operator" not in report  # one group each: an even load


def test_one_operator_with_more_than_twice_anothers_posts_is_warned(tmp_path: Path, runner) -> None:
    ws = tmp_path / "ws"
    groups = [group("g1"), group("g2"), group("g3"), group("solo", operator="light")]
    build(ws, groups, ARTICLES, NO_REQUIRED)
    result = runner.invoke(main, ["plan", str(ws), "--week", "2026-11-23"])
    assert result.exit_code == 0, result.output
    out = ws / "outputs" / "2026-W48"
    posts = Counter(p["operator"] for p in json.loads((out / "plan.json").read_text())["posts"])
    warning = (
        f"operator op carries {posts['op']} posts this week, more than twice light's "
        f"{posts['light']}; give light some of op's groups"
    )
    assert f"> Warning: {warning}" in (out / "report.md").read_text("utf-8")
    assert f"warning: {warning}" in result.stderr


def test_the_imbalance_warning_compares_the_busiest_with_the_least_busy() -> None:
    assert imbalance({"a": 10, "b": 5}) is None  # twice is not more than twice
    assert imbalance({"a": 100}) is None
    text = imbalance({"a": 11, "b": 5, "c": 9})
    assert text is not None
    assert text.startswith("operator a carries 11 posts this week, more than twice b's 5;")
    assert imbalance({"a": 3, "b": 0}) is not None


def test_an_operator_with_a_group_left_out_is_not_compared() -> None:
    """Their count is not their load: 'give b some of a's groups' would be wrong advice."""
    gone = [LeftOut(group="g", operator="b", reasons=["..."])]
    assert imbalance({"a": 30, "b": 0}) is not None
    assert imbalance({"a": 30, "b": 0}, gone) is None
    assert imbalance({"a": 30, "b": 0, "c": 10}, gone) is not None
