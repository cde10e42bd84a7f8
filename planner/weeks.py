"""Naming the week to plan: any date in it, or `this` / `next` counted from today.

Today comes in as an argument: only the CLI reads the clock.
"""

from __future__ import annotations

from datetime import date, timedelta

from planner.models.common import check_day

RELATIVE_WEEKS = {"this": 0, "next": 1}  # weeks after today's


def parse_week(text: str) -> date | str:
    """A date (2026-11-23) or one of RELATIVE_WEEKS; ValueError saying what is expected."""
    word = text.strip().lower()
    if word in RELATIVE_WEEKS:
        return word
    expected = "expected a date in the week like 2026-11-23, 'this' or 'next'"
    try:
        day = date.fromisoformat(word)
    except ValueError as exc:
        shaped = len(word) == 10 and word[4] == word[7] == "-" and word.replace("-", "").isdigit()
        why = f"does not exist ({exc})" if shaped else "is not a week"
        raise ValueError(f"'{text}' {why}; {expected}") from None
    try:
        return check_day(day)
    except ValueError as exc:
        raise ValueError(f"{exc}; {expected}") from None


def relative_week(word: str, today: date) -> date:
    """Monday of today's ISO week ('this') or of the one after ('next')."""
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(weeks=RELATIVE_WEEKS[word])


def resolve_week(text: str, today: date) -> date:
    """A --week value as a date: the date given, or Monday of 'this' / 'next' week."""
    week = parse_week(text)
    return week if isinstance(week, date) else relative_week(week, today)
