"""China's statutory days off for a year without a rules/holidays/<year>.yaml file.

Festival dates such as 春节 and 中秋节 follow the lunar calendar, so they are computed
by the `holidays` package rather than written by hand. What it cannot know is the State
Council's notice: the adjusted working days (调休) and the exact spans of days off. A year
computed here therefore has no working days, and the planner warns about it
(planner.solver.problem.holiday_warnings) until the notice's file is added.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from functools import lru_cache

import holidays

from planner.models.rules import DaySpan, HolidayYear

COUNTRY = "CN"
_NOTE = re.compile(r"[（(].*?[)）]")  # 春节（补假）: the day's holiday, without the note


@lru_cache(maxsize=16)
def statutory_year(year: int) -> HolidayYear:
    """The year's statutory days off, consecutive days as one span named by its holiday."""
    days = holidays.country_holidays(COUNTRY, years=year, language="zh_CN")
    spans: list[list[tuple[date, str]]] = []
    for day, name in sorted(days.items()):
        entry = (day, _NOTE.sub("", name).strip())
        if spans and spans[-1][-1][0] == day - timedelta(days=1):
            spans[-1].append(entry)
        else:
            spans.append([entry])
    return HolidayYear(
        year=year,
        days_off=[
            DaySpan(name=_most_named(span), from_=span[0][0], to=span[-1][0]) for span in spans
        ],
    )


def _most_named(span: list[tuple[date, str]]) -> str:
    """春节 for 农历除夕 followed by five days of 春节."""
    return Counter(name for _, name in span).most_common(1)[0][0]
