"""Issue 21: `planner sync` puts the week into a CalDAV calendar (a real Radicale server on
127.0.0.1): creates, updates in place by UID after a re-plan, cancels dropped posts, never
duplicates, leaves foreign events alone, repairs a sync the server broke off, and sends no
write when nothing changed; all of it read through the server's sync token (Radicale keeps
one) and through a full listing where the server keeps none."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import caldav
import pytest
import yaml
from test_ical_interop import _front_matter
from test_outputs_clients import DAV, MKCALENDAR, radicale  # noqa: F401 (the fixture)
from test_plan_command import _workspace

from planner.cli import main
from planner.sync.server import Server
from planner.sync.state import STATE_FILE, calendar_key

FOREIGN = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//someone//else//EN\r
BEGIN:VEVENT\r
UID:dentist@example.org\r
DTSTAMP:20261101T000000Z\r
DTSTART:20261125T020000Z\r
DTEND:20261125T030000Z\r
SUMMARY:Dentist\r
END:VEVENT\r
END:VCALENDAR\r
"""
# an event an earlier sync wrote for a post no plan of the week knows any more
STALE = FOREIGN.replace(b"dentist@example.org", b"stale@community-planner").replace(
    b"SUMMARY:Dentist", b"SUMMARY:[tea] gone\r\nX-PLANNER-GROUP:tea"
)
COLLECTION = "/planner/week/"
BY_TOKEN = "read from the calendar: what changed since the last sync (its sync token)"
IN_FULL = "read from the calendar: the week's events in full (no sync token on this server)"


@pytest.fixture(params=["token", "listing"])
def reads(request, monkeypatch) -> str:
    """How sync learns what the calendar holds: by Radicale's sync token, or (a server
    without sync-collection) by listing the week."""
    if request.param == "listing":
        monkeypatch.setattr(caldav.Calendar, "objects_by_sync_token", _no_sync_collection)
    return request.param


def _no_sync_collection(self, *args, **kwargs):
    raise caldav.error.ReportError("sync-collection: 501 Not Implemented")


@pytest.fixture
def calendar(radicale, monkeypatch) -> tuple[DAV, str]:  # noqa: F811
    """An empty calendar holding one event someone else wrote; its URL."""
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", "secret")  # Radicale here checks none
    assert radicale.request("MKCALENDAR", COLLECTION, MKCALENDAR)[0] == 201
    status, _, _ = radicale.request(
        "PUT", COLLECTION + "dentist.ics", FOREIGN, Content_Type="text/calendar"
    )
    assert status == 201
    return radicale, radicale.base + COLLECTION


def _plan(runner, ws: Path) -> list[dict]:
    """The week's posts, then its cancellations."""
    result = runner.invoke(main, ["plan", str(ws), "--week", "2026-11-23", "--time-limit", "2"])
    assert result.exit_code == 0, result.output
    week = yaml.safe_load((ws / "outputs/2026-W48/plan.json").read_text("utf-8"))
    return week["posts"] + [{**p, "cancelled": True} for p in week["cancelled"]]


def _sync(runner, ws: Path, url: str, *extra: str, code: int = 0) -> str:
    args = ["sync", str(ws), "--week", "2026-11-25", "--caldav", url, "--user", "planner"]
    result = runner.invoke(main, [*args, *extra])
    assert result.exit_code == code, result.output
    return result.output


def _stored(url: str) -> dict[str, tuple[int, str, str]]:
    """uid -> (SEQUENCE, STATUS, etag) of every event in the calendar; asserts one per UID."""
    client = caldav.DAVClient(url=url, username="planner", password="x")
    out = {}
    for resource in client.calendar(url=url).events():
        event = next(iter(resource.icalendar_instance.walk("VEVENT")))
        uid = str(event["UID"])
        assert uid not in out, f"{uid} twice"
        status = str(event.get("STATUS", ""))
        out[uid] = (int(event.get("SEQUENCE", 0)), status, resource.etag or "")
    return out


def _as_planned(posts: list[dict]) -> dict[str, int]:
    return {p["uid"]: p["sequence"] for p in posts}


def test_sync_creates_updates_cancels_and_repairs(tmp_path: Path, runner, calendar, reads) -> None:
    dav, url = calendar
    dav.request("PUT", COLLECTION + "stale.ics", STALE, Content_Type="text/calendar")
    ws = _workspace(tmp_path)
    posts = _plan(runner, ws)
    dry = _sync(runner, ws, url, "--dry-run")
    assert dry.count("would create ") == len(posts) and "would delete stale@" in dry
    assert set(_stored(url)) == {"dentist@example.org", "stale@community-planner"}
    assert f"2026-W48: sent {len(posts)} create, 0 update, 1 delete" in _sync(runner, ws, url)
    first = _stored(url)
    assert {u: s for u, (s, _, _) in first.items()} == {
        **_as_planned(posts),
        "dentist@example.org": 0,
    }
    unchanged = _sync(runner, ws, url)
    assert "sent 0 create, 0 update, 0 delete" in unchanged
    assert (BY_TOKEN if reads == "token" else IN_FULL) in unchanged
    assert _stored(url) == first  # no write: every etag as it was

    locks = {"locks": [{"group": "yoga", "date": "2026-11-25", "no_posts": True}]}
    (ws / "locks.yaml").write_text(yaml.safe_dump(locks), "utf-8")
    _front_matter(ws / "content_library/article/a1.md", notes="先私聊群主")
    replanned = _plan(runner, ws)
    _sync(runner, ws, url)
    second = _stored(url)
    assert second["dentist@example.org"] == first["dentist@example.org"]  # untouched
    assert set(second) == set(first) | {p["uid"] for p in replanned}  # one event per UID
    for post in replanned:  # in place: one event per UID, at its new SEQUENCE and status
        sequence, status, _ = second[post["uid"]]
        assert sequence == post["sequence"]
        assert status == ("CANCELLED" if post.get("cancelled") else "CONFIRMED")
    updated = [p for p in replanned if p["sequence"] and not p.get("cancelled")]
    assert updated and any(p.get("cancelled") for p in replanned)


def test_a_sync_the_server_broke_off_is_repaired_by_the_next(
    tmp_path: Path, runner, calendar, monkeypatch, reads
) -> None:
    _, url = calendar
    ws = _workspace(tmp_path)
    posts = _plan(runner, ws)
    taken = []
    apply = Server.apply

    def failing(self, writes, want):
        for write in apply(self, writes, want):
            taken.append(write)
            if len(taken) == 5:
                raise ConnectionError("the server went away")
            yield write

    with monkeypatch.context() as patch:
        patch.setattr(Server, "apply", failing)
        output = _sync(runner, ws, url, code=1)
    assert "sync again to finish" in output and len(_stored(url)) == 1 + 5
    assert f"sent {len(posts) - 5} create, 0 update, 0 delete" in _sync(runner, ws, url)
    assert {u: s for u, (s, _, _) in _stored(url).items()} == {
        **_as_planned(posts),
        "dentist@example.org": 0,
    }


def test_the_sync_token_fetches_only_what_changed_on_the_server(
    tmp_path: Path, runner, calendar, monkeypatch
) -> None:
    dav, url = calendar
    ws = _workspace(tmp_path)
    posts = _plan(runner, ws)
    fetched: list[set[str]] = []
    fetch = Server._fetched
    monkeypatch.setattr(
        Server,
        "_fetched",
        lambda self, hrefs, zone: fetched.append(hrefs) or fetch(self, hrefs, zone),
    )
    assert "read from the calendar: every event (a new sync token)" in _sync(runner, ws, url)
    _sync(runner, ws, url)  # the token of before the writes: it shows each write made
    assert len(fetched[-1]) == len(posts)
    assert BY_TOKEN in _sync(runner, ws, url) and fetched[-1] == set()  # nothing changed

    # someone deletes one of our events and adds one of their own
    gone = sorted(_stored(url))[0]
    assert dav.request("DELETE", COLLECTION + f"{gone}.ics".replace("@", "%40"))[0] == 200
    party = FOREIGN.replace(b"dentist@example.org", b"party@example.org")
    dav.request("PUT", COLLECTION + "party.ics", party, Content_Type="text/calendar")
    assert "sent 1 create, 0 update, 0 delete" in _sync(runner, ws, url)
    assert {unquote(h).rsplit("/", 1)[1] for h in fetched[-1]} == {"party.ics", f"{gone}.ics"}
    assert set(_stored(url)) == {*_as_planned(posts), "dentist@example.org", "party@example.org"}


def test_a_refused_token_costs_one_full_reading(tmp_path: Path, runner, calendar) -> None:
    _, url = calendar
    ws = _workspace(tmp_path)
    posts = _plan(runner, ws)
    _sync(runner, ws, url)
    state = ws / "outputs" / STATE_FILE
    saved = json.loads(state.read_text("utf-8"))
    (entry,) = saved.values()
    assert entry["token"].startswith("http://radicale.org/ns/sync/")
    entry["token"] = "http://radicale.org/ns/sync/" + "0" * 64  # a token it never gave
    entry["events"] = {}  # and what it says it knew: nothing, so trusting it would duplicate
    state.write_text(json.dumps(saved), "utf-8")
    output = _sync(runner, ws, url)
    assert "read from the calendar: every event (a new sync token)" in output
    assert "sent 0 create, 0 update, 0 delete" in output
    assert len(_stored(url)) == 1 + len(posts)
    assert BY_TOKEN in _sync(runner, ws, url)


def test_the_state_file_keeps_no_password() -> None:
    assert (
        calendar_key("https://me:pw@dav.example.com:8443/cal/")
        == "https://dav.example.com:8443/cal/"
    )
