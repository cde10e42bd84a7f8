"""iCalendar files (RFC 5545) through the icalendar package: one per week, operator and group.

Import-safe for real clients: CRLF and 75-octet folding come from icalendar,
every TZID has its VTIMEZONE (bounded to the years the week touches, without
the COMMENT libical rejects), UIDs are stable across re-plans and SEQUENCE rises
when a post changes, so re-importing updates events instead of duplicating them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone

from planner.plan import Plan, Post
from planner.writers.labels import kind_name, stage_name

PRODID = "-//community-planner//community-planner//ZH"


def dtstamp(plan: Plan) -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else the week's start: never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.combine(plan.week_start, datetime.min.time(), tzinfo=UTC)


def revised(stamp: datetime, post: Post) -> datetime:
    """DTSTAMP and LAST-MODIFIED of a post's event: one minute past the week's stamp per
    revision, so they rise with SEQUENCE and the same inputs still give the same bytes."""
    return stamp + timedelta(minutes=post.sequence)


@lru_cache(maxsize=64)
def _vtimezone(tzid: str, first: date, last: date) -> Timezone:
    """The zone's rules for [first, last), without the COMMENT that libical rejects."""
    zone = Timezone.from_tzid(tzid, first_date=first, last_date=last)
    zone.pop("COMMENT", None)
    for part in zone.subcomponents:
        part.pop("COMMENT", None)
    return zone


def description(post: Post, locale: str) -> str:
    """The copy-ready text first; the operator's notes after a clear divider."""
    parts = [post.text]
    labels = (
        ("运营备注", "氛围组话术", "先发图片")
        if locale == "zh-CN"
        else ("Notes", "Atmosphere team", "Send the image first")
    )
    if post.image:
        parts.append(f"【{labels[2]}】{post.image}")
    if post.notes:
        parts.append(f"【{labels[0]}】{post.notes}")
    if post.atmosphere:
        parts.append(f"【{labels[1]}】" + " / ".join(post.atmosphere))
    return "\n\n".join(parts)


def summary(post: Post, names: dict[str, str]) -> str:
    """ "[group name] title": a group no longer in the workspace keeps its last known name."""
    return f"[{names.get(post.group) or post.group_name or post.group}] {post.title}"


def _event(
    post: Post,
    names: dict[str, str],
    stamp: datetime,
    alarm: int,
    locale: str,
    cancelled: bool = False,
) -> Event:
    event = Event()
    event.add("uid", post.uid)
    event.add("dtstamp", revised(stamp, post))
    event.add("last-modified", revised(stamp, post))
    event.add("sequence", post.sequence)
    zone = ZoneInfo(post.timezone)
    event.add("dtstart", post.start.astimezone(zone))
    event.add("dtend", post.end.astimezone(zone))
    event.add("summary", summary(post, names))
    event.add("description", description(post, locale))
    categories = [kind_name(locale, post.kind), stage_name(locale, post.stage)]
    categories += [post.campaign] if post.campaign else []
    event.add("categories", categories)
    event.add("x-planner-group", post.group)
    event.add("x-planner-item", post.item)
    event.add("transp", "TRANSPARENT")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if alarm > 0 and not cancelled:
        reminder = Alarm()
        reminder.add("action", "DISPLAY")
        reminder.add("description", summary(post, names))
        reminder.add("trigger", timedelta(minutes=-alarm))
        event.add_component(reminder)
    return event


def _calendar(plan: Plan, title: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")  # no METHOD: PUBLISH would need an ORGANIZER
    calendar.add("x-wr-calname", title)
    calendar.add("x-wr-timezone", plan.timezone)
    return calendar


def render_index_calendar(plan: Plan, imports: Mapping[str, Iterable[str]], title: str) -> bytes:
    """The week as an index, for weeks too large to import whole: no events (week-long
    banners would fill every day of the calendar), only its description naming each
    operator's own file(s) to import instead."""
    calendar = _calendar(plan, f"{title} · index")
    files = [f"{op}: {', '.join(names)}" for op, names in sorted(imports.items()) if names]
    calendar.add("x-wr-caldesc", "Import your own calendar instead: " + "; ".join(files))
    calendar.add_component(_vtimezone(plan.timezone, *_years(plan)))  # RFC 5545: a component
    return calendar.to_ical()


def _years(plan: Plan) -> tuple[date, date]:
    """The years a week's zone rules need to cover."""
    end = plan.week_start + timedelta(days=7)
    return date(plan.week_start.year, 1, 1), date(end.year + 1, 1, 1)


def render_calendar(
    plan: Plan,
    posts: Iterable[Post],
    cancelled: Iterable[Post],
    names: dict[str, str],
    title: str,
    alarm_minutes: int,
    locale: str,
) -> bytes:
    """One VCALENDAR with a VTIMEZONE for every zone its events use."""
    posts = sorted(posts, key=lambda p: (p.start, p.group, p.item))
    cancelled = sorted(cancelled, key=lambda p: (p.start, p.group, p.item))
    calendar = _calendar(plan, title)
    zones = sorted({p.timezone for p in [*posts, *cancelled]} | {plan.timezone})
    for zone in zones:
        calendar.add_component(_vtimezone(zone, *_years(plan)))
    stamp = dtstamp(plan)
    for post in posts:
        calendar.add_component(_event(post, names, stamp, alarm_minutes, locale))
    for post in cancelled:
        calendar.add_component(_event(post, names, stamp, 0, locale, cancelled=True))
    return calendar.to_ical()
