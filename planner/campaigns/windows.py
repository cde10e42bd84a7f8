"""Narrower campaign windows: a binding's own `day` and `at`, and a festival's days.

A campaign role gives its items windows (planner.campaigns.kinds); these steps cut
them down afterwards, day by day in the group's time zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner.campaigns.builder import Builder, days_between, local_time
from planner.rules.eligibility import campaign_targets

Window = tuple[datetime, datetime]


def _days_of(windows: list[Window], zone: ZoneInfo) -> Iterator[tuple[date, datetime, datetime]]:
    """(day, start, end) for each window and each local day it touches."""
    for start, end in windows:
        first = start.astimezone(zone).date()
        last = (end - timedelta(microseconds=1)).astimezone(zone).date()
        for day in days_between(first, last):
            yield day, start, end


def festivals(b: Builder) -> None:
    """A campaign tied to a festival goes out only while the festival runs."""
    calendar = b.ws.rules.holidays
    for campaign in b.ws.campaigns:
        if not campaign.festival:
            continue
        for group in campaign_targets(b.ws.groups, campaign):
            zone = b.zone(group)
            for binding in campaign.items:
                key = (group.id, binding.item)
                narrowed = []
                for day, start, end in _days_of(b.book.windows.get(key, []), zone):
                    if campaign.festival in calendar.festivals_on(day):
                        first = max(start, local_time(day, zone))
                        last = min(end, local_time(day + timedelta(days=1), zone))
                        if first < last:
                            narrowed.append((first, last))
                if key in b.book.windows:
                    b.book.windows[key] = narrowed


def bindings(b: Builder) -> None:
    """A binding's own `day` (offset from the campaign's date) and `at` (local time)
    narrow the windows its role gives the item."""
    for campaign in b.ws.campaigns:
        anchor = _anchor(campaign)
        for binding in campaign.items:
            if binding.day is None and not isinstance(binding.at, time):
                continue
            for group in campaign_targets(b.ws.groups, campaign):
                key = (group.id, binding.item)
                if key in b.book.windows:
                    b.book.windows[key] = _bound(b, binding, anchor, b.zone(group), key)


def _bound(b: Builder, binding, anchor: date, zone: ZoneInfo, key) -> list[Window]:
    """The parts of the item's windows on the binding's day, at the binding's time."""
    narrowed = []
    for day, start, end in _days_of(b.book.windows[key], zone):
        if binding.day is not None and day != anchor + timedelta(days=binding.day):
            continue
        first, last = local_time(day, zone), local_time(day + timedelta(days=1), zone)
        if isinstance(binding.at, time):
            first = local_time(day, zone, binding.at)
            last = first + b.slot
        first, last = max(first, start), min(last, end)
        if first < last:
            narrowed.append((first, last))
    return narrowed


def _anchor(campaign) -> date:
    """The date a binding's `day` counts from."""
    for name in ("launch_at", "start"):
        value = getattr(campaign, name, None)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
    return campaign.acquired_on
