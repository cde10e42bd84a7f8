"""Past whole_calendar_max_posts, calendar.ics names the operators' calendars instead of
holding every event (no calendar app imports a hundred thousand), and the report says so."""

from __future__ import annotations

from pathlib import Path

import icalendar
from tiny import build, group, items_of

from planner.cli import main

ITEMS = items_of(
    ("ck", "checkin", {"repeat": "daily", "window": "08:00-09:00"}),
    *[(f"a{n}", "article", {"repeat": "daily", "value": 5 + n}) for n in range(3)],
)


def _week(tmp_path: Path, runner, limit: int) -> tuple[Path, str]:
    ws = build(
        tmp_path / "ws",
        [group("g1"), group("g2", operator="op2")],
        ITEMS,
        settings={"whole_calendar_max_posts": limit, "operators": {"op": {}, "op2": {}}},
    )
    result = runner.invoke(main, ["plan", str(ws.root), "--week", "2026-11-23"])
    assert result.exit_code == 0, result.output
    return ws.root / "outputs" / "2026-W48", result.stdout


def _events(path: Path) -> list:
    return icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")


def test_large_week_calendar_is_an_index_of_operators(tmp_path: Path, runner) -> None:
    week, summary = _week(tmp_path, runner, limit=5)
    assert "calendar.ics          an index of the operators' calendars" in summary
    per_operator = {op: len(_events(week / "operators" / f"{op}.ics")) for op in ("op", "op2")}
    assert all(per_operator.values())
    entries = _events(week / "calendar.ics")
    assert [str(e["DESCRIPTION"]) for e in entries] == ["operators/op.ics", "operators/op2.ics"]
    for entry, (op, count) in zip(entries, sorted(per_operator.items()), strict=True):
        assert str(entry["SUMMARY"]) == f"{op}: {count} posts, import operators/{op}.ics"
    report = (week / "report.md").read_text("utf-8")
    assert "calendar.ics is an index" in report and "whole_calendar_max_posts: 5" in report


def test_small_week_calendar_holds_every_post(tmp_path: Path, runner) -> None:
    week, summary = _week(tmp_path, runner, limit=5000)
    assert "calendar.ics          import into your calendar app" in summary
    ops = sum(len(_events(week / "operators" / f"{op}.ics")) for op in ("op", "op2"))
    assert len(_events(week / "calendar.ics")) == ops > 5
    assert "calendar.ics is an index" not in (week / "report.md").read_text("utf-8")
