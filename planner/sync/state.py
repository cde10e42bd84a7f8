"""What the last sync learned of each calendar: the server's sync token and our events in
the calendar then, kept in OUT/caldav-sync.json by calendar URL, so that the next sync asks
the server only what changed since (RFC 6578) instead of listing the calendar again.

The server stays the truth: a missing, unreadable or foreign file, or a token the server
refuses, costs one full listing, never a wrong write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from pydantic import TypeAdapter, ValidationError

from planner.learn.profile import write_atomic
from planner.sync.week import Stored

STATE_FILE = "caldav-sync.json"


@dataclass(frozen=True)
class Known:
    """A calendar as the last sync left it: its token, and href -> our event there."""

    token: str | None = None
    events: dict[str, Stored] = field(default_factory=dict)


_FILE = TypeAdapter(dict[str, Known])


def calendar_key(url: str) -> str:
    """The calendar's URL without any user or password in it (those never reach a file)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def _read(out: Path) -> dict[str, Known]:
    try:
        return _FILE.validate_json((out / STATE_FILE).read_bytes())
    except (OSError, ValueError, ValidationError):
        return {}


def known(out: Path, url: str) -> Known:
    """What the last sync into `url` knew, or nothing (then the calendar is listed)."""
    return _read(out).get(calendar_key(url), Known())


def remember(out: Path, url: str, state: Known) -> None:
    """Keep `state` for `url` (atomically: a sync killed here leaves the old file whole)."""
    calendars = _read(out)
    calendars[calendar_key(url)] = state
    ordered = dict(sorted(calendars.items()))
    write_atomic(out / STATE_FILE, _FILE.dump_json(ordered, indent=1).decode("utf-8") + "\n")
