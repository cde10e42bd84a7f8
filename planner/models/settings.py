"""planner.yaml: the workspace's settings."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BeforeValidator, Field, WithJsonSchema, field_validator

from planner.models.common import Id, OneLine, StrictModel, TimeWindow, TimeZoneName, Topics

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _spans(value: Any) -> Any:
    """`off` (a bare off is YAML's false), one span, or a list of spans."""
    if value is False or (isinstance(value, str) and value.strip().lower() == "off"):
        return []
    expected = "write 'HH:MM-HH:MM', a list of them, or off"
    if isinstance(value, str) and not any(c.isdigit() for c in value):
        hint = "did you mean off? " if difflib.get_close_matches(value.lower(), ["off"]) else ""
        raise ValueError(f"'{value}' is neither a span of hours nor off; {hint}{expected}")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value:
        return value
    shown = "on" if value is True else value
    raise ValueError(f"'{shown}' is not working hours; {expected}")


_SPAN = {"type": "string", "pattern": r"^\s*\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}\s*$"}
# A day's working hours: spans of the operator's local time (a span may run past midnight);
# the schema says what a user writes, not the parsed windows.
Spans = Annotated[
    tuple[TimeWindow, ...],
    BeforeValidator(_spans),
    WithJsonSchema(
        {
            "anyOf": [
                _SPAN,
                {"type": "array", "items": _SPAN, "minItems": 1},
                {"enum": ["off", False]},
            ]
        }
    ),
]


class OperatorHours(StrictModel):
    """When an operator works. A day key (mon..sun) overrides weekday/weekend; which days
    are weekend the holiday calendar says (a public holiday is one, an adjusted working
    day is not). A day no key covers: any time."""

    weekday: Spans | None = None
    weekend: Spans | None = None
    mon: Spans | None = None
    tue: Spans | None = None
    wed: Spans | None = None
    thu: Spans | None = None
    fri: Spans | None = None
    sat: Spans | None = None
    sun: Spans | None = None

    def key_on(self, day: date, day_type: str) -> str | None:
        """The key that sets `day`'s hours (day_type: the holiday calendar's), or None."""
        own = DAY_KEYS[day.weekday()]
        general = "weekday" if day_type == "weekday" else "weekend"
        return next((key for key in (own, general) if getattr(self, key) is not None), None)

    def spans_on(self, day: date, day_type: str) -> tuple[TimeWindow, ...] | None:
        """`day`'s spans (empty: off), or None when the operator works any time."""
        key = self.key_on(day, day_type)
        return None if key is None else getattr(self, key)

    def intervals(
        self, first: date, last: date, day_type: Callable[[date], str], zone: ZoneInfo
    ) -> list[tuple[datetime, datetime]]:
        """The working stretches (UTC) of days `first`..`last` in `zone`, `day_type` saying
        which days are weekdays; a day no key covers is one whole-day stretch."""
        out = []
        for n in range((last - first).days + 1):
            day = first + timedelta(days=n)
            midnight = datetime.combine(day, time(0, 0), tzinfo=zone)
            spans = self.spans_on(day, day_type(day))
            bounds = [(0, 1440)] if spans is None else [span.minutes() for span in spans]
            for start, end in bounds:  # wall-clock minutes, so DST days keep their hours
                out.append(
                    (
                        (midnight + timedelta(minutes=start)).astimezone(UTC),
                        (midnight + timedelta(minutes=end)).astimezone(UTC),
                    )
                )
        return out

    def __str__(self) -> str:
        """As written: `weekday 18:00-22:30 · weekend off`."""
        given = ((key, getattr(self, key)) for key in type(self).model_fields)
        return " · ".join(f"{key} {describe_spans(s)}" for key, s in given if s is not None)


def describe_spans(spans: tuple[TimeWindow, ...]) -> str:
    return ", ".join(map(str, spans)) if spans else "off"


class OperatorSettings(StrictModel):
    """One operator; capacity overrides the rule pack's `operator` default."""

    name: OneLine | None = None
    max_posts: int | None = Field(default=None, ge=1)
    window_minutes: int | None = Field(default=None, ge=1, le=1440)
    max_posts_per_day: int | None = Field(default=None, ge=1)
    hours: OperatorHours | None = None  # None: works any time
    timezone: TimeZoneName | None = None  # of `hours` and of their days; None: the workspace's


class Settings(StrictModel):
    """Workspace-wide settings; every figure here is a default the user may change."""

    name: OneLine = Field(min_length=1)
    timezone: TimeZoneName = "Asia/Shanghai"
    locale: Literal["zh-CN", "en"] = "zh-CN"
    slot_minutes: int = Field(default=15, ge=5, le=120)
    alarm_minutes: int = Field(default=10, ge=0, le=1440)
    operators: dict[Id, OperatorSettings] = Field(default_factory=dict)
    use_builtin_library: bool = True  # false: plan only with the workspace's own items
    topics: Topics = Field(default_factory=list)  # the topics of every group that sets none
    # Above this many posts, calendar.ics lists the operators' calendars instead of every
    # event: no calendar app imports a hundred thousand events.
    whole_calendar_max_posts: int = Field(default=5000, ge=0)
    # Google Calendar imports files up to about 1 MB: a calendar file meant for import that
    # would be larger is split (calendar.ics by operator, an operator's file by day).
    calendar_import_max_bytes: int = Field(default=1_000_000, ge=10_000)
    # Above this many groups, the week's pictures are drawn per operator only (a group's
    # grid costs about a tenth of a second, as much as planning the group's week).
    group_grids_max_groups: int = Field(default=500, ge=0)
    # Above this many posts, index.html links each operator's page operators/<id>.html
    # instead of holding every post: no phone opens a page of a hundred megabytes.
    whole_page_max_posts: int = Field(default=5000, ge=0)

    def operator_zone(self, operator: str) -> str:
        """The zone an operator's hours and days are in: their own, else the workspace's."""
        own = self.operators.get(operator)
        return own.timezone if own is not None and own.timezone else self.timezone

    @field_validator("slot_minutes")
    @classmethod
    def _divides_day(cls, value: int) -> int:
        if 1440 % value:
            raise ValueError(
                f"slot_minutes {value} does not divide a day (1440 minutes); use e.g. 10, 15 or 30"
            )
        return value
