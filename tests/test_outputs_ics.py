"""Every .ics a week writes, read byte by byte and by the parsers calendar apps are built on.

Three freshly planned weeks (never the golden folder): the demo; the demo re-planned
after a change, so the files also carry raised SEQUENCEs and CANCELLED events; and a
small workspace whose groups live in three time zones over the week New York leaves
summer time (Sunday 2026-11-01), so the VTIMEZONE rules themselves are exercised.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
from click.testing import CliRunner
from dateutil import tz as dateutil_tz
from ical.calendar_stream import IcsCalendarStream
from tiny import three_zones

from planner.cli import main
from planner.workspace.resources import demo_workspace

DEMO_WEEK = "2026-11-23"


def plan_week(workspace: Path, week: str) -> Path:
    """`planner plan WORKSPACE --week WEEK`; the week's output folder."""
    result = CliRunner().invoke(main, ["plan", str(workspace), "--week", week])
    assert result.exit_code == 0, result.output
    plan = workspace / "outputs"
    (folder,) = [p for p in plan.iterdir() if p.is_dir() and not p.name.startswith(".")]
    return folder


def load_plan(week: Path) -> dict:
    return json.loads((week / "plan.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def demo_week(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "demo"
    shutil.copytree(demo_workspace(), root)
    return plan_week(root, DEMO_WEEK)


@pytest.fixture(scope="module")
def replanned_week(tmp_path_factory) -> Path:
    """The demo planned, then re-planned after tea-lovers got later mornings and fewer posts."""
    root = tmp_path_factory.mktemp("replanned") / "demo"
    shutil.copytree(demo_workspace(), root)
    plan_week(root, DEMO_WEEK)
    groups = root / "groups.yaml"
    text = groups.read_text("utf-8")
    anchor = "    tags: [tea, shanghai]\n"
    assert anchor in text
    caps = '    caps: {quiet_hours: "22:00-08:30", per_day: 4}\n'
    groups.write_text(text.replace(anchor, anchor + caps, 1), "utf-8")
    week = plan_week(root, DEMO_WEEK)
    plan = load_plan(week)
    assert plan["cancelled"], "the change should drop posts, which the calendar cancels"
    assert any(p["sequence"] > 0 for p in plan["posts"]), "the change should move posts"
    return week


@pytest.fixture(scope="module")
def zones_week(tmp_path_factory) -> Path:
    """Groups in Shanghai, New York and London over the week New York leaves summer time."""
    root = three_zones(tmp_path_factory.mktemp("zones") / "ws", articles=3)
    week = plan_week(root, "2026-10-26")
    days = {p["start"][:10] for p in load_plan(week)["posts"] if p["group"] == "ny"}
    assert {"2026-10-31", "2026-11-01"} <= days  # both sides of the change are planned
    return week


@pytest.fixture(params=["demo", "replanned", "zones"])
def week(request) -> Path:
    return request.getfixturevalue(f"{request.param}_week")


def calendars(week: Path) -> list[Path]:
    files = sorted(week.rglob("*.ics"))
    assert week / "calendar.ics" in files
    assert any(p.parent.name == "operators" for p in files)
    assert any(p.parent.name == "groups" for p in files)
    return files


def instant(value) -> datetime:
    assert isinstance(value, datetime) and value.tzinfo is not None, value
    return value


def test_bytes_are_crlf_folded_at_75_octets_and_utf8(week: Path) -> None:
    for path in calendars(week):
        name = path.relative_to(week)
        data = path.read_bytes()
        data.decode("utf-8")  # valid UTF-8 as a whole
        assert data.startswith(b"BEGIN:VCALENDAR\r\n"), name
        assert data.endswith(b"END:VCALENDAR\r\n"), name
        lines = data.split(b"\r\n")
        assert lines.pop() == b""
        for number, line in enumerate(lines, 1):
            where = f"{name}:{number}"
            assert b"\r" not in line and b"\n" not in line, f"{where}: bare CR or LF"
            assert len(line) <= 75, f"{where}: {len(line)} octets"
            try:
                line.decode("utf-8")  # a character split across a fold fails here
            except UnicodeDecodeError as error:
                raise AssertionError(f"{where}: UTF-8 character split by a fold") from error
            assert line, f"{where}: empty line"
        # Folding only ever inserts CRLF + one space; unfolded, every line is a property.
        for line in data.replace(b"\r\n ", b"").split(b"\r\n")[:-1]:
            assert re.match(rb"^[A-Z][A-Z0-9-]*[;:]", line), f"{name}: {line[:40]!r}"


def test_icalendar_reparses_without_errors(week: Path) -> None:
    plan = load_plan(week)
    for path in calendars(week):
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        for component in calendar.walk():
            assert not component.errors, (path.name, component.name, component.errors)
        zones = {str(z["TZID"]) for z in calendar.walk("VTIMEZONE")}
        for event in calendar.walk("VEVENT"):
            assert event["DTSTART"].params.get("TZID") in zones  # every TZID has its VTIMEZONE
            assert event.get("DTSTAMP") is not None and event.get("SEQUENCE") is not None
        assert str(calendar["X-WR-TIMEZONE"]) == plan["timezone"]


def test_strict_ical_parser_reads_every_event(week: Path) -> None:
    plan = load_plan(week)
    posts = {p["uid"]: p for p in plan["posts"]}
    cancelled = {p["uid"]: p for p in plan["cancelled"]}
    for path in calendars(week):
        strict = IcsCalendarStream.calendar_from_ics(path.read_bytes().decode("utf-8"))
        seen = 0
        for event in strict.events:
            post = posts.get(event.uid) or cancelled[event.uid]
            assert event.start.astimezone(dateutil_tz.UTC) == datetime.fromisoformat(
                post["start"]
            ), (path.name, event.uid)
            assert event.sequence == post["sequence"]
            if event.uid in posts:
                assert event.summary.endswith(f"] {post['title']}")
                assert event.description.startswith(post["text"])
                assert event.status is None or str(event.status).endswith("CONFIRMED")
                assert len(event.alarm) == 1
            else:
                assert str(event.status).endswith("CANCELLED")
            seen += 1
        assert seen, path.name
    strict = IcsCalendarStream.calendar_from_ics(
        (week / "calendar.ics").read_bytes().decode("utf-8")
    )
    assert sorted(e.uid for e in strict.events) == sorted([*posts, *cancelled])


def test_vtimezone_rules_give_the_planned_instants(week: Path) -> None:
    """Read each TZID from the file's own VTIMEZONE (dateutil's tzical, as vobject and
    Radicale do), not from the system's zone database, and compare with plan.json."""
    data = (week / "calendar.ics").read_bytes().decode("utf-8").replace("\r\n ", "")
    blocks = re.findall(r"BEGIN:VTIMEZONE\r\n.*?END:VTIMEZONE\r\n", data, re.S)
    zones = dateutil_tz.tzical(io.StringIO("".join(blocks)))
    plan = load_plan(week)
    expected = {p["uid"]: datetime.fromisoformat(p["start"]) for p in plan["posts"]}
    events = icalendar.Calendar.from_ical(data.encode("utf-8")).walk("VEVENT")
    assert len(events) == len(plan["posts"]) + len(plan["cancelled"])
    for event in events:
        start = event["DTSTART"]
        local = start.dt.replace(tzinfo=zones.get(start.params["TZID"]))
        if str(event["UID"]) in expected:
            assert local == expected[str(event["UID"])], (event["UID"], local)


def test_recurring_ical_events_expand_to_the_plan(week: Path) -> None:
    plan = load_plan(week)
    first = date.fromisoformat(plan["week_start"])
    end = date.fromordinal(first.toordinal() + 7)

    def expand(path: Path) -> list:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        events = recurring_ical_events.of(calendar).between(first, end)
        return [e for e in events if str(e.get("STATUS", "")) != "CANCELLED"]

    events = expand(week / "calendar.ics")
    assert len(events) == len(plan["posts"])
    starts = {str(e["UID"]): instant(e["DTSTART"].dt) for e in events}
    assert starts == {p["uid"]: datetime.fromisoformat(p["start"]) for p in plan["posts"]}
    operators = sum(len(expand(p)) for p in sorted((week / "operators").glob("*.ics")))
    groups = sum(len(expand(p)) for p in sorted((week / "groups").glob("*.ics")))
    assert operators == groups == len(plan["posts"])


def test_demo_week_expands_to_exactly_its_posts(demo_week: Path) -> None:
    """The brief's plain form: no filtering, the demo week between Monday and next Monday."""
    plan = load_plan(demo_week)
    calendar = icalendar.Calendar.from_ical((demo_week / "calendar.ics").read_bytes())
    events = recurring_ical_events.of(calendar).between(date(2026, 11, 23), date(2026, 11, 30))
    assert len(events) == len(plan["posts"]) > 100
    per_operator = [
        recurring_ical_events.of(icalendar.Calendar.from_ical(p.read_bytes())).between(
            date(2026, 11, 23), date(2026, 11, 30)
        )
        for p in sorted((demo_week / "operators").glob("*.ics"))
    ]
    assert len(per_operator) == 2
    assert sum(map(len, per_operator)) == len(plan["posts"])
