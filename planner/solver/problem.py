"""From a loaded workspace and a week to indexed, solver-ready problems.

A problem is one operator with their groups (operators couple their groups
through capacity); it holds, per group and day, the stage and resolved rules,
and the sparse candidates (group, item, day, slot) that every per-post rule
allows. Time comes in as the week's date; nothing here reads the clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from planner.campaigns.build import playbook
from planner.campaigns.playbook import Ban, Playbook, restrict, split
from planner.campaigns.timeline import stage_on
from planner.models.common import Kind, Stage, TimeWindow
from planner.models.groups import Group
from planner.models.items import ItemBase, Live
from planner.models.rules import Caps, OperatorCapacity, Peak, RequiredPost
from planner.rules.eligibility import campaign_only, fits_group_type, item_stages
from planner.workspace.load import Workspace
from planner.workspace.rulepacks import peaks_on, resolve_caps


def week_start(day: date) -> date:
    """Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def holiday_warnings(ws: Workspace, day: date) -> list[str]:
    """Years of the week with no holiday data: planned as plain weekdays and weekends."""
    start = week_start(day)
    years = sorted({(start + timedelta(days=n)).year for n in range(7)})
    return [
        f"no holiday data for {year} in rules/holidays/: public holidays and adjusted working "
        f"days (调休) are planned as ordinary days; add rules/holidays/{year}.yaml"
        for year in years
        if year not in ws.rules.holidays.years
    ]


@dataclass(frozen=True)
class Segment:
    """Consecutive slots of one group-day where every per-post rule and weight is the same.

    Any chosen item may take any chosen slot of its segment, so the model decides
    counts per segment and the slots separately: an exact and far smaller model
    than one boolean per (item, slot).
    """

    first: int  # first slot (inclusive)
    last: int  # last slot (exclusive)
    weight: int  # attention weight of every slot in it


@dataclass(frozen=True)
class GroupDay:
    """One group on one day: the stage in force and the rules that follow from it."""

    group: int
    day: int
    date: date
    stage: Stage | None  # None: before the group's timeline starts; nothing is posted
    caps: Caps
    fits: dict[Kind, int]
    required: tuple[RequiredPost, ...]
    mix: dict[Kind, float]
    peaks: tuple[Peak, ...]
    segments: tuple[Segment, ...] = ()
    festivals: tuple[str, ...] = ()  # shopping festivals running that day (双11, 618 ...)


@dataclass(frozen=True)
class Candidate:
    """Item `item` may go to group `group` in segment `segment` of `day`."""

    group: int
    item: str
    day: int
    segment: int
    value: int  # objective coefficient per post: item value x peak weight x stage fit


@dataclass
class Problem:
    """One independent scheduling problem: an operator and their groups for one week."""

    id: str
    week_start: date
    slot_minutes: int
    groups: list[Group]
    zones: list[str]
    items: dict[str, ItemBase]
    group_days: dict[tuple[int, int], GroupDay]
    candidates: list[Candidate]
    operator: OperatorCapacity
    promotional: frozenset[str]  # ids of items that count as promotional
    book: Playbook = field(default_factory=Playbook)  # this problem's campaign rules
    previous: frozenset[tuple[int, str, int, int]] = frozenset()  # (group, item, day, slot)
    taken: dict[int, int] = field(default_factory=dict)  # absolute slot -> operator's other posts

    @property
    def slots_per_day(self) -> int:
        return 1440 // self.slot_minutes

    def singles(self) -> list[Problem]:
        """Each group's own problem (as group 0), in one pass over the candidates: the parts
        that only an operator's capacity couples."""
        candidates: list[list[Candidate]] = [[] for _ in self.groups]
        for c in self.candidates:
            candidates[c.group].append(replace(c, group=0))
        days: list[dict[tuple[int, int], GroupDay]] = [{} for _ in self.groups]
        for (g, d), gd in self.group_days.items():
            days[g][(0, d)] = replace(gd, group=0)
        return [
            replace(
                self,
                id=f"{self.id}/{group.id}",
                groups=[group],
                zones=[self.zones[g]],
                group_days=days[g],
                candidates=candidates[g],
                book=restrict(self.book, [group]),
                previous=frozenset((0, i, d, s) for gg, i, d, s in self.previous if gg == g),
            )
            for g, group in enumerate(self.groups)
        ]

    def start_of(self, group: int, day: int, slot: int) -> datetime:
        """Local, time-zone aware start of a slot."""
        return start_of_slot(self.week_start, day, slot, self.slot_minutes, self.zones[group])

    def absolute_minute(self, group: int, day: int, slot: int) -> int:
        """Minutes since the week's start at UTC midnight, to compare groups in different
        zones. The epoch is the same for the operator's problem and each group's own
        (single) problem, so posts counted in one line up with slots of the other."""
        epoch = datetime.combine(self.week_start, datetime.min.time(), tzinfo=UTC)
        return int((self.start_of(group, day, slot) - epoch).total_seconds() // 60)


def start_of_slot(week: date, day: int, slot: int, slot_minutes: int, zone: str) -> datetime:
    local = datetime.combine(week + timedelta(days=day), datetime.min.time())
    return (local + timedelta(minutes=slot * slot_minutes)).replace(tzinfo=ZoneInfo(zone))


def slots_for(minutes: int, slot_minutes: int) -> int:
    """How many consecutive slots a window of `minutes` spans."""
    return max(1, math.ceil(minutes / slot_minutes))


def peak_weight(peaks: tuple[Peak, ...], minute: int, base: int) -> int:
    """The highest weight of the peaks covering `minute`, else the base weight."""
    weights = [peak.weight for peak in peaks if peak.window.contains(minute)]
    return max(weights) if weights else base


def _operator_capacity(ws: Workspace, operator: str) -> OperatorCapacity:
    default = ws.rules.caps.operator
    own = ws.settings.operators.get(operator)
    if own is None:
        return default
    return OperatorCapacity(
        max_posts=own.max_posts or default.max_posts,
        window_minutes=own.window_minutes or default.window_minutes,
    )


def _promotional(ws: Workspace) -> frozenset[str]:
    kinds = set(ws.rules.caps.promotional_kinds)
    return frozenset(
        item.id
        for item in ws.items.values()
        if (item.promo if item.promo is not None else item.kind in kinds)
    )


def _boundaries(window: TimeWindow | None, slot_minutes: int, slots: int) -> set[int]:
    """Slots where membership in `window` can change."""
    if window is None:
        return set()
    first, last = window.minutes()
    return {math.ceil(first / slot_minutes) % slots, math.ceil(last / slot_minutes) % slots}


def _segments(
    gd: GroupDay, items: list[ItemBase], slot: int, base: int, moments: list[datetime]
) -> tuple[Segment, ...]:
    slots = 1440 // slot
    cuts = {0, slots}
    for moment in moments:  # campaign windows starting or ending on this day
        if moment.date() == gd.date:
            cuts.add(math.ceil((moment.hour * 60 + moment.minute + moment.second / 60) / slot))
    windows = [gd.caps.quiet_hours, *(p.window for p in gd.peaks)]
    windows += [r.window for r in gd.required] + [i.window for i in items]
    for window in windows:
        cuts |= _boundaries(window, slot, slots)
    for item in items:
        if isinstance(item, Live) and item.start is not None and item.start.date() == gd.date:
            pinned = (item.start.hour * 60 + item.start.minute) // slot
            cuts |= {pinned, pinned + 1}
        elif isinstance(item, Live):
            # A live's own slot decides which later slots it blocks: one slot per segment
            # where it may start.
            first, last = item.window.minutes() if item.window else (0, 1440)
            cuts |= {s % slots for s in range(first // slot, math.ceil(last / slot) + 1)}
    ordered = sorted(c for c in cuts if 0 <= c <= slots)
    out = []
    for first, last in pairwise(ordered):
        minute = first * slot
        if gd.caps.quiet_hours is not None and gd.caps.quiet_hours.contains(minute):
            continue
        out.append(Segment(first, last, peak_weight(gd.peaks, minute, base)))
    return tuple(out)


def group_days(
    ws: Workspace, group: Group, index: int, start: date, book: Playbook
) -> list[GroupDay]:
    out = []
    for day in range(7):
        when = start + timedelta(days=day)
        stage = stage_on(group, when, book)
        rule = ws.rules.stages.stages[stage] if stage else None
        caps = resolve_caps(ws.rules.caps, group.type, stage or Stage.retention, group.caps)
        out.append(
            GroupDay(
                group=index,
                day=day,
                date=when,
                stage=stage,
                caps=caps,
                fits=dict(rule.kinds) if rule else {},
                required=tuple(rule.required)
                if rule and (group.id, when) not in book.days_off
                else (),
                mix=dict(rule.mix) if rule else {},
                peaks=peaks_on(ws.rules, group.type, when),
                festivals=tuple(ws.rules.holidays.festivals_on(when)),
            )
        )
    return out


def _quiet(gd: GroupDay, minute: int) -> bool:
    return gd.caps.quiet_hours is not None and gd.caps.quiet_hours.contains(minute)


def item_allows(item: ItemBase, gd: GroupDay, minute: int, slot_minutes: int) -> bool:
    """The item's own time rules: its window, a live's pinned start."""
    if item.window is not None and not item.window.contains(minute):
        return False
    if isinstance(item, Live) and item.start is not None:
        pinned = item.start.hour * 60 + item.start.minute
        if item.start.date() != gd.date or not (pinned <= minute < pinned + slot_minutes):
            return False
    return True


def item_on_day(item: ItemBase, gd: GroupDay, stages: set[Stage], bound: bool = False) -> bool:
    """Per-day rules: stage, validity, a kind limit that is not zero.

    An item a campaign binds to the group (`bound`) goes out in its campaign
    windows whatever the stage's kinds: the operator asked for it by name.
    """
    if gd.stage is None:
        return False
    if not bound and (gd.stage not in stages or item.kind not in gd.fits):
        return False
    if item.valid_from and gd.date < item.valid_from:
        return False
    if item.valid_until and gd.date > item.valid_until:
        return False
    if item.festival and item.festival not in gd.festivals:
        return False
    limit = gd.caps.kinds.get(item.kind)
    if limit is not None and (limit.per_day == 0 or limit.per_week == 0):
        return False
    return bound or not campaign_only(item)


def _day_candidates(
    gd: GroupDay,
    items: list[ItemBase],
    group: str,
    book: Playbook,
    bans: list[Ban],
    slot: int,
    zone: str,
) -> list[Candidate]:
    """The (item, segment) pairs of one group-day that the item's own time rules, its
    campaign windows and the group's bans (`bans`, from `book`) allow."""
    # per segment once, not per item: its start and whether quiet hours close it
    open_segments = [
        (k, segment, start_of_slot(gd.date, 0, segment.first, slot, zone))
        for k, segment in enumerate(gd.segments)
        if not _quiet(gd, segment.first * slot)
    ]
    out = []
    for item in items:
        fit = gd.fits.get(item.kind, 1)
        for k, segment, when in open_segments:
            if (
                item_allows(item, gd, segment.first * slot, slot)
                and book.allowed(group, item.id, when)
                and not any(ban.covers(item.id, when) for ban in bans)
            ):
                value = item.value * segment.weight * fit
                out.append(Candidate(gd.group, item.id, gd.day, k, value))
    return out


def build_problem(
    ws: Workspace,
    operator: str,
    groups: list[Group],
    start: date,
    book: Playbook,
    previous: list | None = None,
) -> Problem:
    """The candidates of one operator's groups for the week starting `start`.

    `book`: the week's playbook, built by the caller (its part for these groups is kept);
    `previous`: posts of this week's last plan, which a re-plan keeps where it can.
    """
    book = restrict(book, groups)
    slot = ws.settings.slot_minutes
    zones = [g.timezone or ws.settings.timezone for g in groups]
    base = ws.rules.peaks.base_weight
    days: dict[tuple[int, int], GroupDay] = {}
    candidates: list[Candidate] = []
    stages_of = {item_id: item_stages(item, ws.rules) for item_id, item in ws.items.items()}
    for g, group in enumerate(groups):
        fitting = [i for i in ws.items.values() if fits_group_type(i, group, ws.rules)]
        moments = [m.astimezone(ZoneInfo(zones[g])) for m in book.moments(group.id)]
        bans = [ban for ban in book.bans if ban.group == group.id]
        for gd in group_days(ws, group, g, start, book):
            bound = {i.id for i in fitting if (group.id, i.id) in book.windows}
            items = [i for i in fitting if item_on_day(i, gd, stages_of[i.id], i.id in bound)]
            gd = replace(gd, segments=_segments(gd, items, slot, base, moments))
            days[(g, gd.day)] = gd
            candidates += _day_candidates(gd, items, group.id, book, bans, slot, zones[g])
    return Problem(
        id=operator,
        week_start=start,
        slot_minutes=slot,
        groups=groups,
        zones=zones,
        items=ws.items,
        group_days=days,
        candidates=candidates,
        operator=_operator_capacity(ws, operator),
        promotional=_promotional(ws),
        book=book,
        previous=_previous_slots(previous or [], groups, start, slot),
    )


def _previous_slots(posts, groups: list[Group], start: date, slot: int):
    """Where this week's last plan put each post, as (group index, item, day, slot)."""
    index = {g.id: n for n, g in enumerate(groups)}
    out = set()
    for post in posts:
        if post.group not in index:
            continue
        local = post.start.astimezone(ZoneInfo(post.timezone))
        day = (local.date() - start).days
        minutes = local.hour * 60 + local.minute
        if 0 <= day < 7 and minutes % slot == 0:
            out.add((index[post.group], post.item, day, minutes // slot))
    return frozenset(out)


def build_problems(ws: Workspace, day: date, history=None) -> list[Problem]:
    """One problem per operator, in sorted operator order, built in this process (the
    planner builds them in its workers: planner.run.unit; tests and benchmarks here)."""
    start = week_start(day)
    books = split(playbook(ws, start, history), {g.id: g.operator for g in ws.groups})
    previous = history.previous.posts if history is not None and history.previous else []
    return [
        build_problem(ws, op, [ws.group(g) for g in ids], start, books[op], previous)
        for op, ids in ws.operators().items()
    ]
