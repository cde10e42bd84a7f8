"""Say in the user's words why a week cannot be planned: which rules, from which file and line.

Each rule of the catalogue says itself (`explain`); this module only groups the rule
instances in conflict by group and day and, where the conflict is a demand nothing can
meet, asks the candidate filters which of them keeps every suitable item out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from planner.campaigns.playbook import Playbook
from planner.rules.catalogue import BY_NAME, filters
from planner.rules.eligibility import bound_to_moments, item_stages
from planner.rules.sources import Sources
from planner.rules.working_hours import working_hours
from planner.solver.model import Guard
from planner.solver.problem import Filtering, GroupDay, Problem, filtering_of
from planner.workspace.load import Workspace
from planner.workspace.templates import WEEKDAYS


class Conflict:
    """What a rule's sentence reads: the workspace, the groups and their playbook, where
    settings live, and (explaining a solve) the problem."""

    def __init__(self, ws: Workspace, groups: list, book: Playbook, problem: Problem | None = None):
        self.ws = ws
        self.problem = problem
        self.groups = groups
        self.items = ws.items
        self.book = book
        self.sources = Sources(ws)

    @classmethod
    def of(cls, ws: Workspace, problem: Problem) -> Conflict:
        return cls(ws, problem.groups, problem.book, problem)

    def group_of(self, gd: GroupDay):
        return self.groups[gd.group]

    def group_day(self, guard: Guard) -> GroupDay:
        return self.problem.group_days[(guard.group, guard.day if guard.day is not None else 0)]

    def cap_text(self, guard: Guard, path: tuple) -> str:
        """`caps.<path> is <value> (file:line)` as it held on the guard's group-day."""
        gd = self.group_day(guard)
        value = gd.caps
        for part in path:
            value = value.get(part) if isinstance(value, dict) else getattr(value, part)
        group = self.problem.groups[guard.group].id
        source = self.sources.caps(group, str(gd.stage) if gd.stage else None, path)
        return f"caps.{'.'.join(path)} is {value} ({source})"


def describe_conflict(ws: Workspace, problem: Problem, guards: list[Guard]) -> list[str]:
    """One sentence per group-day (or operator) in conflict: what is asked, but what keeps
    it out."""
    x = Conflict.of(ws, problem)
    by_place: dict[tuple, list[Guard]] = defaultdict(list)
    for guard in guards:
        by_place[(guard.group, guard.day)].append(guard)
    sentences = []
    for (g, d), found in sorted(by_place.items(), key=lambda kv: (kv[0][0], kv[0][1] or -1)):
        demands = [gd for gd in found if BY_NAME[gd.rule].demand]
        limits = [gd for gd in found if not BY_NAME[gd.rule].demand]
        parts = list(dict.fromkeys(BY_NAME[g.rule].explain(x, g) for g in demands + limits))
        if demands and not limits:
            parts += [reason for guard in demands for reason in _why_unmet(x, guard)]
        sentences.append(f"{_where(problem, g, d)}: {parts[0]}" + _but(parts[1:]))
    return sentences


def _where(problem: Problem, g: int, d: int | None) -> str:
    if g < 0:
        return f"operator {problem.id}"
    where = f"group {problem.groups[g].id}"
    if d is not None:
        day = problem.week_start + timedelta(days=d)
        where += f", {WEEKDAYS['en'][day.weekday()]} {day.isoformat()}"
    return where


def _but(rest: list[str]) -> str:
    return " but " + "; ".join(rest) if rest else ""


@dataclass(frozen=True)
class _Demand:
    """What a demand asks for: the items that could meet it, in words, and its window."""

    wanted: list
    what: str
    inside: Callable[[int, datetime], bool]  # (minute of day, start) -> inside its window
    count: int = 1
    need: object = None  # the campaign need, for a campaign's demand


def _demand(x: Conflict, guard: Guard, gd: GroupDay) -> _Demand:
    items = x.items
    if guard.rule == "required_post":
        required = gd.required[guard.detail[0]]
        wanted = [i for i in items.values() if i.kind in required.kinds]
        window = required.window
        return _Demand(
            wanted,
            "/".join(required.kinds),
            lambda minute, when: window is None or window.contains(minute),
            required.count,
        )
    need = x.book.needs[guard.detail[0]]
    wanted = [items[i] for i in need.items if i in items]
    return _Demand(
        wanted, ", ".join(need.items), lambda m, when: need.start <= when < need.end, need=need
    )


def _why_unmet(x: Conflict, guard: Guard) -> list[str]:
    """A demand no candidate can meet: for each item that could meet it, the first filter
    that keeps it out of that group-day's window."""
    problem = x.problem
    gd = x.group_day(guard)
    demand = _demand(x, guard, gd)
    if not demand.wanted:
        return [f"the library has no {demand.what} item (add one)"]
    segments = [
        (segment, segment.first * problem.slot_minutes, _segment_start(problem, gd, segment))
        for segment in gd.segments
    ]
    segments = [(s, m, w) for s, m, w in segments if demand.inside(m, w)]
    placeable = {
        c.item
        for c in problem.candidates
        if c.group == guard.group
        and c.day == gd.day
        and problem.items[c.item] in demand.wanted
        and demand.inside(_minute(problem, c), _when(problem, c))
    }
    if placeable:
        if demand.count > sum(s.last - s.first for s, _, _ in segments):
            return [BY_NAME["one_post_per_slot"].explain(x, guard)]
        narrowed = _narrowed(x, guard, gd, demand, placeable, segments)
        if narrowed:
            return [narrowed]
        return [f"{', '.join(sorted(placeable))} could go out, but not within the rules above"]
    if not segments and demand.need is not None:
        return [f"no {demand.what} item can go out then: {_closed(x, demand.need, gd)}"]
    f = filtering(x, gd)
    slots = [(m, w) for _, m, w in segments]
    # items for other group types or businesses say nothing when some item would fit
    near = [i for i in demand.wanted if all(r.admits(f, i) for r in filters("item"))]
    ordered = sorted(near or demand.wanted, key=lambda i: i.id)
    reasons = list(dict.fromkeys(_first_refusal(x, f, item, gd, slots) for item in ordered[:5]))
    more = f" (and {len(ordered) - 5} more)" if len(ordered) > 5 else ""
    return [f"no {demand.what} item can go out then: " + "; ".join(reasons) + more]


def _narrowed(x: Conflict, guard: Guard, gd: GroupDay, demand, placeable, segments) -> str:
    """When a slot filter (an operator's hours) leaves fewer slots of the window open
    than the demand's count: that filter's words ("" when the slots are not the cause)."""
    problem = x.problem
    used = {
        c.segment
        for c in problem.candidates
        if c.group == guard.group
        and c.day == gd.day
        and c.item in placeable
        and demand.inside(_minute(problem, c), _when(problem, c))
    }
    room = sum(gd.segments[k].last - gd.segments[k].first for k in used)
    closed = [(m, w) for s, m, w in segments if gd.segments.index(s) not in used]
    if demand.count <= room or not closed:
        return ""
    item = problem.items[min(placeable)]
    refused = _first_refusal(x, filtering(x, gd), item, gd, closed)
    slots = "slot" if room == 1 else "slots"
    return f"only {room} {slots} of its window can take one: {refused}"


def _closed(x: Conflict, need, gd: GroupDay) -> str:
    """Why a campaign window has no open slot: before the week, or in quiet hours."""
    problem = x.problem
    local = need.start.astimezone(ZoneInfo(problem.zones[gd.group]))
    if need.end.astimezone(ZoneInfo(problem.zones[gd.group])).date() <= problem.week_start:
        return "its window lies before this week"
    quiet = gd.caps.quiet_hours
    if quiet is not None and quiet.contains(local.hour * 60 + local.minute):
        source = x.sources.caps(problem.groups[gd.group].id, str(gd.stage), ("quiet_hours",))
        return f"{local:%H:%M} is in quiet hours {quiet} ({source})"
    if gd.stage is None:
        return "the group has no stage then (not started, or dissolved)"
    return "no slot of its window is open"


def _segment_start(problem: Problem, gd: GroupDay, segment):
    return problem.start_of(gd.group, gd.day, segment.first)


def _minute(problem: Problem, c) -> int:
    return problem.group_days[(c.group, c.day)].segments[c.segment].first * problem.slot_minutes


def _when(problem: Problem, c):
    first = problem.group_days[(c.group, c.day)].segments[c.segment].first
    return problem.start_of(c.group, c.day, first)


def filtering(x: Conflict, gd: GroupDay) -> Filtering:
    """The candidate filters' view of a group-day's group, as the problem builder has it."""
    group = x.group_of(gd)
    stages = {item_id: item_stages(item, x.ws.rules) for item_id, item in x.items.items()}
    hours = working_hours(x.ws, group.operator)
    return filtering_of(x.ws, group, x.book, stages, hours, bound_to_moments(x.ws.campaigns))


def day_refusal(x: Conflict, f: Filtering, item, gd: GroupDay) -> str | None:
    """Why the per-group and per-day filters keep `item` out of this group-day, or None."""
    for rule in filters("item"):
        if not rule.admits(f, item):
            return rule.refuses(x, item, gd)
    for rule in filters("day"):
        if not rule.admits(f, item, gd):
            return rule.refuses(x, item, gd)
    return None


def _first_refusal(x: Conflict, f: Filtering, item, gd: GroupDay, segments: list) -> str:
    """The first filter that refuses `item` on this group-day, or in every open slot of
    the window; quiet hours when no slot of the window is open at all."""
    refused = day_refusal(x, f, item, gd)
    if refused is not None:
        return refused
    if not segments:
        return BY_NAME["quiet_hours"].refuses(x, item, gd)
    for rule in filters("slot"):
        if all(not rule.admits(f, item, gd, minute, when) for minute, when in segments):
            return rule.refuses(x, item, gd)
    return _refused_together(x, f, item, gd, segments)


def _refused_together(x: Conflict, f: Filtering, item, gd: GroupDay, segments: list) -> str:
    """No one filter refuses every slot, but each slot is refused by one (an item's own
    window and its operator's hours that do not overlap): name each such filter."""
    refusing = []
    for minute, when in segments:
        rule = next((r for r in filters("slot") if not r.admits(f, item, gd, minute, when)), None)
        if rule is None:
            return f"{item.id} finds no open slot then"
        refusing.append(rule)
    reasons = [rule.refuses(x, item, gd) for rule in dict.fromkeys(refusing)]
    return " and ".join(reasons) + ", which leaves it no slot"
