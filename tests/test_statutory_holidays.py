"""Issue 17: a year without rules/holidays/<year>.yaml gets its statutory days off from the
`holidays` package (春节 moves with the lunar calendar), with a warning that its adjusted
working days (调休) are not known yet."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

from conftest import write
from tiny import build, group, items_of

from planner.cli import main
from planner.models.statutory import statutory_year
from planner.run.week import plan_week

SPRING_FESTIVAL_WEEK = date(2027, 2, 8)  # Monday of 2027-W06; 春节 is 2027-02-06
ITEMS = items_of(("a", "article", {"repeat": "daily"}), ("b", "news", {"repeat": "daily"}))
RULES = {
    "stages": {"stages": {"retention": {"required": []}}},
    "peaks": {"default": {"holiday": [{"name": "holiday", "window": "10:00-12:00", "weight": 5}]}},
}


def _workspace(root: Path):
    stages = [{"from": "2027-01-01", "stage": "retention"}]
    return build(root, [group("g", stages=stages)], ITEMS, RULES)


def test_the_2027_spring_festival_is_computed() -> None:
    spans = {span.name: (span.from_, span.to) for span in statutory_year(2027).days_off}
    assert spans["春节"][0] <= date(2027, 2, 6) <= spans["春节"][1]
    assert spans["国庆节"][0] == date(2027, 10, 1)
    assert statutory_year(2027).working_days == []  # only the notice says which


def test_the_2027_spring_festival_week_plans_its_days_as_holidays(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "ws")
    plan = plan_week(ws, SPRING_FESTIVAL_WEEK, workers=1)
    holiday = [(time(10), time(12))]
    peaks = {
        day.date: [(w.start, w.end) for w in day.peaks] for day in plan.days if day.group == "g"
    }
    off = [SPRING_FESTIVAL_WEEK + timedelta(days=n) for n in range(3)]  # Mon-Wed, 02-08..10
    assert [peaks[day] for day in off] == [holiday] * 3
    assert peaks[date(2027, 2, 11)] != holiday  # Thursday: a working day again
    assert peaks[date(2027, 2, 11)][0] == (time(7), time(9))  # the weekday profile
    [warning] = plan.warnings
    assert warning.startswith("no rules/holidays/2027.yaml: the days off of 2027")
    assert "adjusted working days (调休) are not known yet" in warning
    assert "add rules/holidays/2027.yaml" in warning


def test_the_warning_is_printed_and_reported(tmp_path: Path, runner) -> None:
    _workspace(tmp_path / "ws")
    result = runner.invoke(main, ["plan", str(tmp_path / "ws"), "--week", "2027-02-08"])
    assert result.exit_code == 0, result.output
    assert "warning: no rules/holidays/2027.yaml" in result.stderr
    report = (tmp_path / "ws" / "outputs" / "2027-W06" / "report.md").read_text("utf-8")
    assert "> Warning: no rules/holidays/2027.yaml" in report


def test_the_notices_file_replaces_the_computed_year(tmp_path: Path) -> None:
    ws_root = tmp_path / "ws"
    write(
        ws_root / "rules" / "holidays" / "2027.yaml",
        "year: 2027\ndays_off:\n  - {name: 春节, from: 2027-02-06, to: 2027-02-09}\n"
        "working_days:\n  - {name: 春节, date: 2027-02-14}\n",
    )
    ws = _workspace(ws_root)
    assert ws.rules.holidays.day_type(date(2027, 2, 10)) == "weekday"  # not off in the file
    assert ws.rules.holidays.day_type(date(2027, 2, 14)) == "weekday"  # a Sunday worked
    assert plan_week(ws, SPRING_FESTIVAL_WEEK, workers=1).warnings == []
