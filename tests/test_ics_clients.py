"""The calendar files as strict parsers and real clients read them, and a page no item can
inject into."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
from ical.calendar_stream import IcsCalendarStream
from tiny import build, group, items_of

from planner.cli import main

GOLDEN = Path(__file__).resolve().parents[1] / "outputs" / "2026-W48"
CALENDARS = sorted(GOLDEN.rglob("*.ics"))


def test_every_calendar_of_the_demo_week_is_there() -> None:
    names = {str(p.relative_to(GOLDEN)) for p in CALENDARS}
    assert "calendar.ics" in names
    assert {"operators/xiaowang.ics", "operators/xiaoli.ics", "groups/tea-lovers.ics"} <= names


@pytest.mark.parametrize("path", CALENDARS, ids=lambda p: str(p.relative_to(GOLDEN)))
def test_bytes_follow_rfc_5545(path: Path) -> None:
    data = path.read_bytes()
    data.decode("utf-8")  # valid UTF-8 as a whole
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines)  # CRLF only
    for line in lines:
        assert len(line) <= 75, line
        line.decode("utf-8")  # no character split across a fold
    unfolded = data.replace(b"\r\n ", b"")
    assert b"COMMENT" not in unfolded.split(b"END:VTIMEZONE")[0]
    assert b"BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai" in unfolded
    assert re.search(rb"DTSTART;TZID=Asia/Shanghai:\d{8}T\d{6}\r\n", unfolded)
    assert b"METHOD:PUBLISH" in unfolded and b"X-WR-CALNAME:" in unfolded


@pytest.mark.parametrize("path", CALENDARS, ids=lambda p: str(p.relative_to(GOLDEN)))
def test_parsers_read_it(path: Path) -> None:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    for component in calendar.walk():
        assert not component.errors, (component.name, component.errors)
    strict = IcsCalendarStream.calendar_from_ics(path.read_text(encoding="utf-8"))
    events = [c for c in calendar.walk("VEVENT")]
    assert len(strict.events) == len(events)
    for event in events:
        assert event["X-PLANNER-GROUP"] and event["X-PLANNER-ITEM"]
        assert event.get("DTSTAMP") is not None and event.get("SEQUENCE") is not None
        assert list(event.walk("VALARM"))


def test_expanded_events_match_the_plan() -> None:
    plan = json.loads((GOLDEN / "plan.json").read_text(encoding="utf-8"))
    calendar = icalendar.Calendar.from_ical((GOLDEN / "calendar.ics").read_bytes())
    events = recurring_ical_events.of(calendar).between(date(2026, 11, 23), date(2026, 11, 30))
    assert len(events) == len(plan["posts"])
    per_operator = 0
    for path in sorted((GOLDEN / "operators").glob("*.ics")):
        operator = icalendar.Calendar.from_ical(path.read_bytes())
        per_operator += len(
            recurring_ical_events.of(operator).between(date(2026, 11, 23), date(2026, 11, 30))
        )
    assert per_operator == len(plan["posts"])
    by_uid = {str(e["UID"]): e for e in events}
    for post in plan["posts"]:
        event = by_uid[post["uid"]]
        assert event["DTSTART"].dt.isoformat() == post["start"]
        assert post["text"] in str(event["DESCRIPTION"])
        assert str(event["SUMMARY"]).endswith(post["title"])


XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    '"><script>alert(2)</script>',
    "<style>@import 'http://evil.example/x.css'</style>",
    '<a href="JaVaScRiPt:alert(1)">y</a>',
]


def test_no_item_can_inject_into_the_page(tmp_path: Path, runner) -> None:
    items = items_of(
        *[
            (
                f"x{n}",
                "article",
                {"repeat": "daily", "value": 9, "notes": payload, "atmosphere": [payload]},
            )
            for n, payload in enumerate(XSS)
        ]
    )
    for spec, payload in zip(items, XSS, strict=True):
        spec["body"] = f"今天的分享 {payload} 结束"
    rules = {"stages": {"stages": {"retention": {"required": []}}}}
    build(tmp_path / "ws", [group("g", caps={"per_day": 8, "per_hour": 3})], items, rules)
    result = runner.invoke(main, ["plan", str(tmp_path / "ws"), "--week", "2026-11-23"])
    assert result.exit_code == 0, result.output
    week = tmp_path / "ws" / "outputs" / "2026-W48"
    plan = json.loads((week / "plan.json").read_text("utf-8"))
    assert {p["item"] for p in plan["posts"]} == {f"x{n}" for n in range(len(XSS))}
    page = (week / "index.html").read_text("utf-8")
    tags = re.findall(r"<\s*([a-zA-Z]+)([^>]*)>", page)
    assert [t for t, _ in tags if t.lower() == "style"] == ["style"]  # only the page's own
    assert [t for t, _ in tags if t.lower() == "script"] == ["script"]  # only the page's own
    for name, attributes in tags:
        assert name.lower() not in ("iframe", "svg", "object", "embed")
        assert not re.search(r"\bon[a-z]+\s*=", attributes, re.I), (name, attributes)
        assert not re.search(r"javascript:", attributes, re.I), (name, attributes)
        assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", attributes, re.I)
    assert "今天的分享" in page  # the posts are still there, as text
