"""Operators' working hours (planner.yaml operators.<id>.hours): no post outside them, in the
operator's time zone, with the holiday calendar deciding weekdays; a required post the hours
rule out is explained with the hours' file:line; bad hours are file:line errors."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import line_of, write
from tiny import WEEK, build, group, items_of

from planner.cli import main
from planner.errors import Findings
from planner.rules.working_hours import working_hours
from planner.run.week import plan_week
from planner.verify.checker import verify
from planner.workspace.check import check_workspace
from planner.workspace.load import load_workspace

ARTICLES = items_of(*[(f"a{n}", "article", {"repeat": "daily", "value": 5 + n}) for n in range(4)])
NO_REQUIRED = {"stages": {"stages": {"retention": {"required": []}}}}
EVENINGS = {"operators": {"op": {"hours": {"weekday": "18:00-22:30", "weekend": "off"}}}}
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _plan(ws, day: date = WEEK):
    plan = plan_week(ws, day, time_limit=10, workers=1)
    assert verify(ws, plan) == []
    assert plan.posts, "the instance must post something for the rule to matter"
    return plan


def _in_evening_hours(moment: datetime) -> bool:
    local = moment.astimezone(SHANGHAI)
    return local.weekday() < 5 and 18 * 60 <= local.hour * 60 + local.minute < 22 * 60 + 30


def test_operator_hours_satisfied(tmp_path: Path) -> None:
    ws = build(tmp_path, [group("g1"), group("g2")], ARTICLES, NO_REQUIRED, EVENINGS)
    plan = _plan(ws)
    assert all(_in_evening_hours(p.start) for p in plan.posts)
    assert {p.start.astimezone(SHANGHAI).weekday() for p in plan.posts} == set(range(5))


def test_operator_hours_violated(tmp_path: Path) -> None:
    """The plan with one post moved to the morning breaks exactly this rule."""
    ws = build(tmp_path, [group("g1")], ARTICLES, NO_REQUIRED, EVENINGS)
    plan = _plan(ws)
    first = min(plan.posts, key=lambda p: p.start)
    morning = first.start.replace(hour=10, minute=0)
    moved = first.model_copy(update={"start": morning, "end": morning + timedelta(minutes=30)})
    broken = plan.model_copy(update={"posts": [moved, *[p for p in plan.posts if p != first]]})
    violations = verify(ws, broken)
    assert [v.rule for v in violations] == ["operator_hours"]
    assert "10:00 is outside its hours: operator op works 18:00-22:30 on weekdays" in str(
        violations[0]
    )


def test_operator_hours_explained(tmp_path: Path, runner) -> None:
    """Retention requires a morning check-in; the operator works evenings (YAML's bare `off`
    on weekends): the explanation names the hours' lines."""
    root = tmp_path / "ws"
    build(root, [group("g")], items_of(("ck", "checkin", {"repeat": "daily"})))
    settings = root / "planner.yaml"
    text = settings.read_text("utf-8")
    write(
        settings,
        text + "operators:\n  op:\n    hours:\n      weekday: 18:00-22:30\n      weekend: off\n",
    )
    result = runner.invoke(main, ["plan", str(root), "--week", "2026-11-23"])
    assert result.exit_code == 2, result.output
    weekday, weekend = line_of(settings, "weekday:"), line_of(settings, "weekend:")
    assert (
        "group g, Mon 2026-11-23: stage retention requires 1 post (checkin 07:00-09:30)"
        in result.stderr
    )
    assert (
        "but no checkin item can go out then: operator op works 18:00-22:30 on weekdays "
        f"({settings}:{weekday})" in result.stderr
    )
    assert f"operator op is off on weekends and public holidays ({settings}:{weekend})" in (
        result.stderr
    )


def test_public_holidays_count_as_weekend_and_adjusted_working_days_as_weekdays(
    tmp_path: Path,
) -> None:
    """National Day week 2026: Mon-Wed are days off, Saturday 10 October a working day."""
    since = [{"from": "2026-09-01", "stage": "retention"}]
    ws = build(tmp_path, [group("g1", stages=since)], ARTICLES, NO_REQUIRED, EVENINGS)
    plan = _plan(ws, date(2026, 10, 5))
    days = {p.start.astimezone(SHANGHAI).date().isoformat() for p in plan.posts}
    assert days == {"2026-10-08", "2026-10-09", "2026-10-10"}


def test_a_day_key_overrides_weekday_and_weekend(tmp_path: Path) -> None:
    hours = {"weekday": "18:00-22:30", "weekend": "off", "fri": "off", "sun": "09:00-11:00"}
    ws = build(
        tmp_path, [group("g1")], ARTICLES, NO_REQUIRED, {"operators": {"op": {"hours": hours}}}
    )
    plan = _plan(ws)
    by_day = {p.start.astimezone(SHANGHAI).strftime("%a") for p in plan.posts}
    assert by_day == {"Mon", "Tue", "Wed", "Thu", "Sun"}
    assert all(p.start.hour < 11 for p in plan.posts if p.start.strftime("%a") == "Sun")


def test_hours_are_in_the_operators_zone_whatever_the_groups_zones(tmp_path: Path) -> None:
    """One operator in Shanghai (the workspace's zone) with a group in New York: every post
    of both groups falls in the operator's evening, Shanghai time."""
    groups = [group("sh"), group("ny", timezone="America/New_York")]
    ws = build(tmp_path, groups, ARTICLES, NO_REQUIRED, EVENINGS)
    plan = _plan(ws)
    assert {p.group for p in plan.posts} == {"sh", "ny"}
    assert all(_in_evening_hours(p.start) for p in plan.posts)


def test_an_operators_own_timezone_and_spans_past_midnight(tmp_path: Path) -> None:
    own = {"timezone": "Europe/London", "hours": {"weekday": "20:00-01:00", "weekend": "off"}}
    ws = build(tmp_path, [group("g1")], ARTICLES, NO_REQUIRED, {"operators": {"op": own}})
    hours = working_hours(ws, "op")
    london = ZoneInfo("Europe/London")
    assert hours.works_at(datetime(2026, 11, 24, 0, 30, tzinfo=london))  # Monday's span
    assert not hours.works_at(datetime(2026, 11, 24, 1, 0, tzinfo=london))
    assert not hours.works_at(datetime(2026, 11, 28, 20, 30, tzinfo=london))  # Saturday
    assert hours.works_at(datetime(2026, 11, 28, 0, 30, tzinfo=london))  # Friday's span
    assert not hours.works_at(datetime(2026, 11, 29, 0, 30, tzinfo=london))
    plan = _plan(ws)
    for post in plan.posts:
        local = post.start.astimezone(london)
        assert local.hour >= 20 or local.hour < 1, local


def _findings(tmp_path: Path, hours_yaml: str) -> tuple[Path, list]:
    root = tmp_path / "ws"
    build(root, [group("g")], ARTICLES)
    settings = root / "planner.yaml"
    write(settings, settings.read_text("utf-8") + "operators:\n  op:\n    hours:\n" + hours_yaml)
    findings = Findings()
    load_workspace(root, findings)
    return settings, findings.errors


def test_bad_hours_are_errors_at_their_line(tmp_path: Path) -> None:
    settings, errors = _findings(
        tmp_path,
        "      weekday: 18:00-\n"
        "      weeknd: off\n"
        "      sat: closed\n"
        "      sun: of\n"
        "      mon: [09:00-12:00, 12:00-25:00]\n",
    )
    found = {(e.line, e.message, e.expected) for e in errors}
    assert all(e.path == str(settings) for e in errors)
    line = lambda key: line_of(settings, key)  # noqa: E731
    assert (line("weekday:"), "'18:00-' is not a time window", "write it as 'HH:MM-HH:MM'") in found
    assert (line("weeknd:"), "unknown key 'weeknd'", "did you mean 'weekend'?") in found
    assert (
        line("sat:"),
        "'closed' is neither a span of hours nor off",
        "write 'HH:MM-HH:MM', a list of them, or off",
    ) in found
    assert (
        line("sun:"),
        "'of' is neither a span of hours nor off",
        "did you mean off? write 'HH:MM-HH:MM', a list of them, or off",
    ) in found
    assert any(e.line == line("mon:") for e in errors)
    assert len(errors) == 5


def test_on_and_unknown_day_keys_are_errors(tmp_path: Path) -> None:
    settings, errors = _findings(tmp_path, "      weekend: on\n      monday: off\n")
    assert [(e.line, e.message) for e in errors] == [
        (line_of(settings, "weekend:"), "'on' is not working hours"),
        (line_of(settings, "monday:"), "unknown key 'monday'"),
    ]
    assert errors[1].expected == "did you mean 'mon'?"


def test_an_operator_who_runs_no_group_is_a_warning_at_its_line(tmp_path: Path) -> None:
    """Before, an operator of planner.yaml whom no group named was silently idle."""
    two = {"operators": {"op": {"name": "小美"}, "xiaowang": {"name": "小王"}}}
    build(tmp_path, [group("g1")], ARTICLES, NO_REQUIRED, two)
    _, findings = check_workspace(tmp_path)
    [warning] = [w for w in findings.warnings if "xiaowang" in str(w)]
    line = line_of(tmp_path / "planner.yaml", "xiaowang")
    assert f"planner.yaml:{line}" in str(warning) and "runs no group" in str(warning)
    assert not [w for w in findings.warnings if "'op'" in str(w)]
