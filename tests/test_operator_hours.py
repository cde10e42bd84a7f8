"""Operators' working hours (planner.yaml operators.<id>.hours): no post outside them, in the
operator's time zone, with the holiday calendar deciding weekdays; a required post whose window
the hours wholly rule out is not asked for, and said with both settings' file:line; bad hours
are file:line errors."""

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


def _evening_operator(root: Path, items) -> Path:
    """A workspace whose one group's operator works weekday evenings, off at weekends."""
    build(root, [group("g")], items)
    settings = root / "planner.yaml"
    text = settings.read_text("utf-8")
    write(
        settings,
        text + "operators:\n  op:\n    hours:\n      weekday: 18:00-22:30\n      weekend: off\n",
    )
    return settings


def test_a_required_post_wholly_outside_the_hours_is_not_asked_for_and_said(
    tmp_path: Path, runner
) -> None:
    """Retention requires a morning check-in; the operator works evenings (YAML's bare `off`
    on weekends): the group is planned without it, and the warning names both settings'
    lines (it used to leave the whole group out)."""
    root = tmp_path / "ws"
    settings = _evening_operator(
        root, [*ARTICLES, *items_of(("ck", "checkin", {"repeat": "daily"}))]
    )
    result = runner.invoke(main, ["plan", str(root), "--week", "2026-11-23"])
    assert result.exit_code == 0, result.output
    weekday, weekend = line_of(settings, "weekday:"), line_of(settings, "weekend:")
    stages = "built-in rules/stages.yaml:"
    said = [line for line in result.stderr.splitlines() if "asks for checkin 07:00-09:30" in line]
    assert len(said) == 2, result.stderr
    assert said[0].startswith("warning: g on Mon-Fri: stage retention asks for checkin")
    assert stages in said[0]
    assert f"operator op works 18:00-22:30 on weekdays ({settings}:{weekday})" in said[0]
    assert said[1].startswith("warning: g on Sat-Sun: ")
    assert f"operator op is off on weekends and public holidays ({settings}:{weekend})" in said[1]
    report = next((root / "outputs").glob("*/report.md")).read_text("utf-8")
    assert "> Warning: g on Mon-Fri: stage retention asks for checkin 07:00-09:30" in report
    check = runner.invoke(main, ["check", str(root), "--week", "2026-11-23"])
    assert check.exit_code == 0 and "g on Mon-Fri: stage retention" in check.stderr


def test_a_required_post_the_hours_leave_room_for_stays_required(tmp_path: Path) -> None:
    """Hours from 08:00 meet the 07:00-09:30 window: the check-in goes out every day in
    08:00-09:30, and a plan without one breaks required_post (satisfied and violated)."""
    hours = {"operators": {"op": {"hours": {"weekday": "08:00-22:30", "weekend": "08:00-22:30"}}}}
    items = [*ARTICLES, *items_of(("ck", "checkin", {"repeat": "daily"}))]
    ws = build(tmp_path, [group("g")], items, None, hours)
    plan = _plan(ws)
    checkins = [p.start.astimezone(SHANGHAI) for p in plan.posts if p.item == "ck"]
    assert len(checkins) == 7
    assert all(8 * 60 <= t.hour * 60 + t.minute < 9 * 60 + 30 for t in checkins)
    first = min((p for p in plan.posts if p.item == "ck"), key=lambda p: p.start)
    broken = plan.model_copy(update={"posts": [p for p in plan.posts if p != first]})
    assert [v.rule for v in verify(ws, broken)] == ["required_post"]


def test_the_checker_does_not_ask_for_a_waived_post(tmp_path: Path) -> None:
    """An evening operator's plan has no morning check-in and breaks no rule; the same
    plan checked as if the operator worked mornings too lacks it every day."""
    items = [*ARTICLES, *items_of(("ck", "checkin", {"repeat": "daily"}))]
    ws = build(tmp_path / "a", [group("g")], items, None, EVENINGS)
    plan = _plan(ws)
    assert all(_in_evening_hours(p.start) for p in plan.posts)
    anytime = build(tmp_path / "b", [group("g")], items)
    assert {v.rule for v in verify(anytime, plan)} >= {"required_post"}


def test_operator_hours_explained(tmp_path: Path, runner) -> None:
    """Two check-ins required 07:00-09:30, the operator starts at 09:00 (one 30-minute slot
    of the window left): the conflict names the hours' line."""
    two = {"required": [{"kind": "checkin", "count": 2, "window": "07:00-09:30"}]}
    hours = {"weekday": "09:00-22:30", "weekend": "09:00-22:30"}
    items = items_of(*[(f"ck{n}", "checkin", {"repeat": "daily"}) for n in range(2)])
    root = tmp_path / "ws"
    build(
        root,
        [group("g")],
        items,
        {"stages": {"stages": {"retention": two}}},
        {"operators": {"op": {"hours": hours}}},
    )
    result = runner.invoke(main, ["plan", str(root), "--week", "2026-11-23"])
    assert result.exit_code == 2, result.output
    settings = root / "planner.yaml"
    assert "group g, Mon 2026-11-23: stage retention requires 2 posts" in result.stderr
    assert (
        f"operator op works 09:00-22:30 on weekdays ({settings}:{line_of(settings, 'weekday:')})"
        in result.stderr
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
