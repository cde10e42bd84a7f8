"""Real calendar clients: khal imports the week in another time zone and updates it on
re-import; a Radicale CalDAV server stores, returns and updates the events."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import icalendar
import pytest
import yaml

from planner.cli import main

KHAL_CONFIG = """[calendars]
[[planner]]
path = {vdir}
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = Europe/Berlin
default_timezone = Europe/Berlin

[default]
default_calendar = planner
"""


def _khal(config: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "khal", "-c", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _plan(runner, ws: Path) -> dict:
    result = runner.invoke(main, ["plan", str(ws), "--week", "2026-11-23"])
    assert result.exit_code == 0, result.output
    return json.loads((ws / "outputs" / "2026-W48" / "plan.json").read_text("utf-8"))


def test_khal_imports_and_updates(demo_copy: Path, runner, tmp_path: Path) -> None:
    plan = _plan(runner, demo_copy)
    vdir = tmp_path / "vdir" / "planner"
    vdir.mkdir(parents=True)
    config = tmp_path / "khal.conf"
    config.write_text(KHAL_CONFIG.format(vdir=vdir), "utf-8")
    calendar = demo_copy / "outputs" / "2026-W48" / "calendar.ics"
    _khal(config, "import", "--batch", "-a", "planner", str(calendar))
    assert len(list(vdir.glob("*.ics"))) == len(plan["posts"])
    listing = _khal(
        config,
        "list",
        "--day-format",
        "",
        "--format",
        "{start-time}|{title}|{uid}",
        "2026-11-22",
        "2026-12-01",
    )
    rows = {line.split("|")[2]: line.split("|") for line in listing.splitlines() if "|" in line}
    post = next(
        p
        for p in plan["posts"]
        if p["group"] == "tea-lovers" and p["start"].endswith("07:00:00+08:00")
    )
    start, title, _ = rows[post["uid"]]
    assert start == "00:00"  # 07:00 in Shanghai is midnight in Berlin in November
    assert title == f"[茶友交流群] {post['title']}"
    shown = _khal(
        config,
        "list",
        "--day-format",
        "",
        "--format",
        "{uid}|{description}",
        "2026-11-22",
        "2026-12-01",
    )
    assert post["text"].splitlines()[0] in shown  # Chinese and emoji intact

    # Re-plan after a change that moves posts; re-import updates instead of duplicating.
    (demo_copy / "locks.yaml").write_text(
        yaml.safe_dump(
            {"locks": [{"group": "tea-lovers", "item": post["item"], "at": "2026-11-23 08:00"}]}
        ),
        "utf-8",
    )
    again = _plan(runner, demo_copy)
    moved = next(p for p in again["posts"] if p["uid"] == post["uid"])
    assert moved["start"].endswith("08:00:00+08:00") and moved["sequence"] == post["sequence"] + 1
    _khal(config, "import", "--batch", "-a", "planner", str(calendar))
    assert len(list(vdir.glob("*.ics"))) == len(
        {p["uid"] for p in plan["posts"]} | {p["uid"] for p in again["posts"]}
    )
    listing = _khal(
        config,
        "list",
        "--day-format",
        "",
        "--format",
        "{start-time}|{uid}",
        "2026-11-22",
        "2026-12-01",
    )
    assert f"01:00|{post['uid']}" in listing.splitlines()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def radicale(tmp_path: Path):
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--auth-type",
            "none",
            "--rights-type",
            "owner_write",
            "--storage-filesystem-folder",
            str(tmp_path / "collections"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=10)


def _request(method: str, url: str, body: bytes | None = None, kind: str = "text/calendar"):
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Authorization", "Basic cGxhbm5lcjpwbGFubmVy")  # planner:planner
    if body is not None:
        request.add_header("Content-Type", f"{kind}; charset=utf-8")
    if method == "PROPFIND":
        request.add_header("Depth", "1")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


def test_radicale_stores_and_updates(runner, demo_copy: Path, radicale: str) -> None:
    _plan(runner, demo_copy)
    calendar = icalendar.Calendar.from_ical(
        (demo_copy / "outputs" / "2026-W48" / "operators" / "xiaowang.ics").read_bytes()
    )
    zones = list(calendar.walk("VTIMEZONE"))
    events = list(calendar.walk("VEVENT"))[:12]
    collection = f"{radicale}/planner/week/"
    mkcalendar = b"""<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>
<D:displayname>week</D:displayname></D:prop></D:set></C:mkcalendar>"""
    status, _ = _request("MKCALENDAR", collection, mkcalendar, "application/xml")
    assert status == 201

    def resource(event) -> bytes:
        one = icalendar.Calendar()
        for key in ("PRODID", "VERSION"):
            one.add(key.lower(), calendar[key])
        for zone in zones:
            one.add_component(zone)
        one.add_component(event)
        return one.to_ical()

    for event in events:
        status, _ = _request("PUT", f"{collection}{event['UID']}.ics", resource(event))
        assert status in (201, 204)
    for event in events:
        _, body = _request("GET", f"{collection}{event['UID']}.ics")
        back = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
        assert str(back["UID"]) == str(event["UID"])
        assert str(back["SUMMARY"]) == str(event["SUMMARY"])
        assert back["DTSTART"].dt == event["DTSTART"].dt

    first = events[0]
    first["SEQUENCE"] = int(first["SEQUENCE"]) + 1
    first["SUMMARY"] = str(first["SUMMARY"]) + " (改期)"
    status, _ = _request("PUT", f"{collection}{first['UID']}.ics", resource(first))
    assert status in (201, 204)
    _, body = _request("GET", f"{collection}{first['UID']}.ics")
    back = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(back["SUMMARY"]).endswith("(改期)") and int(back["SEQUENCE"]) == int(
        first["SEQUENCE"]
    )
    listing = _request("PROPFIND", collection, b"", "application/xml")[1].decode()
    assert listing.count(".ics</href>") == len(events)  # updated, not duplicated
