"""Past whole_calendar_max_posts or calendar_import_max_bytes, calendar.ics names the
operators' calendars instead of holding every event (no calendar app imports a hundred
thousand; Google's import takes about 1 MB), without week-long banner events; an operator's
file past the import size is split by day; the report and the summary say which file to
import where."""

from __future__ import annotations

import os
from pathlib import Path

import icalendar
from test_ical_interop import HAS_LIBICAL, libical_problems
from tiny import build, group, items_of

from planner.cli import main

ITEMS = items_of(
    ("ck", "checkin", {"repeat": "daily", "window": "08:00-09:00"}),
    *[(f"a{n}", "article", {"repeat": "daily", "value": 5 + n}) for n in range(3)],
)


def _week(tmp_path: Path, runner, limit: int, max_bytes: int = 1_000_000) -> tuple[Path, str]:
    settings = {
        "whole_calendar_max_posts": limit,
        "calendar_import_max_bytes": max_bytes,
        "operators": {"op": {}, "op2": {}},
    }
    ws = build(
        tmp_path / "ws", [group("g1"), group("g2", operator="op2")], ITEMS, settings=settings
    )
    result = runner.invoke(main, ["plan", str(ws.root), "--week", "2026-11-23"])
    assert result.exit_code == 0, result.output
    return ws.root / "outputs" / "2026-W48", result.stdout


def _events(path: Path) -> list:
    return icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")


def test_large_week_calendar_is_an_index_of_operators(tmp_path: Path, runner) -> None:
    week, summary = _week(tmp_path, runner, limit=5)
    assert "calendar.ics          an index: the week is too large for one import" in summary
    assert "    op: operators/op.ics\n    op2: operators/op2.ics\n" in summary
    per_operator = {op: len(_events(week / "operators" / f"{op}.ics")) for op in ("op", "op2")}
    assert all(per_operator.values())
    index = icalendar.Calendar.from_ical((week / "calendar.ics").read_bytes())
    assert index.walk("VEVENT") == []  # no week-long banners
    assert "op: operators/op.ics; op2: operators/op2.ics" in str(index["X-WR-CALDESC"])
    report = (week / "report.md").read_text("utf-8")
    assert "calendar.ics is an index" in report and "whole_calendar_max_posts: 5 " in report
    assert "- op: `operators/op.ics`\n- op2: `operators/op2.ics`\n" in report


def test_a_week_past_the_import_size_is_split_by_operator_and_day(tmp_path: Path, runner) -> None:
    week, summary = _week(tmp_path, runner, limit=5000, max_bytes=10_000)
    assert not (week / "operators" / "op.ics").exists()
    days = sorted((week / "operators" / "op").glob("*.ics"))
    assert [p.name for p in days] == [f"2026-11-{d}.ics" for d in range(23, 30)]
    assert all(p.stat().st_size <= 10_000 for p in days)
    assert all(str(e["DTSTART"].dt.date()) in p.name for p in days for e in _events(p))
    files = ", ".join(f"`operators/op/{p.name}`" for p in days)
    report = (week / "report.md").read_text("utf-8")
    assert f"- op: {files}\n" in report and "calendar_import_max_bytes: 10000 " in report
    assert _events(week / "calendar.ics") == [] and "calendar.ics          an index" in summary
    if HAS_LIBICAL or os.environ.get("CI"):  # the index and the day files pass libical too
        assert libical_problems([week / "calendar.ics", *days]) == ""


def test_small_week_calendar_holds_every_post(tmp_path: Path, runner) -> None:
    week, summary = _week(tmp_path, runner, limit=5000)
    assert "    everyone: calendar.ics (the whole week)" in summary
    ops = sum(len(_events(week / "operators" / f"{op}.ics")) for op in ("op", "op2"))
    assert len(_events(week / "calendar.ics")) == ops > 5
    report = (week / "report.md").read_text("utf-8")
    assert "calendar.ics is an index" not in report
    assert "## Which calendar to import\n\n- everyone: `calendar.ics` (the whole week)" in report
