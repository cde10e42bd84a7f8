"""Naming the week to plan: any date in it, its ISO name (2026-W48, as the output
folders are named), or `this` / `next` counted from today.

Today comes in as an argument: only the CLI reads the clock.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from planner.models.common import check_day

RELATIVE_WEEKS = {"this": 0, "next": 1}  # weeks after today's
ISO_WEEK = re.compile(r"(\d{4})-?w(\d{1,2})")
EXPECTED = (
    "expected a date in the week like 2026-11-23, an ISO week like 2026-W48, 'this' or 'next'"
)


def parse_week(text: str) -> date | str:
    """A date (2026-11-23), an ISO week (2026-W48: its Monday) or one of RELATIVE_WEEKS;
    ValueError saying what is expected."""
    word = text.strip().lower()
    if word in RELATIVE_WEEKS:
        return word
    expected = EXPECTED
    iso = ISO_WEEK.fullmatch(word)
    if iso:
        try:
            day = date.fromisocalendar(int(iso[1]), int(iso[2]), 1)
        except ValueError as exc:
            raise ValueError(f"'{text}' does not exist ({exc}); {expected}") from None
        return _in_range(day)
    try:
        day = date.fromisoformat(word)
    except ValueError as exc:
        shaped = len(word) == 10 and word[4] == word[7] == "-" and word.replace("-", "").isdigit()
        why = f"does not exist ({exc})" if shaped else "is not a week"
        raise ValueError(f"'{text}' {why}; {expected}") from None
    return _in_range(day)


def _in_range(day: date) -> date:
    try:
        return check_day(day)
    except ValueError as exc:
        raise ValueError(f"{exc}; {EXPECTED}") from None


def relative_week(word: str, today: date) -> date:
    """Monday of today's ISO week ('this') or of the one after ('next')."""
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(weeks=RELATIVE_WEEKS[word])


def resolve_week(text: str, today: date) -> date:
    """A --week value as a date: the date given, or Monday of 'this' / 'next' week."""
    week = parse_week(text)
    return week if isinstance(week, date) else relative_week(week, today)
