"""Issue 21: a picture of the week. Each group's and each operator's SVG grid (days x
hours, peaks, quiet hours and the operator's off hours shaded, posts by kind, caps,
operator load bars), drawn the same byte for byte (a golden file), shown on the pages and
rendered by Chromium with no outside request, linked from report.md; past
group_grids_max_groups only operators'."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from test_operator_page import demo  # noqa: F401 (the fixture)
from test_outputs_page import browser, open_page, serve  # noqa: F401 (the fixture)
from tiny import build, group, items_of

from planner.cli import main
from planner.models.common import TimeWindow
from planner.models.rules import HolidayCalendar
from planner.models.settings import OperatorHours
from planner.plan import GroupDayFacts, Post
from planner.writers.grid import OFF, OFF_LABEL, group_grid, off_hours, operator_grid

GOLDEN = Path(__file__).parent / "golden"
MONDAY = date(2026, 11, 23)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _post(kind: str, day: int, hour: int, minute: int = 0) -> Post:
    start = datetime(2026, 11, 23 + day, hour, minute, tzinfo=SHANGHAI)
    return Post(
        group="tea",
        item=f"{kind}-{day}",
        kind=kind,
        title=kind,
        stage="retention",
        operator="op",
        start=start,
        end=start + timedelta(minutes=30),
        timezone="Asia/Shanghai",
        text="x",
        value=1,
    )


POSTS = [_post("checkin", d, 8) for d in range(7)] + [
    _post("quiz", 0, 20, 30),
    _post("deal", 2, 12),
    _post("live", 5, 21),
]
DAYS = [
    GroupDayFacts(
        group="tea",
        date=MONDAY + timedelta(days=n),
        stage="retention",
        per_day=3,
        peaks=[TimeWindow.model_validate("12:00-13:30"), TimeWindow.model_validate("20:00-22:00")],
        quiet=TimeWindow.model_validate("22:30-07:00"),
    )
    for n in range(7)
]


# weekdays 09:00-18:00, Friday evening past midnight, Saturday off, Sunday any time
HOURS = {"weekday": "09:00-18:00", "fri": "20:00-02:00", "sat": "off"}
WORKING = OperatorHours.model_validate(HOURS)
OFF_HOURS = off_hours(WORKING, HolidayCalendar(), "Asia/Shanghai", MONDAY, "Asia/Shanghai")


def test_the_operators_off_hours_are_the_days_hours_they_do_not_work() -> None:
    weekday = [(0.0, 9.0), (18.0, 24.0)]
    assert [
        *[(day, *span) for day in range(4) for span in weekday],
        (4, 0.0, 20.0),  # Friday: works from 20:00 on
        (5, 2.0, 24.0),  # Saturday off, but Friday's evening runs to 02:00
    ] == OFF_HOURS
    # on a group's clock in another zone: Shanghai's Monday 09:00 is 01:00 UTC
    assert off_hours(WORKING, HolidayCalendar(), "Asia/Shanghai", MONDAY, "UTC")[:2] == [
        (0, 0.0, 1.0),
        (0, 10.0, 24.0),
    ]
    assert off_hours(None, HolidayCalendar(), "UTC", MONDAY, "UTC") == []


def _same_as_golden(name: str, drawn: bytes) -> None:
    """The bytes of tests/golden/<name>; UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(drawn)
    assert drawn == path.read_bytes(), f"{name} changed: look at it, then UPDATE_GOLDEN=1"


def test_a_groups_grid_is_drawn_the_same_and_shows_the_week() -> None:
    drawn = group_grid("tea", "2026-W48", DAYS, POSTS, OFF_HOURS)
    assert drawn == group_grid("tea", "2026-W48", DAYS, POSTS, OFF_HOURS)
    text = drawn.decode("utf-8")
    assert text.startswith("<?xml") and "<dc:date>" not in text
    assert text.count(f"fill: {OFF}") == len(OFF_HOURS) + 1  # each stretch, and the legend's
    for label in ("Mon\n2/3", "Wed\n2/3", "checkin", "live", "tea 2026-W48", OFF_LABEL):
        assert all(part in text for part in label.split("\n")), label
    _same_as_golden("grid-group.svg", drawn)


def test_an_operators_grid_draws_the_load_against_the_limit() -> None:
    drawn = operator_grid("op", "2026-W48", MONDAY, "Asia/Shanghai", POSTS, 2, OFF_HOURS)
    text = drawn.decode("utf-8")
    assert "Mon 2" in text and "Tue 1" in text and "Sat 2" in text  # posts per day
    assert text.count(f"fill: {OFF}") == len(OFF_HOURS) + 1 and OFF_LABEL in text
    assert "stroke-dasharray" in text  # the daily limit's dashed line
    _same_as_golden("grid-operator.svg", drawn)


def test_the_pages_show_the_grids_in_chromium(browser, demo) -> None:  # noqa: F811
    week, plan = demo
    report = (week / "report.md").read_text("utf-8")
    assert "[grids/operators/xiaoli.svg](grids/operators/xiaoli.svg)" in report
    groups = {p["group"] for p in plan["posts"]}
    for path, expected in (
        ("index.html", {"grids/operators/xiaoli.svg", *(f"grids/groups/{g}.svg" for g in groups)}),
        ("operators/xiaoli.html", {"../grids/operators/xiaoli.svg"}),
    ):
        with serve(week) as base, open_page(browser, base, path) as (page, outside, _):
            shown = page.eval_on_selector_all(
                "img.grid", "is => is.map(i => [i.getAttribute('src'), i.naturalWidth])"
            )
        assert outside == []
        assert all(width > 300 for _, width in shown), shown  # each SVG rendered
        assert expected <= {src for src, _ in shown}


def test_past_the_group_limit_only_the_operators_grids_are_drawn(tmp_path: Path, runner) -> None:
    items = items_of(("ck", "checkin", {"repeat": "daily", "window": "08:00-09:00"}))
    ws = build(
        tmp_path / "ws", [group("g1"), group("g2")], items, settings={"group_grids_max_groups": 1}
    )
    result = runner.invoke(main, ["plan", str(ws.root), "--week", "2026-11-23"])
    assert result.exit_code == 0, result.output
    week = ws.root / "outputs" / "2026-W48"
    assert (week / "grids/operators/op.svg").exists() and not (week / "grids/groups").exists()
    assert "past `group_grids_max_groups`" in (week / "report.md").read_text("utf-8")


def test_the_planned_weeks_grids_shade_the_operators_hours_in_chromium(
    tmp_path: Path,
    runner,
    browser,  # noqa: F811
) -> None:
    items = items_of(("ck", "checkin", {"repeat": "daily", "window": "08:00-20:00"}))
    hours = {"op": {"hours": {"weekday": "07:00-18:00", "weekend": "08:00-12:00"}}}
    ws = build(tmp_path / "ws", [group("g1")], items, settings={"operators": hours})
    result = runner.invoke(main, ["plan", str(ws.root), "--week", "2026-11-23"])
    assert result.exit_code == 0, result.output
    week = ws.root / "outputs" / "2026-W48"
    for path in ("grids/operators/op.svg", "grids/groups/g1.svg"):
        with serve(week) as base, open_page(browser, base, path) as (page, outside, _):
            texts = page.eval_on_selector_all("text", "ts => ts.map(t => t.textContent)")
            shaded = page.eval_on_selector_all(
                "path",
                "ps => ps.filter(p => getComputedStyle(p).fill === 'rgb(74, 91, 212)').length",
            )  # OFF, as the browser computes it
        assert outside == [] and OFF_LABEL in texts, texts
        assert shaded == 7 * 2 + 1  # a morning and an evening a day, and the legend's
