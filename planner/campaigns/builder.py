"""The playbook under construction for one week: the steps every campaign kind, lock and
earlier post share to add a need, a ban or a window, in the group's own time zone.

A window that ends before the week starts or begins after it ends adds no need or ban,
so each builder may describe its campaign whole and leave the cutting to this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner.campaigns.playbook import Ban, Need, Playbook
from planner.models.groups import Group
from planner.models.offsets import DayAndTime, due
from planner.workspace.load import Workspace


@dataclass(frozen=True)
class Implicit:
    """The campaign of a rule that no campaigns.yaml entry states: a lock, an earlier week,
    the dissolve of a short-event group."""

    id: str


def local_time(day: date, zone: ZoneInfo, clock: time = time(0, 0)) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone)


def in_zone(moment: datetime, zone: ZoneInfo) -> datetime:
    """Campaign times are local to the group when written without an offset."""
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


def days_between(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _spoken(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    if minutes % 1440 == 0:
        return f"{minutes // 1440}d"
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}m"


class Builder:
    """One week's playbook as campaigns, locks and the past add to it."""

    def __init__(self, ws: Workspace, week_start: date):
        self.ws = ws
        self.week = (week_start, week_start + timedelta(days=7))
        self.slot = timedelta(minutes=ws.settings.slot_minutes)
        self.book = Playbook()

    def zone(self, group: Group) -> ZoneInfo:
        return ZoneInfo(group.timezone or self.ws.settings.timezone)

    def roles(self, campaign, role: str) -> tuple[str, ...]:
        """The campaign's items bound to `role`, in their order, that the library holds."""
        bound = sorted(
            (b for b in campaign.items if b.role == role), key=lambda b: (b.order, b.item)
        )
        return tuple(b.item for b in bound if b.item in self.ws.items)

    def at_offsets(self, campaign, group: Group, role: str, anchor: datetime, what: str):
        """Each item of the role with a stated offset (`before:` or `at: "-1d 20:00"` on its
        binding, else on the item) needs its one post in the slot ending at that moment,
        never later and at most one slot earlier; the items without one are returned for
        the role's usual windows. Every item of the role remembers the anchor for
        `post.when_anchor`."""
        free = []
        for item in self.roles(campaign, role):
            self.book.anchors[(group.id, item)] = anchor
            before, at = self._offset(campaign, role, item)
            if before is None and at is None:
                free.append(item)
                continue
            moment = due(anchor, before, at, local_time)
            self.book.offset_times[(group.id, item)] = moment
            first, last = moment - self.slot + timedelta(seconds=1), moment + timedelta(seconds=1)
            said = f'at "{at}" from' if at else f"{_spoken(before)} before"
            label = f"{item} {said} {what} ({moment:%Y-%m-%d %H:%M})"
            self.need(campaign, group, role, (item,), first, last, 1, 1, label, anchor=anchor)
        return tuple(free)

    def _offset(self, campaign, role: str, item: str):
        """(before, at) of the item's binding in the role, else of the item itself."""
        for binding in campaign.items:
            if binding.role != role or binding.item != item:
                continue
            if binding.before is not None:
                return binding.before, None
            if isinstance(binding.at, DayAndTime):
                return None, binding.at
        return self.ws.items[item].before, self.ws.items[item].at

    def in_week(self, start: datetime, end: datetime, zone: ZoneInfo) -> bool:
        return start < local_time(self.week[1], zone) and end > local_time(self.week[0], zone)

    def window(self, campaign, group: Group, items, start, end) -> None:
        for item in items:
            key = (group.id, item)
            self.book.windows.setdefault(key, []).append((start, end))
            self.book.campaign_of.setdefault(key, campaign.id)

    def need(self, campaign, group, role, items, start, end, low, high, label, anchor=None):
        """A role's posts; `anchor` (the launch, the live) makes a window already past an error."""
        self.window(campaign, group, items, start, end)
        zone = start.tzinfo
        missed = (
            anchor is not None
            and end <= local_time(self.week[0], zone)
            and self.in_week(anchor, anchor + timedelta(seconds=1), zone)
        )
        if items and (self.in_week(start, end, zone) or missed):
            self.book.needs.append(
                Need(campaign.id, role, group.id, items, start, end, low, high, label)
            )

    def ban(self, campaign, group, items, start, end, label, keep=(), rule="campaign_ban"):
        if self.in_week(start, end, start.tzinfo):
            self.book.bans.append(Ban(campaign.id, group.id, items, start, end, label, keep, rule))

    def every_day(self, campaign, group: Group, role: str, first: date, last: date, what: str):
        """At least one post of the role on each day from `first` to `last`."""
        zone = self.zone(group)
        items = self.roles(campaign, role)
        for day in days_between(first, last):
            start, end = local_time(day, zone), local_time(day + timedelta(days=1), zone)
            self.need(campaign, group, role, items, start, end, 1, None, f"{what} on {day}")
