"""What a sync wants the calendar to hold for a published week, and the writes that get it
there from what the calendar holds: pure data, so --dry-run and the tests see the plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from planner.errors import Finding, PlannerError
from planner.models.settings import Settings
from planner.plan import Plan
from planner.writers.ical import render_calendar

UID_SUFFIX = "@community-planner"  # every UID the planner writes ends so


@dataclass(frozen=True)
class Wanted:
    """One event as the published week has it: a calendar object resource of its own."""

    uid: str
    sequence: int
    stamp: datetime  # DTSTAMP: rises with every revision
    cancelled: bool
    data: bytes


@dataclass(frozen=True)
class Stored:
    """One of our events as the calendar holds it."""

    uid: str
    sequence: int
    stamp: datetime | None
    day: date  # its local start date: whether it belongs to the week synced


@dataclass(frozen=True)
class Write:
    what: Literal["create", "update", "delete"]
    uid: str


def published(folder: Path) -> Plan:
    """The week as `planner plan` wrote it (OUT/<week>/plan.json)."""
    path = folder / "plan.json"
    try:
        return Plan.model_validate_json(path.read_bytes())
    except FileNotFoundError as exc:
        raise PlannerError(
            Finding(str(path), 0, "no planned week here", "run `planner plan` for the week first")
        ) from exc
    except (OSError, ValueError, ValidationError) as exc:
        raise PlannerError(
            Finding(str(path), 0, f"not a plan the planner wrote: {exc}", "plan the week again")
        ) from exc


def wanted(plan: Plan, settings: Settings) -> dict[str, Wanted]:
    """uid -> its event, the week's posts and its cancellations alike."""
    out = {}
    for cancelled, posts in ((False, plan.posts), (True, plan.cancelled)):
        for post in posts:
            shown, gone = ([], [post]) if cancelled else ([post], [])
            data = render_calendar(
                plan, shown, gone, {}, plan.week, settings.alarm_minutes, settings.locale
            )
            out[post.uid] = Wanted(post.uid, post.sequence, _stamp(data), cancelled, data)
    return out


def _stamp(data: bytes) -> datetime:
    """The event's DTSTAMP, read off its line: parsing a whole calendar per post cost a
    200-group week as much as rendering it (the writer puts it in UTC, never folded)."""
    line = next(line for line in data.split(b"\r\n") if line.startswith(b"DTSTAMP:"))
    return datetime.strptime(line[8:].decode("ascii"), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def in_week(plan: Plan, day: date) -> bool:
    return plan.week_start <= day < plan.week_start + timedelta(days=7)


def writes(plan: Plan, want: dict[str, Wanted], have: dict[str, Stored]) -> list[Write]:
    """Create what the calendar lacks (not a cancellation it never had), update what changed
    in place, delete our events of this week the plan no longer knows; leave the rest."""
    out = []
    for uid, event in sorted(want.items()):
        old = have.get(uid)
        if old is None and not event.cancelled:
            out.append(Write("create", uid))
        elif old is not None and (old.sequence, old.stamp) != (event.sequence, event.stamp):
            out.append(Write("update", uid))
    out += [
        Write("delete", uid)
        for uid, old in sorted(have.items())
        if uid not in want and in_week(plan, old.day)
    ]
    return out


def local_day(start: datetime, zone: str) -> date:
    """An event's local start date (a floating or date start is taken as it stands)."""
    if isinstance(start, datetime) and start.tzinfo is not None:
        return start.astimezone(ZoneInfo(zone)).date()
    return start.date() if isinstance(start, datetime) else start
