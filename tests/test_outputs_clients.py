"""The week's calendar in real clients: khal (a calendar app, here living in Berlin) and a
Radicale CalDAV server. Both import the demo week, then the same week re-planned after a
change that moves posts; the moved posts are updated in place, never duplicated."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import icalendar
import pytest
import yaml
from click.testing import CliRunner
from tiny import three_zones

from planner.cli import main
from planner.workspace.resources import demo_workspace

BERLIN = ZoneInfo("Europe/Berlin")
TIMEOUT = 60  # seconds, for any one client command


@dataclass
class Week:
    calendar: Path  # a copy of calendar.ics as this plan wrote it
    plan: dict

    def posts(self) -> dict[str, dict]:
        return {p["uid"]: p for p in self.plan["posts"]}


def plan_into(workspace: Path, week: str, keep: Path) -> Week:
    """Plan the week and keep a copy of its calendar.ics (the next plan overwrites it)."""
    result = CliRunner().invoke(main, ["plan", str(workspace), "--week", week])
    assert result.exit_code == 0, result.output
    (folder,) = [p for p in (workspace / "outputs").iterdir() if p.name.startswith("20")]
    keep.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(folder / "calendar.ics", keep)
    return Week(keep, json.loads((folder / "plan.json").read_text("utf-8")))


@pytest.fixture(scope="module")
def demo_twice(tmp_path_factory) -> tuple[Week, Week, set[str]]:
    """The demo week, then re-planned after tea-lovers' quiet hours end 15 minutes after
    its earliest post of the week, so that post has to move.

    Returns both weeks and the UIDs of the posts the change moved."""
    base = tmp_path_factory.mktemp("demo-twice")
    ws = base / "demo"
    shutil.copytree(demo_workspace(), ws)  # never the repository's own demo
    first = plan_into(ws, "2026-11-23", base / "first.ics")
    groups = yaml.safe_load((ws / "groups.yaml").read_text("utf-8"))
    tea = next(g for g in groups["groups"] if g["id"] == "tea-lovers")
    earliest = min(p["start"][11:16] for p in first.plan["posts"] if p["group"] == "tea-lovers")
    later = (datetime.strptime(earliest, "%H:%M") + timedelta(minutes=15)).strftime("%H:%M")
    tea["caps"] = {"quiet_hours": f"22:30-{later}"}
    (ws / "groups.yaml").write_text(yaml.safe_dump(groups, allow_unicode=True), "utf-8")
    second = plan_into(ws, "2026-11-23", base / "second.ics")
    before, after = first.posts(), second.posts()
    assert set(before) == set(after)  # same posts, so the same UIDs: only times change
    moved = {uid for uid in after if after[uid]["start"] != before[uid]["start"]}
    assert moved, "the change should move at least one post"
    for uid in moved:
        assert after[uid]["sequence"] == before[uid]["sequence"] + 1
    return first, second, moved


def berlin(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(BERLIN)


# --------------------------------------------------------------------------- khal


KHAL_CONFIG = """\
[calendars]
[[planner]]
path = {vdir}
type = calendar

[sqlite]
path = {db}

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

FIELDS = ("uid", "start-date", "start-time", "end-date", "end-time", "title", "description")


class Khal:
    """khal with its own config, vdir, cache and home, all in a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.vdir = root / "calendars" / "planner"
        self.vdir.mkdir(parents=True)
        self.config = root / "khal.conf"
        self.config.write_text(
            KHAL_CONFIG.format(vdir=self.vdir, db=root / "khal.db"), encoding="utf-8"
        )

    def run(self, *args: str) -> str:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.root),
            "XDG_CONFIG_HOME": str(self.root / "config"),
            "XDG_DATA_HOME": str(self.root / "data"),
            "XDG_CACHE_HOME": str(self.root / "cache"),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TZ": "UTC",  # the machine's zone must not matter: khal's local_timezone does
        }
        result = subprocess.run(
            [sys.executable, "-m", "khal", "-c", str(self.config), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=TIMEOUT,
            env=env,
            stdin=subprocess.DEVNULL,
        )
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result.stdout

    def import_(self, calendar: Path) -> None:
        self.run("import", "--batch", "-a", "planner", str(calendar))

    def events(self, first: str, last: str) -> list[dict]:
        """`khal list` between two days (inclusive), every event once, as JSON rows."""
        fields = [arg for name in FIELDS for arg in ("--json", name)]
        out = self.run("list", "--once", "--day-format", "", *fields, first, last)
        return [row for line in out.splitlines() if line.strip() for row in json.loads(line)]

    def stored(self) -> int:
        return len(list(self.vdir.glob("*.ics")))


def test_khal_imports_the_week_in_berlin_and_updates_it(demo_twice, tmp_path: Path) -> None:
    first, second, moved = demo_twice
    khal = Khal(tmp_path / "khal")
    khal.import_(first.calendar)
    posts = first.posts()
    assert khal.stored() == len(posts) > 100

    # A fixed range: the week in Berlin is Sunday 23:00 (= Monday 07:00 Shanghai) at the
    # earliest, so Monday..Sunday in Berlin holds every post.
    rows = khal.events("2026-11-23", "2026-11-29")
    assert sorted(r["uid"] for r in rows) == sorted(posts)
    descriptions = {
        str(e["UID"]): str(e["DESCRIPTION"])
        for e in icalendar.Calendar.from_ical(first.calendar.read_bytes()).walk("VEVENT")
    }
    names = {"tea-lovers": "茶友交流群"}
    for row in rows:
        post = posts[row["uid"]]
        start, end = berlin(post["start"]), berlin(post["end"])
        assert (row["start-date"], row["start-time"]) == (
            start.strftime("%Y-%m-%d"),
            start.strftime("%H:%M"),
        ), post
        assert (row["end-date"], row["end-time"]) == (
            end.strftime("%Y-%m-%d"),
            end.strftime("%H:%M"),
        )
        assert row["title"].endswith(f"] {post['title']}")
        if post["group"] in names:
            assert row["title"] == f"[{names[post['group']]}] {post['title']}"
        # Chinese, emoji and line breaks come back exactly as written.
        assert row["description"] == descriptions[row["uid"]]
        assert row["description"].startswith(post["text"])
        if post["notes"]:
            assert post["notes"] in row["description"]

    # Spelled out: tea-lovers' earliest post of the week (by the clock), in Shanghai, is
    # seven hours earlier in Berlin, titled "[茶友交流群] <title>", its Chinese and emoji
    # text intact.
    early = min(
        (p for p in posts.values() if p["group"] == "tea-lovers"),
        key=lambda p: (p["start"][11:16], p["start"]),
    )
    assert early["start"].endswith("+08:00")
    shanghai = datetime.fromisoformat(early["start"])
    (row,) = [r for r in rows if r["uid"] == early["uid"]]
    assert (row["start-date"], row["start-time"]) == (
        shanghai.date().isoformat(),
        (shanghai - timedelta(hours=7)).strftime("%H:%M"),
    )
    assert row["title"] == f"[茶友交流群] {early['title']}"
    text = "".join(r["description"] for r in rows)
    assert any(unicodedata.category(c) == "So" for c in text)  # emoji came through
    assert any("\u4e00" <= c <= "\u9fff" for c in text)  # so did Chinese

    # Re-import the re-planned week: the moved posts are updated, nothing is duplicated.
    khal.import_(second.calendar)
    assert khal.stored() == len(posts)
    again = khal.events("2026-11-23", "2026-11-29")
    assert len(again) == len(posts)
    by_uid = {r["uid"]: r for r in again}
    assert len(by_uid) == len(again)
    for uid, post in second.posts().items():
        start = berlin(post["start"])
        assert by_uid[uid]["start-time"] == start.strftime("%H:%M"), post
    for uid in moved:
        old, new = berlin(posts[uid]["start"]), berlin(second.posts()[uid]["start"])
        assert old != new and by_uid[uid]["start-time"] == new.strftime("%H:%M")
    assert early["uid"] in moved  # quiet hours now end after it: it had to move
    (row,) = [r for r in again if r["uid"] == early["uid"]]
    later = berlin(second.posts()[early["uid"]]["start"])
    assert (row["start-date"], row["start-time"]) == (later.date().isoformat(), f"{later:%H:%M}")
    assert later > berlin(early["start"]).replace(day=later.day)
    assert row["title"] == f"[茶友交流群] {early['title']}"


def test_khal_reads_three_zones_across_new_yorks_clock_change(tmp_path: Path) -> None:
    """Groups in Shanghai, New York and London; New York leaves summer time on Sunday
    2026-11-01, so the same 08:xx post is 13:xx in Berlin on Saturday, 14:xx on Sunday."""
    ws = three_zones(tmp_path / "ws")
    week = plan_into(ws, "2026-10-26", tmp_path / "zones.ics")
    khal = Khal(tmp_path / "khal")
    khal.import_(week.calendar)
    rows = {r["uid"]: r for r in khal.events("2026-10-25", "2026-11-02")}
    posts = week.posts()
    assert set(rows) == set(posts)
    for uid, post in posts.items():
        start = berlin(post["start"])
        assert (rows[uid]["start-date"], rows[uid]["start-time"]) == (
            start.strftime("%Y-%m-%d"),
            start.strftime("%H:%M"),
        ), post
    ny = {p["start"][:10]: p for p in posts.values() if p["group"] == "ny" and p["item"] == "ck"}
    saturday, sunday = ny["2026-10-31"], ny["2026-11-01"]
    assert saturday["start"].endswith("-04:00") and sunday["start"].endswith("-05:00")
    shift = berlin(sunday["start"]) - berlin(saturday["start"])
    local = datetime.fromisoformat(sunday["start"]).replace(tzinfo=None) - datetime.fromisoformat(
        saturday["start"]
    ).replace(tzinfo=None)
    assert shift - local == timedelta(hours=1)  # the clock change, as khal shows it
    assert rows[sunday["uid"]]["start-time"] == berlin(sunday["start"]).strftime("%H:%M")


# ------------------------------------------------------------------------ Radicale


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


RADICALE_CONFIG = """\
[server]
hosts = 127.0.0.1:{port}

[auth]
type = none

[rights]
type = owner_only

[storage]
filesystem_folder = {storage}

[web]
type = none

[logging]
level = warning
"""


@pytest.fixture
def radicale(tmp_path: Path):
    """A Radicale server on 127.0.0.1 and a free port, storage in tmp_path; always stopped."""
    port = free_port()
    config = tmp_path / "radicale.conf"
    config.write_text(
        RADICALE_CONFIG.format(port=port, storage=tmp_path / "collections"), encoding="utf-8"
    )
    log = (tmp_path / "radicale.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(config)],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "HOME": str(tmp_path), "RADICALE_CONFIG": str(config)},
    )

    def stop() -> None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()

    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, (tmp_path / "radicale.log").read_text("utf-8")
            assert time.monotonic() < deadline, "Radicale did not answer within 30 s"
            try:
                DAV(base).request("OPTIONS", "/")
                break
            except OSError:  # refused until it listens
                time.sleep(0.1)
        yield DAV(base)
    finally:
        stop()


class DAV:
    """The few CalDAV requests a client sends, as user `planner` (any password: auth none)."""

    def __init__(self, base: str) -> None:
        self.base = base
        token = base64.b64encode(b"planner:planner").decode()
        self.headers = {"Authorization": f"Basic {token}"}

    def request(
        self, method: str, path: str, body: bytes | None = None, **headers: str
    ) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.base + path, data=body, method=method)
        for key, value in {**self.headers, **headers}.items():
            request.add_header(key.replace("_", "-"), value)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


MKCALENDAR = b"""<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop>
    <D:displayname>community-planner</D:displayname>
    <C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>
  </D:prop></D:set>
</C:mkcalendar>"""

PROPFIND = b"""<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>"""

TIME_RANGE = """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range start="{start}" end="{end}"/>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>"""


def split(calendar_ics: bytes) -> dict[str, bytes]:
    """One calendar object resource per event (RFC 4791 4.1): the VEVENT, the VTIMEZONE
    it refers to, and no METHOD."""
    calendar = icalendar.Calendar.from_ical(calendar_ics)
    zones = {str(z["TZID"]): z for z in calendar.walk("VTIMEZONE")}
    out = {}
    for event in calendar.walk("VEVENT"):
        one = icalendar.Calendar()
        one.add("version", "2.0")
        one.add("prodid", str(calendar["PRODID"]))
        one.add_component(zones[event["DTSTART"].params["TZID"]])
        one.add_component(event)
        out[str(event["UID"])] = one.to_ical()
    return out


def resource_count(dav: DAV, collection: str) -> int:
    status, _, body = dav.request(
        "PROPFIND", collection, PROPFIND, Depth="1", Content_Type="application/xml"
    )
    assert status == 207
    names = [name for name in hrefs(body) if name.endswith(".ics")]
    assert len(names) == len(set(names))
    return len(names)


def in_range(dav: DAV, collection: str, start: datetime, end: datetime) -> set[str]:
    """The server's own time-range query (it must read DTSTART through the VTIMEZONE)."""
    stamp = "%Y%m%dT%H%M%SZ"
    query = TIME_RANGE.format(
        start=start.astimezone(ZoneInfo("UTC")).strftime(stamp),
        end=end.astimezone(ZoneInfo("UTC")).strftime(stamp),
    )
    status, _, body = dav.request(
        "REPORT", collection, query.encode(), Depth="1", Content_Type="application/xml"
    )
    assert status == 207, body
    return {name[: -len(".ics")] for name in hrefs(body) if name.endswith(".ics")}


def hrefs(multistatus: bytes) -> list[str]:
    """The resource names a 207 Multi-Status lists."""
    root = ElementTree.fromstring(multistatus)
    return [
        urllib.parse.unquote(href.text.rstrip("/").rsplit("/", 1)[-1])
        for href in root.iter("{DAV:}href")
        if href.text
    ]


def test_radicale_stores_returns_and_updates_the_week(demo_twice, radicale: DAV) -> None:
    first, second, moved = demo_twice
    collection = "/planner/week-48/"
    status, _, body = radicale.request(
        "MKCALENDAR", collection, MKCALENDAR, Content_Type="application/xml"
    )
    assert status == 201, body

    resources = split(first.calendar.read_bytes())
    posts = first.posts()
    assert set(resources) == set(posts)
    for uid, data in resources.items():
        status, _, body = radicale.request(
            "PUT",
            f"{collection}{urllib.parse.quote(uid)}.ics",
            data,
            Content_Type="text/calendar; charset=utf-8",
            If_None_Match="*",
        )
        assert status == 201, (uid, status, body)
    assert resource_count(radicale, collection) == len(posts) > 100

    etags = {}
    for uid, post in posts.items():
        status, headers, body = radicale.request(
            "GET", f"{collection}{urllib.parse.quote(uid)}.ics"
        )
        assert status == 200
        etags[uid] = headers["ETag"]
        (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
        assert str(event["UID"]) == uid
        assert str(event["SUMMARY"]).endswith(f"] {post['title']}")
        assert event["DTSTART"].dt == datetime.fromisoformat(post["start"])
        assert event["DTSTART"].params["TZID"] == post["timezone"]
        assert str(event["DESCRIPTION"]).startswith(post["text"])

    # The hour of the first moved post, asked in UTC: the server finds exactly those posts.
    first_moved = min(datetime.fromisoformat(posts[uid]["start"]) for uid in moved)
    hour = first_moved.replace(minute=0)
    expected = {
        uid
        for uid, p in posts.items()
        if datetime.fromisoformat(p["start"]) < hour + timedelta(hours=1)
        and datetime.fromisoformat(p["end"]) > hour
    }
    assert expected and in_range(radicale, collection, hour, hour + timedelta(hours=1)) == expected

    # The re-planned week: PUT what rose in SEQUENCE, over the stored ETag, as a client would.
    updated = split(second.calendar.read_bytes())
    new = second.posts()
    risen = {uid for uid in new if new[uid]["sequence"] > posts[uid]["sequence"]}
    assert risen == moved
    for uid in sorted(risen):
        status, _, body = radicale.request(
            "PUT",
            f"{collection}{urllib.parse.quote(uid)}.ics",
            updated[uid],
            Content_Type="text/calendar; charset=utf-8",
            If_Match=etags[uid],
        )
        assert status == 204, (uid, status, body)  # replaced, not created
    assert resource_count(radicale, collection) == len(posts)  # updated, not duplicated
    for uid in risen:
        _, _, body = radicale.request("GET", f"{collection}{urllib.parse.quote(uid)}.ics")
        (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
        assert int(event["SEQUENCE"]) == new[uid]["sequence"] == posts[uid]["sequence"] + 1
        assert event["DTSTART"].dt == datetime.fromisoformat(new[uid]["start"])
        assert event["DTSTART"].dt != datetime.fromisoformat(posts[uid]["start"])
    for uid in risen:  # found at the new time, no longer at the old one
        now, before = (datetime.fromisoformat(p[uid]["start"]) for p in (new, posts))
        assert uid in in_range(radicale, collection, now, now + timedelta(minutes=15))
        assert uid not in in_range(radicale, collection, before, before + timedelta(minutes=15))
