"""A playbook: what campaigns, locks and earlier weeks ask of a week, as plain rules over time.

What must (Need), must not (Ban), in which order (Before) and off the calendar (Task)
be posted, and where a campaign item may go out at all (windows). Each rule names its
campaign and role and says itself in the user's words; nothing here knows about the
solver. Built by planner.campaigns.build; cut per operator by `split` and `restrict`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from planner.models.common import Stage
from planner.models.groups import Group


@dataclass(frozen=True)
class Need:
    """Between `low` and `high` posts of `items` in `group`, starting inside [start, end)."""

    campaign: str
    role: str
    group: str
    items: tuple[str, ...]
    start: datetime
    end: datetime
    low: int
    high: int | None
    label: str
    rule: str = "campaign_need"


@dataclass(frozen=True)
class Ban:
    """No post of `items` (every item when None) in `group` starting inside [start, end)."""

    campaign: str
    group: str
    items: tuple[str, ...] | None
    start: datetime
    end: datetime
    label: str
    keep: tuple[str, ...] = ()  # items the ban does not cover (the live post itself)
    rule: str = "campaign_ban"  # the verifier's name for breaking it

    def covers(self, item: str, start: datetime) -> bool:
        """Does this ban keep `item` out of its group at `start`?"""
        return (
            (self.items is None or item in self.items)
            and item not in self.keep
            and self.start <= start < self.end
        )


@dataclass(frozen=True)
class Before:
    """On `day`, every post of `first` comes before every post of `then` in `group`."""

    campaign: str
    group: str
    first: tuple[str, ...]
    then: tuple[str, ...]
    day: date
    label: str


@dataclass(frozen=True)
class Task:
    """A one-to-one follow-up for the operator: listed in the run sheet, not posted."""

    campaign: str
    group: str
    item: str
    day: date


@dataclass(frozen=True)
class Event:
    """A group's event as items with `event_side` see it: its first and last moment (an
    offline event's `event_at` is both; a campaign's days start at midnight), and the
    setting each came from: (kind of source, its id, key of `first`, key of `last`)."""

    first: datetime
    last: datetime
    source: tuple[str, str, str, str]


@dataclass
class Playbook:
    """Everything the week's campaigns ask of each group."""

    needs: list[Need] = field(default_factory=list)
    bans: list[Ban] = field(default_factory=list)
    order: list[Before] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    # (group, item) -> windows in which a campaign item may go out in that group
    windows: dict[tuple[str, str], list[tuple[datetime, datetime]]] = field(default_factory=dict)
    # (group, item) -> campaign id, for the post's campaign field and categories
    campaign_of: dict[tuple[str, str], str] = field(default_factory=dict)
    # group -> [(from, stage)] added by playbooks (reactivation -> activation; None once
    # a short-event group is dissolved)
    stage_changes: dict[str, list[tuple[date, Stage | None]]] = field(default_factory=dict)
    # (group, date) with no required posts of the stage: the user keeps it free (locks.yaml
    # no_posts), or a reactivation's day 1 belongs to its rename and theme posts
    days_off: set[tuple[str, date]] = field(default_factory=set)
    # (group, item) -> deals of a seven-day retention, in order (for next_item)
    deal_series: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # (group, deal) -> (campaign, its day or None) of a seven-day retention's ordered deals
    deal_days: dict[tuple[str, str], tuple[str, date | None]] = field(default_factory=dict)
    # (group, item) -> the moment a reminder leads up to (a live's start, a deadline)
    anchors: dict[tuple[str, str], datetime] = field(default_factory=dict)
    # (group, item) -> the moment its stated offset pins it to (`before:` / `at: "-1d 20:00"`):
    # the offset wins over the item's own window (item_window)
    offset_times: dict[tuple[str, str], datetime] = field(default_factory=dict)
    # group -> its event, for items about before or after it (planner.campaigns.events)
    events: dict[str, Event] = field(default_factory=dict)
    # (group, item) -> the local days of the six before the week it went out on (memory)
    recent: dict[tuple[str, str], tuple[date, ...]] = field(default_factory=dict)

    def allowed(self, group: str, item: str, start: datetime) -> bool:
        """May this item go out in this group at `start`? (Always, unless a campaign binds it.)"""
        windows = self.windows.get((group, item))
        return windows is None or any(a <= start < b for a, b in windows)

    def moments(self, group: str) -> list[datetime]:
        """Every instant at which a campaign window of the group opens or closes."""
        out = []
        for need in self.needs:
            if need.group == group:
                out += [need.start, need.end]
        for ban in self.bans:
            if ban.group == group:
                out += [ban.start, ban.end]
        for (owner, _), windows in self.windows.items():
            if owner == group:
                out += [moment for window in windows for moment in window]
        if group in self.events:
            out += [self.events[group].first, self.events[group].last]
        return out


def restrict(book: Playbook, groups: list[Group]) -> Playbook:
    """The part of a playbook that concerns these groups."""
    ids = {g.id for g in groups}
    return Playbook(
        needs=[n for n in book.needs if n.group in ids],
        bans=[b for b in book.bans if b.group in ids],
        order=[o for o in book.order if o.group in ids],
        tasks=[t for t in book.tasks if t.group in ids],
        windows={k: v for k, v in book.windows.items() if k[0] in ids},
        campaign_of={k: v for k, v in book.campaign_of.items() if k[0] in ids},
        anchors={k: v for k, v in book.anchors.items() if k[0] in ids},
        offset_times={k: v for k, v in book.offset_times.items() if k[0] in ids},
        recent={k: v for k, v in book.recent.items() if k[0] in ids},
        stage_changes={k: v for k, v in book.stage_changes.items() if k in ids},
        deal_series={k: v for k, v in book.deal_series.items() if k in ids},
        deal_days={k: v for k, v in book.deal_days.items() if k[0] in ids},
        events={k: v for k, v in book.events.items() if k in ids},
        days_off={d for d in book.days_off if d[0] in ids},
    )


def split(book: Playbook, owner: dict[str, str]) -> dict[str, Playbook]:
    """A playbook cut into each owner's part (owner: group -> operator) in one pass: what
    restrict gives per operator, without a pass over the whole week's playbook for each."""
    parts: dict[str | None, Playbook] = defaultdict(Playbook)  # None: no such group
    for name in ("needs", "bans", "order", "tasks"):
        for entry in getattr(book, name):
            getattr(parts[owner.get(entry.group)], name).append(entry)
    for name in ("windows", "campaign_of", "anchors", "offset_times", "deal_days", "recent"):
        for key, value in getattr(book, name).items():
            getattr(parts[owner.get(key[0])], name)[key] = value
    for name in ("stage_changes", "deal_series", "events"):
        for key, value in getattr(book, name).items():
            getattr(parts[owner.get(key)], name)[key] = value
    for day_off in book.days_off:
        parts[owner.get(day_off[0])].days_off.add(day_off)
    return {op: parts[op] for op in sorted(set(owner.values()))}
