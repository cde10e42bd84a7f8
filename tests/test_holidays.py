"""Holidays: days off use the holiday (or weekend) profile, 调休 working days the weekday one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import write
from tiny import build, group, items_of

from planner.cli import main
from planner.errors import Findings
from planner.models.common import GroupType
from planner.workspace.resources import builtin_rules
from planner.workspace.rulepacks import load_holidays, load_rules, peak_profile, peaks_on


def _rules():
    rules = load_rules(builtin_rules(), None, Findings())
    assert rules is not None
    return rules


def test_2026_days_off_and_adjusted_working_days() -> None:
    calendar = _rules().holidays
    assert calendar.day_type(date(2026, 10, 1)) == "holiday"  # 国庆节, a Thursday
    assert calendar.day_type(date(2026, 2, 23)) == "holiday"  # 春节, a Monday
    assert calendar.day_type(date(2026, 10, 10)) == "weekday"  # a Saturday that is worked
    assert calendar.day_type(date(2026, 2, 14)) == "weekday"
    assert calendar.day_type(date(2026, 11, 28)) == "weekend"
    assert calendar.day_type(date(2026, 11, 24)) == "weekday"
    assert calendar.festivals_on(date(2026, 11, 11)) == ["双11"]
    assert calendar.day_type(date(2031, 10, 1)) == "holiday"  # no file: computed (国庆节)
    assert calendar.day_type(date(2031, 10, 8)) == "weekday"


def test_profiles_follow_the_day_type() -> None:
    rules = _rules()
    profile = peak_profile(rules.peaks, GroupType.fan)
    assert peaks_on(rules, GroupType.fan, date(2026, 10, 1)) == tuple(profile.weekend)
    assert peaks_on(rules, GroupType.fan, date(2026, 10, 10)) == tuple(profile.weekday)


def test_workspace_adds_a_year_and_errors_have_lines(tmp_path: Path) -> None:
    write(
        tmp_path / "2027.yaml",
        "year: 2027\ndays_off:\n  - {name: 元旦, from: 2027-01-01, to: 2027-01-01}\n",
    )
    bad = write(
        tmp_path / "2028.yaml",
        "year: 2028\ndays_off:\n  - {name: x, from: 2028-05-05, to: 2028-05-01}\n",
    )
    findings = Findings()
    calendar = load_holidays(builtin_rules() / "holidays", tmp_path, findings)
    assert {2026, 2027} <= set(calendar.years) and 2028 not in calendar.years
    [problem] = findings.errors
    assert problem.path == str(bad) and problem.line == 3 and "comes before" in problem.message


def test_unknown_year_warns_but_plans(tmp_path: Path, runner) -> None:
    items = items_of(("a", "article", {"repeat": "daily"}))
    rules = {"stages": {"stages": {"retention": {"required": []}}}}
    build(
        tmp_path / "ws",
        [group("g", stages=[{"from": "2030-01-01", "stage": "retention"}])],
        items,
        rules,
    )
    result = runner.invoke(main, ["plan", str(tmp_path / "ws"), "--week", "2031-03-05"])
    assert result.exit_code == 0, result.output
    assert "warning: no rules/holidays/2031.yaml" in result.stderr
    report = (tmp_path / "ws" / "outputs" / "2031-W10" / "report.md").read_text("utf-8")
    assert "no rules/holidays/2031.yaml" in report
