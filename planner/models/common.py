"""Vocabulary shared by every user-written file: stages, group types, kinds, time windows."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from enum import StrEnum
from functools import cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    field_validator,
    model_validator,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
Id = Annotated[str, AfterValidator(lambda v: _check_id(v))]


def _check_id(value: str) -> str:
    if not re.fullmatch(ID_PATTERN, value):
        raise ValueError(
            f"{value!r} is not a valid id; use lower-case letters, digits and '-' "
            "(it becomes part of file names and calendar UIDs)"
        )
    return value


class Stage(StrEnum):
    """Lifecycle stages of a group (docs/defaults.md#stages)."""

    launch = "launch"
    onboarding = "onboarding"
    activation = "activation"
    retention = "retention"
    conversion = "conversion"
    culture = "culture"
    reactivation = "reactivation"


class GroupType(StrEnum):
    long_term = "long_term"
    feedback = "feedback"
    short_event = "short_event"
    fan = "fan"
    group_buy = "group_buy"
    training_camp = "training_camp"


class Kind(StrEnum):
    """Content item kinds; each has its own model in planner.models.items."""

    intro = "intro"
    welcome = "welcome"
    rules = "rules"
    self_intro = "self_intro"
    checkin = "checkin"
    quiz = "quiz"
    poll = "poll"
    article = "article"
    news = "news"
    deal = "deal"
    live = "live"
    lottery = "lottery"
    red_packet = "red_packet"
    ugc_prompt = "ugc_prompt"
    kol_spotlight = "kol_spotlight"
    offline_event = "offline_event"
    survey = "survey"
    reminder = "reminder"
    dissolve_notice = "dissolve_notice"


# A business topic (tea, groceries, yoga ...): compared without case or surrounding spaces;
# a single topic may be written without the list brackets.
Topic = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1)]
Topics = Annotated[list[Topic], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)]


# The days the planner plans in: a week far outside (0001-01-01, 9999-12-31) overflows
# the calendar when a reminder or a history look-up steps past it.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def check_day(value: date) -> date:
    """`value` unchanged, or ValueError when it lies outside FIRST_DAY..LAST_DAY."""
    day = value.date() if isinstance(value, datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{value} lies outside the years {FIRST_DAY.year}-{LAST_DAY.year}")
    return value


def _one_line(value: str) -> str:
    if _ONE_LINE.search(value):
        raise ValueError(
            f"{value!r} holds a line break or another control character; names are one line"
        )
    return value


# A name or title: shown on one line in calendars, scripts and the page.
OneLine = Annotated[str, AfterValidator(_one_line)]


class StrictModel(BaseModel):
    """Every user-facing model: unknown keys are errors (the loader adds 'did you mean');
    every date within FIRST_DAY..LAST_DAY."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("*", mode="after")
    @classmethod
    def _days_in_range(cls, value: Any) -> Any:
        for each in value if isinstance(value, list | tuple) else (value,):
            if isinstance(each, date):
                check_day(each)
        return value


def _parse_time(value: Any) -> Any:
    """Accept 7:30 as well as 07:30; leave everything else to pydantic."""
    if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
        hours, minutes = value.strip().split(":")
        return f"{int(hours):02d}:{minutes}"
    if isinstance(value, str) and value.strip() in ("24:00", "24:00:00"):
        return time.max
    return value


TimeOfDay = Annotated[time, BeforeValidator(_parse_time)]


class TimeWindow(StrictModel):
    """A local time-of-day window; `end` before `start` wraps past midnight (quiet hours)."""

    start: TimeOfDay
    end: TimeOfDay

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            match = re.fullmatch(r"\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*", value)
            if not match:
                raise ValueError(f"'{value}' is not a time window; write it as 'HH:MM-HH:MM'")
            return {"start": match.group(1), "end": match.group(2)}
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> TimeWindow:
        if self.start == self.end:
            raise ValueError("a time window needs different start and end times")
        return self

    def minutes(self) -> tuple[int, int]:
        """(start, end) in minutes from midnight; end may exceed 1440 when it wraps."""
        start = self.start.hour * 60 + self.start.minute
        end = 1440 if self.end == time.max else self.end.hour * 60 + self.end.minute
        if end <= start:
            end += 1440
        return start, end

    def contains(self, minute_of_day: int) -> bool:
        start, end = self.minutes()
        return start <= minute_of_day < end or start <= minute_of_day + 1440 < end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def _check_timezone(value: str) -> str:
    """An IANA zone name; checked against the list first, as ZoneInfo itself opens what it
    is given ('Asia' is a folder of the zone database: IsADirectoryError)."""
    try:
        if value not in _zone_names():
            raise ZoneInfoNotFoundError(value)
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        import difflib

        close = difflib.get_close_matches(value, sorted(available_timezones()), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ValueError(
            f"unknown time zone '{value}'{hint}; use an IANA name such as 'Asia/Shanghai'"
        ) from None
    return value


TimeZoneName = Annotated[str, AfterValidator(_check_timezone)]
