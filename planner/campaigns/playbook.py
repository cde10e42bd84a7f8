"""Campaigns and playbooks as plain rules over time: what must, may and must not be posted when.

One reading of campaigns.yaml (and of short-event groups' `event_end`) serves the
problem builder, the verifier and the report alike, so they can never disagree
on what a campaign asks for. Each rule names its campaign and role and says
itself in the user's words; nothing here knows about the solver.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner.models.campaigns import (
    LaunchCampaign,
    LiveCampaign,
    ReactivationCampaign,
    SevenDayRetentionCampaign,
    ShortEventCampaign,
    TrainingCampCampaign,
)
from planner.models.common import GroupType, Kind, Stage
from planner.models.groups import Group
from planner.rules.eligibility import campaign_targets, fits_topics, group_topics
from planner.workspace.load import Workspace


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
    # (group, date) the user keeps free (locks.yaml no_posts): no required posts that day
    days_off: set[tuple[str, date]] = field(default_factory=set)
    # (group, item) -> deals of a seven-day retention, in order (for next_item)
    deal_series: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def allowed(self, group: str, item: str, start: datetime) -> bool:
        """May this item go out in this group at `start`? (Always, unless a campaign binds it.)"""
        windows = self.windows.get((group, item))
        return windows is None or any(a <= start < b for a, b in windows)


def _zone(ws: Workspace, group: Group) -> ZoneInfo:
    return ZoneInfo(group.timezone or ws.settings.timezone)


def _at(day: date, zone: ZoneInfo, clock: time = time(0, 0)) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone)


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    """Campaign times are local to the group when written without an offset."""
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


def _roles(campaign, role: str, ws: Workspace) -> tuple[str, ...]:
    bound = sorted((b for b in campaign.items if b.role == role), key=lambda b: (b.order, b.item))
    return tuple(b.item for b in bound if b.item in ws.items)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


class _Builder:
    def __init__(self, ws: Workspace, week_start: date):
        self.ws = ws
        self.week = (week_start, week_start + timedelta(days=7))
        self.book = Playbook()

    def in_week(self, start: datetime, end: datetime, zone: ZoneInfo) -> bool:
        return start < _at(self.week[1], zone) and end > _at(self.week[0], zone)

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
            and end <= _at(self.week[0], zone)
            and self.in_week(anchor, anchor + timedelta(seconds=1), zone)
        )
        if items and (self.in_week(start, end, zone) or missed):
            self.book.needs.append(
                Need(campaign.id, role, group.id, items, start, end, low, high, label)
            )

    def ban(self, campaign, group, items, start, end, label, keep=(), rule="campaign_ban"):
        if self.in_week(start, end, start.tzinfo):
            self.book.bans.append(Ban(campaign.id, group.id, items, start, end, label, keep, rule))

    # -- one method per campaign kind ------------------------------------------------------
    def launch(self, c: LaunchCampaign, group: Group) -> None:
        zone = _zone(self.ws, group)
        launch, deadline = _local(c.launch_at, zone), _local(c.deadline, zone)
        near, far = c.teaser_days_before
        first = _at(launch.date() - timedelta(days=max(near, far)), zone)
        last = _at(launch.date() - timedelta(days=min(near, far) - 1), zone)
        teasers = _roles(c, "teaser", self.ws)
        self.need(
            c,
            group,
            "teaser",
            teasers,
            first,
            last,
            1,
            None,
            f"a teaser {min(near, far)}-{max(near, far)} days before the launch "
            f"({first.date()} to {(last - timedelta(days=1)).date()})",
            anchor=launch,
        )
        slot = timedelta(minutes=self.ws.settings.slot_minutes)
        launches = _roles(c, "launch", self.ws)
        if launches:
            self.need(
                c,
                group,
                "launch",
                launches[:1],
                launch,
                launch + slot,
                1,
                1,
                f"the launch post at {launch:%Y-%m-%d %H:%M}",
            )
            self.window(c, group, launches[1:], launch, deadline)
        reminder_end = max(launch + slot, deadline - timedelta(hours=24))
        self.need(
            c,
            group,
            "reminder",
            _roles(c, "reminder", self.ws),
            launch + slot,
            reminder_end,
            1 if reminder_end > launch + slot else 0,
            None,
            f"a reminder between the launch and the last day ({reminder_end:%Y-%m-%d %H:%M})",
        )
        self.need(
            c,
            group,
            "last_call",
            _roles(c, "last_call", self.ws),
            reminder_end,
            deadline,
            1,
            None,
            f"a last call in the 24 hours before the deadline {deadline:%Y-%m-%d %H:%M}",
        )
        every = tuple(b.item for b in c.items if b.item in self.ws.items)
        self.ban(
            c,
            group,
            every,
            deadline,
            _at(self.week[1] + timedelta(days=1), zone),
            f"nothing of campaign {c.id} after its deadline {deadline:%Y-%m-%d %H:%M}",
        )

    def live(self, c: LiveCampaign, group: Group) -> None:
        zone = _zone(self.ws, group)
        start = _local(c.start, zone)
        end = start + timedelta(minutes=c.duration_minutes)
        slot = timedelta(minutes=self.ws.settings.slot_minutes)
        lives = _roles(c, "live", self.ws)
        self.need(
            c,
            group,
            "live",
            lives[:1],
            start,
            start + slot,
            1,
            1,
            f"the live at {start:%Y-%m-%d %H:%M} for {c.duration_minutes} minutes",
        )
        self.ban(
            c,
            group,
            None,
            start + slot,
            end,
            f"no other post during the live ({start:%H:%M}-{end:%H:%M})",
        )
        self.ban(
            c, group, None, start, start + slot, "no other post at the live's start", keep=lives[:1]
        )
        reminders = _roles(c, "reminder", self.ws)
        for low, high in sorted(c.reminder_windows, reverse=True):
            self.need(
                c,
                group,
                "reminder",
                reminders,
                start - timedelta(minutes=high),
                start - timedelta(minutes=low) + timedelta(seconds=1),
                1,
                None,
                f"a reminder {low}-{high} minutes before the live",
                anchor=start,
            )
        self.need(
            c,
            group,
            "replay",
            _roles(c, "replay", self.ws),
            end,
            end + timedelta(hours=24),
            1,
            None,
            "a replay or recap within 24 hours after the live",
        )

    def seven_day_retention(self, c: SevenDayRetentionCampaign, group: Group) -> None:
        zone = _zone(self.ws, group)
        deals = _roles(c, "deal", self.ws)
        low, high = c.deals_per_day
        first = c.acquired_on + timedelta(days=1)
        for day in _days(first, c.acquired_on + timedelta(days=c.days)):
            self.need(
                c,
                group,
                "deal",
                deals,
                _at(day, zone),
                _at(day + timedelta(days=1), zone),
                low,
                high,
                f"{low}-{high} break-even deals on {day} "
                f"(day {(day - c.acquired_on).days} of the seven-day retention)",
            )
        self.book.deal_series[group.id] = deals
        if c.activation_after_days is not None:
            changes = self.book.stage_changes.setdefault(group.id, [])
            activation = c.acquired_on + timedelta(days=c.activation_after_days)
            changes += [(c.acquired_on, Stage.onboarding), (activation, Stage.activation)]

    def every_day(self, c, group: Group, role: str, first: date, last: date, what: str) -> None:
        """At least one post of the role on each day from `first` to `last`."""
        zone = _zone(self.ws, group)
        for day in _days(first, last):
            start, end = _at(day, zone), _at(day + timedelta(days=1), zone)
            self.need(
                c, group, role, _roles(c, role, self.ws), start, end, 1, None, f"{what} on {day}"
            )

    def training_camp(self, c: TrainingCampCampaign, group: Group) -> None:
        zone = _zone(self.ws, group)
        convert_from = c.end - timedelta(days=c.conversion_days - 1)
        self.every_day(c, group, "value", c.start, c.end, "value content (lesson, check-in or Q&A)")
        conversion = _roles(c, "conversion", self.ws)
        self.need(
            c,
            group,
            "conversion",
            conversion,
            _at(convert_from, zone),
            _at(c.end + timedelta(days=1), zone),
            1,
            None,
            f"conversion posts in the camp's last {c.conversion_days} days "
            f"({convert_from} to {c.end})",
        )
        promotional = tuple(sorted(self._promotional()))
        self.ban(
            c,
            group,
            promotional,
            _at(c.start, zone),
            _at(convert_from, zone),
            f"no promotion before the camp's last {c.conversion_days} days ({convert_from})",
        )
        for day in _days(convert_from, c.end):
            for item in _roles(c, "follow_up", self.ws):
                self.book.tasks.append(Task(c.id, group.id, item, day))
        self.window(c, group, _roles(c, "follow_up", self.ws), _at(c.end, zone), _at(c.end, zone))

    def short_event(self, c: ShortEventCampaign, group: Group) -> None:
        zone = _zone(self.ws, group)
        self.every_day(c, group, "event", c.start, c.end, "event posts")
        dissolve_day = c.end + timedelta(days=c.dissolve_after_days)
        thanks_end = min(c.end + timedelta(days=3), dissolve_day)
        self.need(
            c,
            group,
            "thanks",
            _roles(c, "thanks", self.ws),
            _at(c.end + timedelta(days=1), zone),
            _at(thanks_end, zone),
            1,
            None,
            f"a thank-you and what comes next after the event (by {thanks_end})",
        )
        self._dissolve(c, group, _roles(c, "dissolve", self.ws), dissolve_day)

    def _dissolve(self, c, group: Group, notices: tuple[str, ...], day: date) -> None:
        zone = _zone(self.ws, group)
        self.need(
            c,
            group,
            "dissolve",
            notices,
            _at(day, zone),
            _at(day + timedelta(days=1), zone),
            1,
            1,
            f"the dissolve notice on {day}",
        )
        self.ban(
            c,
            group,
            None,
            _at(day + timedelta(days=1), zone),
            _at(day + timedelta(days=400), zone),
            f"no posts after the dissolve notice ({day})",
        )
        self.book.stage_changes.setdefault(group.id, []).append((day + timedelta(days=1), None))
        others = tuple(sorted(set(self.ws.items) - set(notices)))
        self.book.order.append(
            Before(
                c.id, group.id, others, notices, day, "the dissolve notice is the day's last post"
            )
        )

    def reactivation(self, c: ReactivationCampaign, group: Group) -> None:
        zone = _zone(self.ws, group)
        day_one = _at(c.start, zone)
        next_day = _at(c.start + timedelta(days=1), zone)
        rename, theme = _roles(c, "rename", self.ws), _roles(c, "theme", self.ws)
        self.need(
            c,
            group,
            "rename",
            rename[:1],
            day_one,
            next_day,
            1,
            1,
            f"the rename notice on day 1 ({c.start})",
        )
        self.need(
            c,
            group,
            "theme",
            theme[:1],
            day_one,
            next_day,
            1,
            1,
            f"the image-first theme post on day 1 ({c.start})",
        )
        if rename and theme:
            self.book.order.append(
                Before(
                    c.id,
                    group.id,
                    rename[:1],
                    theme[:1],
                    c.start,
                    "the rename notice comes before the theme post",
                )
            )
        self.need(
            c,
            group,
            "seed",
            _roles(c, "seed", self.ws),
            day_one,
            _at(c.start + timedelta(days=3), zone),
            1,
            None,
            "a seeded interaction prompt for the atmosphere team in the first 3 days",
        )
        activation = c.start + timedelta(days=c.activation_after_days)
        first, last = c.start + timedelta(days=1), activation - timedelta(days=1)
        self.every_day(c, group, "checkin", first, last, "the daily check-in with points")
        changes = self.book.stage_changes.setdefault(group.id, [])
        changes += [(c.start, Stage.reactivation), (activation, Stage.activation)]

    def festivals(self) -> None:
        """A campaign tied to a festival goes out only while the festival runs."""
        calendar = self.ws.rules.holidays
        for campaign in self.ws.campaigns:
            if not campaign.festival:
                continue
            for group in campaign_targets(self.ws.groups, campaign):
                zone = _zone(self.ws, group)
                for binding in campaign.items:
                    key = (group.id, binding.item)
                    narrowed = []
                    for start, end in self.book.windows.get(key, []):
                        first = start.astimezone(zone).date()
                        last = (end - timedelta(microseconds=1)).astimezone(zone).date()
                        for day in _days(first, last):
                            if campaign.festival in calendar.festivals_on(day):
                                a = max(start, _at(day, zone))
                                b = min(end, _at(day + timedelta(days=1), zone))
                                if a < b:
                                    narrowed.append((a, b))
                    if key in self.book.windows:
                        self.book.windows[key] = narrowed

    def bindings(self) -> None:
        """A binding's own `day` (offset from the campaign's date) and `at` (local time)
        narrow the windows its role gives the item."""
        slot = timedelta(minutes=self.ws.settings.slot_minutes)
        for campaign in self.ws.campaigns:
            anchor = _anchor(campaign)
            for binding in campaign.items:
                if binding.day is None and binding.at is None:
                    continue
                for group in campaign_targets(self.ws.groups, campaign):
                    key = (group.id, binding.item)
                    if key not in self.book.windows:
                        continue
                    zone = _zone(self.ws, group)
                    narrowed = []
                    for start, end in self.book.windows[key]:
                        first = start.astimezone(zone).date()
                        last = (end - timedelta(microseconds=1)).astimezone(zone).date()
                        for day in _days(first, last):
                            if binding.day is not None and day != anchor + timedelta(
                                days=binding.day
                            ):
                                continue
                            a, b = _at(day, zone), _at(day + timedelta(days=1), zone)
                            if binding.at is not None:
                                a = _at(day, zone, binding.at)
                                b = a + slot
                            a, b = max(a, start), min(b, end)
                            if a < b:
                                narrowed.append((a, b))
                    self.book.windows[key] = narrowed

    def locks(self) -> None:
        """The user's locks (locks.yaml) as needs and bans, each naming its line."""
        doc = self.ws.docs.get("locks.yaml")
        groups = {g.id: g for g in self.ws.groups}
        slot = timedelta(minutes=self.ws.settings.slot_minutes)
        for position, lock in enumerate(self.ws.locks):
            group = groups.get(lock.group)
            if group is None or (lock.item is not None and lock.item not in self.ws.items):
                continue
            zone = _zone(self.ws, group)
            where = f"locks.yaml:{doc.line(('locks', position))}" if doc else "locks.yaml"
            marker = _Implicit(f"lock@{where}")
            if lock.at is not None and lock.item is not None:
                at = _local(lock.at, zone)
                if self.in_week(at, at + slot, zone):
                    self.book.needs.append(
                        Need(
                            marker.id,
                            "pin",
                            group.id,
                            (lock.item,),
                            at,
                            at + slot,
                            1,
                            1,
                            f"{lock.item} at {at:%Y-%m-%d %H:%M} ({where})",
                            "lock",
                        )
                    )
                continue
            if lock.date is not None:
                start, end = _at(lock.date, zone), _at(lock.date + timedelta(days=1), zone)
            else:
                start, end = _at(self.week[0], zone), _at(self.week[1], zone)
            items = None if lock.no_posts else (lock.item,)
            if lock.no_posts and lock.date is not None:
                self.book.days_off.add((group.id, lock.date))
            what = "no posts" if lock.no_posts else f"never {lock.item}"
            when = f" on {lock.date}" if lock.date else " this week"
            self.ban(marker, group, items, start, end, f"{what}{when} ({where})", rule="lock")

    def memory(self, history) -> None:
        """Earlier weeks: cooldowns and once-items reach across the week boundary."""
        groups = {g.id: g for g in self.ws.groups}
        reuse_weeks = self.ws.rules.caps.once_items_reuse_weeks
        marker = _Implicit("history")
        for (group_id, item_id), post in sorted(history.last_posted().items()):
            group, item = groups.get(group_id), self.ws.items.get(item_id)
            if group is None or item is None:
                continue
            zone = _zone(self.ws, group)
            day = post.start.astimezone(zone).date()
            start = _at(self.week[0], zone)
            if item.cooldown_days > 0:
                until = _at(day + timedelta(days=item.cooldown_days), zone)
                label = f"{item_id} was posted on {day}, cooldown_days is {item.cooldown_days}"
                self.ban(marker, group, (item_id,), start, until, label, rule="item_reuse")
            if item.repeat == "once" and reuse_weeks > 0:
                until = _at(day + timedelta(weeks=reuse_weeks), zone)
                label = (
                    f"{item_id} was posted on {day}: once-items wait {reuse_weeks} weeks "
                    "(caps.yaml once_items_reuse_weeks)"
                )
                self.ban(marker, group, (item_id,), start, until, label, rule="item_reuse")

    def _promotional(self) -> set[str]:
        kinds = set(self.ws.rules.caps.promotional_kinds)
        return {
            i.id
            for i in self.ws.items.values()
            if (i.promo if i.promo is not None else i.kind in kinds)
        }

    def implicit_dissolve(self, group: Group) -> None:
        """A short-event group with event_end and no short_event campaign still gets dissolved."""
        rule = self.ws.rules.group_types.group_types[GroupType.short_event]
        day = group.event_end + timedelta(days=rule.dissolve_after_days or 0)
        topics = group_topics(group, self.ws.settings.topics)
        notices = tuple(
            sorted(
                i.id
                for i in self.ws.items.values()
                if i.kind == Kind.dissolve_notice
                and (not i.group_types or group.type in i.group_types)
                and i.status == "ready"
                and fits_topics(i, topics)
            )
        )
        marker = _Implicit(f"{group.id}-dissolve")
        self._dissolve(marker, group, notices, day)


@dataclass(frozen=True)
class _Implicit:
    id: str


def _anchor(campaign) -> date:
    """The date a binding's `day` counts from."""
    for name in ("launch_at", "start"):
        value = getattr(campaign, name, None)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
    return campaign.acquired_on


KINDS = {
    "launch": _Builder.launch,
    "live": _Builder.live,
    "seven_day_retention": _Builder.seven_day_retention,
    "training_camp": _Builder.training_camp,
    "short_event": _Builder.short_event,
    "reactivation": _Builder.reactivation,
}


def playbook(ws: Workspace, week_start: date, history=None) -> Playbook:
    """What the campaigns, locks and earlier weeks ask of the week starting `week_start`."""
    builder = _Builder(ws, week_start)
    if history is not None:
        builder.memory(history)
    covered: set[str] = set()
    for campaign in sorted(ws.campaigns, key=lambda c: c.id):
        for group in campaign_targets(ws.groups, campaign):
            KINDS[campaign.kind](builder, campaign, group)
            if campaign.kind == "short_event":
                covered.add(group.id)
    for group in sorted(ws.groups, key=lambda g: g.id):
        if group.type == GroupType.short_event and group.event_end and group.id not in covered:
            builder.implicit_dissolve(group)
    builder.bindings()
    builder.festivals()
    builder.locks()
    for changes in builder.book.stage_changes.values():
        changes.sort(key=lambda change: change[0])
    return builder.book


def stage_on(group: Group, day: date, book: Playbook) -> Stage | None:
    """The group's stage on `day`: its own timeline, advanced by playbooks."""
    spans = [(span.from_, span.stage) for span in group.stages]
    spans += book.stage_changes.get(group.id, [])
    current = None
    for start, stage in sorted(spans, key=lambda s: s[0]):  # stable: playbooks win ties
        if start <= day:
            current = stage
    return current
