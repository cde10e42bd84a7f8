"""When a reminder goes out, relative to its campaign's anchor: `before: 1d`, `2h` or
`60m` (a span before the anchor), or `at: "-1d 20:00"` (a clock time on a day counted
from the anchor's day)."""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Annotated, Any, NamedTuple

from pydantic import BeforeValidator

from planner.models.common import _parse_time

_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
_OFFSET = re.compile(r"^\s*(\d+)\s*([dhm])\s*$")
_DAY_AND_TIME = re.compile(r"^\s*([+-]?\d+)\s*d\s+(\d{1,2}:\d{2})\s*$")


def _parse(value: Any) -> timedelta:
    """A number and a unit, so that "1" cannot silently mean minutes or days."""
    match = _OFFSET.match(value) if isinstance(value, str) else None
    if match is None or int(match.group(1)) == 0:
        raise ValueError(
            f"before: {value!r} is not an offset; expected a positive number and a unit "
            "(d, h or m), e.g. 1d, 2h, 60m"
        )
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


Offset = Annotated[timedelta, BeforeValidator(_parse, json_schema_input_type=str)]


class DayAndTime(NamedTuple):
    """`at: "-1d 20:00"`: the anchor's day moved by `days`, at the local clock time."""

    days: int
    clock: time

    def __str__(self) -> str:
        return f"{self.days}d {self.clock:%H:%M}"


def parse_day_and_time(value: Any) -> DayAndTime | None:
    """The `-1d 20:00` form, or None when `value` is not written that way."""
    if isinstance(value, DayAndTime):
        return value
    match = _DAY_AND_TIME.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    days = int(match.group(1))
    if days > 0:
        raise ValueError(
            f"at: {value!r} is after the anchor's day; a reminder goes out on the anchor's "
            'day or before it, e.g. "-1d 20:00" or "0d 08:00"'
        )
    return DayAndTime(days, time.fromisoformat(_parse_time(match.group(2))))


def _day_and_time(value: Any) -> DayAndTime:
    parsed = parse_day_and_time(value)
    if parsed is None:
        raise ValueError(
            f'at: {value!r} is not a day and a time; expected e.g. "-1d 20:00" (the day '
            'before the anchor, at 20:00) or "0d 08:00" (the anchor\'s day, at 08:00)'
        )
    return parsed


AnchorDayTime = Annotated[DayAndTime, BeforeValidator(_day_and_time, json_schema_input_type=str)]


def _time_or_day_and_time(value: Any) -> Any:
    """A binding's `at`: a pinned local time (with `day`) or the `-1d 20:00` form."""
    parsed = parse_day_and_time(value)
    if parsed is not None:
        return parsed
    clock = _parse_time(value)
    try:
        return time.fromisoformat(clock) if isinstance(clock, str) else clock
    except ValueError:
        raise ValueError(
            f'at: {value!r} is neither a time (e.g. "19:30") nor a day and a time counted '
            'from the anchor (e.g. "-1d 20:00")'
        ) from None


PinOrDayAndTime = Annotated[
    time | DayAndTime, BeforeValidator(_time_or_day_and_time, json_schema_input_type=str)
]


def due(anchor, before: timedelta | None, at: DayAndTime | None, local_time):
    """The moment a reminder is due: `before` the anchor, or at the `at` day and time
    (in the anchor's zone; `local_time(day, zone, clock)` builds it)."""
    if at is None:
        return anchor - before
    return local_time(anchor.date() + timedelta(days=at.days), anchor.tzinfo, at.clock)
