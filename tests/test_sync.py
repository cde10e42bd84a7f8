"""Issue 21: `planner sync` puts the week into a CalDAV calendar (a real Radicale server on
127.0.0.1): creates, updates in place by UID after a re-plan, cancels dropped posts, never
duplicates, leaves foreign events alone, repairs a sync the server broke off, and sends no
write when nothing changed."""

from __future__ import annotations

from pathlib import Path

import caldav
import pytest
import yaml
from test_ical_interop import _front_matter
from test_outputs_clients import DAV, MKCALENDAR, radicale  # noqa: F401 (the fixture)
from test_plan_command import _workspace

from planner.cli import main
from planner.sync.server import Server

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


def test_sync_creates_updates_cancels_and_repairs(tmp_path: Path, runner, calendar) -> None:
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
    assert "sent 0 create, 0 update, 0 delete" in _sync(runner, ws, url)
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
    tmp_path: Path, runner, calendar, monkeypatch
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
