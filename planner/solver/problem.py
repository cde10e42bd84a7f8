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
from planner.campaigns.playbook import Playbook, restrict, split
from planner.campaigns.timeline import stage_on
from planner.models.common import Kind, Stage, TimeWindow
from planner.models.groups import Group
from planner.models.items import ItemBase, Live
from planner.models.rules import Caps, OperatorCapacity, Peak, RequiredPost, RulePacks
from planner.rules.catalogue import filters
from planner.rules.eligibility import bound_to_moments, group_topics, item_stages, promotional
from planner.rules.first_day import opening_kinds, opening_minute
from planner.rules.openers_once import once_kinds
from planner.rules.operator_capacity import capacity
from planner.rules.quiet_hours import quiet
from planner.rules.required_post import waived
from planner.rules.value import item_value, peak_weight
from planner.rules.working_hours import WorkingHours, working_hours
from planner.workspace.load import Workspace
from planner.workspace.rulepacks import peaks_on, resolve_caps


def week_start(day: date) -> date:
    """Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def holiday_warnings(ws: Workspace, day: date) -> list[str]:
    """Years of the week with no holiday file: their statutory days off are computed
    (planner.models.statutory), their adjusted working days are not known."""
    start = week_start(day)
    years = sorted({(start + timedelta(days=n)).year for n in range(7)})
    return [
        f"no rules/holidays/{year}.yaml: the days off of {year} (春节, 国庆节...) are computed, "
        f"but its adjusted working days (调休) are not known yet and plan as weekends; when "
        f"the State Council's notice for {year} is out, add rules/holidays/{year}.yaml to the "
        "workspace with its days_off and working_days (as the built-in 2026.yaml)"
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
    first_day_order: tuple[Kind, ...] = ()  # kinds that open the group's first day (first_day)
    waived: tuple[int, ...] = ()  # required posts outside the operator's hours (required_post)
    openers_once: tuple[Kind, ...] = ()  # kinds that go once, on that first day (openers_once)
    opens_by: int | None = None  # that first day's first opener goes before this minute


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
    daily_kinds: frozenset[str] = frozenset()  # kinds of a group's daily series (check-ins)
    book: Playbook = field(default_factory=Playbook)  # this problem's campaign rules
    previous: frozenset[tuple[int, str, int, int]] = frozenset()  # (group, item, day, slot)
    taken: dict[int, int] = field(default_factory=dict)  # absolute slot -> operator's other posts
    operator_zone: str = "UTC"  # where the operator's days begin (operator_daily_load)

    @property
    def slots_per_day(self) -> int:
        return 1440 // self.slot_minutes

    def singles(self) -> list[Problem]:
        """Each group's own problem (as group 0): what only the operator's capacity couples."""
        return self.parts([[g] for g in range(len(self.groups))])

    def parts(self, blocks: list[list[int]]) -> list[Problem]:
        """The blocks' problems (groups renumbered 0, 1, ... in a block's order; candidates made
        anew, replace() took 3x as long), with the operator's capacity, in one pass; a one-group
        block is named after its group."""
        where = {g: (b, n) for b, members in enumerate(blocks) for n, g in enumerate(members)}
        candidates, days = [[] for _ in blocks], [{} for _ in blocks]
        for c, (b, n) in ((c, where[c.group]) for c in self.candidates if c.group in where):
            candidates[b].append(Candidate(n, c.item, c.day, c.segment, c.value))
        for (g, d), gd in ((key, gd) for key, gd in self.group_days.items() if key[0] in where):
            days[where[g][0]][(where[g][1], d)] = replace(gd, group=where[g][1])
        out = []
        for b, members in enumerate(blocks):
            groups = [self.groups[g] for g in members]
            out.append(
                replace(
                    self,
                    id=f"{self.id}/{groups[0].id}" if len(groups) == 1 else self.id,
                    groups=groups,
                    zones=[self.zones[g] for g in members],
                    group_days=days[b],
                    candidates=candidates[b],
                    book=restrict(self.book, groups),
                    previous=frozenset(
                        (where[g][1], i, d, s) for g, i, d, s in self.previous if g in members
                    ),
                )
            )
        return out

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
    if gd.opens_by is not None:
        cuts.add(math.ceil(gd.opens_by / slot))
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
                peaks=peaks_on(ws.rules, group.type, when, group.id),
                festivals=tuple(ws.rules.holidays.festivals_on(when)),
                first_day_order=()
                if (group.id, when) in book.days_off
                else opening_kinds(ws.rules.stages.stages, group, when, book),
                waived=waived(ws, group, when, stage),
                openers_once=once_kinds(rule),
                opens_by=opening_minute(ws, group, when, book),
            )
        )
    return out


_ITEM, _DAY, _SLOT = filters("item"), filters("day"), filters("slot")


@dataclass(frozen=True)
class Filtering:
    """What the catalogue's candidate filters read of one group's week."""

    group: Group
    rules: RulePacks
    book: Playbook
    bound: frozenset[str]  # items a campaign binds to the group: any stage, its windows only
    bans: list
    slot_minutes: int
    stages: dict[str, set[Stage]]
    topics: frozenset[str]  # the group's business topics (its own, else planner.yaml's)
    hours: WorkingHours | None = None  # the operator's working hours (None: any time)
    moment_items: frozenset[str] = frozenset()  # bound in a moment role somewhere: eligibility

    def stages_of(self, item: ItemBase) -> set[Stage]:
        return self.stages[item.id]


def filtering_of(
    ws: Workspace, group: Group, book: Playbook, stages, hours, moment_items: frozenset[str]
) -> Filtering:
    """The filters' view of one group: what campaigns bind and ban there, its topics
    (`moment_items`: bound_to_moments of the workspace, computed once by the caller)."""
    return Filtering(
        group,
        ws.rules,
        book,
        frozenset(item for (owner, item) in book.windows if owner == group.id),
        [ban for ban in book.bans if ban.group == group.id],
        ws.settings.slot_minutes,
        stages,
        group_topics(group, ws.settings.topics),
        hours,
        moment_items,
    )


def _candidates(
    f: Filtering, g: int, gd: GroupDay, items: list[ItemBase], start: date, zone: str
) -> list[Candidate]:
    """Every (item, segment) of a group-day that the slot-level filters admit."""
    slot = f.slot_minutes
    # per segment once, not per item: its start, and quiet hours close whole segments
    open_segments = [
        (k, segment, start_of_slot(start, gd.day, segment.first, slot, zone))
        for k, segment in enumerate(gd.segments)
        if not quiet(gd, segment.first * slot)
    ]
    out = []
    for item in items:
        fit = gd.fits.get(item.kind, 1)
        value = item_value(f.rules, item)
        for k, segment, when in open_segments:
            minute = segment.first * slot
            if all(r.admits(f, item, gd, minute, when) for r in _SLOT):
                out.append(Candidate(g, item.id, gd.day, k, value * segment.weight * fit))
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
    days: dict[tuple[int, int], GroupDay] = {}
    candidates: list[Candidate] = []
    stages = {item_id: item_stages(item, ws.rules) for item_id, item in ws.items.items()}
    hours = working_hours(ws, operator)
    moment_items = bound_to_moments(ws.campaigns)
    edges = hours.edges(start - timedelta(days=1), start + timedelta(days=7)) if hours else []
    for g, group in enumerate(groups):
        f = filtering_of(ws, group, book, stages, hours, moment_items)
        moments = [m.astimezone(ZoneInfo(zones[g])) for m in book.moments(group.id) + edges]
        fitting = [i for i in ws.items.values() if all(r.admits(f, i) for r in _ITEM)]
        for gd in group_days(ws, group, g, start, book):
            items = [i for i in fitting if all(r.admits(f, i, gd) for r in _DAY)]
            gd = replace(
                gd, segments=_segments(gd, items, slot, ws.rules.peaks.base_weight, moments)
            )
            days[(g, gd.day)] = gd
            candidates += _candidates(f, g, gd, items, start, zones[g])
    return Problem(
        id=operator,
        week_start=start,
        slot_minutes=slot,
        groups=groups,
        zones=zones,
        items=ws.items,
        group_days=days,
        candidates=candidates,
        operator=capacity(ws, operator),
        operator_zone=ws.settings.operator_zone(operator),
        promotional=frozenset(i.id for i in ws.items.values() if promotional(i, ws.rules)),
        daily_kinds=frozenset(ws.rules.caps.daily_kinds),
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
