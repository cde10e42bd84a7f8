"""first_day: a group's first day in a stage with `first_day_order` (onboarding) has a
post of each of those kinds and opens with them in order (welcome, rules, intro) before
any other post: members who just joined read who we are and the rules before anything
else (a day one with only some of them read "welcome, intro, self-intro" and no rules).
With the stage's `opens_by`, the welcome goes before that time: a new group's day that
opened with its welcome at 18:30 had been open and silent all day."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from planner.campaigns.timeline import stage_on
from planner.models.common import Stage
from planner.rules.catalogue import Rule
from planner.rules.working_hours import off_all_along, working_hours


def opening_kinds(stages, group, day: date, book) -> tuple[str, ...]:
    """The kinds that must open `day` for `group`, in order; () unless it is the group's
    first day in a stage with a first_day_order, coming from no stage or from launch."""
    stage = stage_on(group, day, book)
    if stage is None or not stages[stage].first_day_order:
        return ()
    before = stage_on(group, day - timedelta(days=1), book)
    if before not in (None, Stage.launch) or before == stage:
        return ()
    return tuple(stages[stage].first_day_order)


def opening_minute(ws, group, day: date, book) -> int | None:
    """The minute of `day` by which its first opener goes (the stage's opens_by), on an
    opening day that is no day off; else None. Not for an operator who is off all morning
    until then (an evening operator opens the group when they start)."""
    stages = ws.rules.stages.stages
    if (group.id, day) in book.days_off or not opening_kinds(stages, group, day, book):
        return None
    opens_by = stages[stage_on(group, day, book)].opens_by
    if opens_by is None:
        return None
    minute = opens_by.hour * 60 + opens_by.minute
    zone = ZoneInfo(group.timezone or ws.settings.timezone)
    if off_all_along(working_hours(ws, group.operator), zone, day, 0, minute):
        return None
    return minute


def rank(order: tuple[str, ...], kind: str) -> int:
    """Position of `kind` on the opening day; every other kind comes after all of them."""
    return order.index(kind) if kind in order else len(order)


def constrain(m) -> None:
    for (g, d), gd in sorted(m.problem.group_days.items()):
        order = gd.first_day_order
        if not order:
            continue
        _each_kind_once(m, g, d, gd, order)
        _opens_by(m, g, d, gd, order[0])
        present: dict[tuple[int, int], object] = {}  # (rank, segment) -> a post there
        for n in m.by_gd.get((g, d), []):
            key = (rank(order, m.item(n).kind), m.candidate(n).segment)
            if key not in present:
                present[key] = m.model.new_bool_var(f"first_day{g}_{d}_{key[0]}_{key[1]}")
            m.model.add(m.z[n] <= present[key])
        for (late, s), later in present.items():
            for (early, t), earlier in present.items():
                if early < late and t >= s:
                    m.add(later + earlier <= 1, "first_day", g, d, (str(gd.stage),))


def _each_kind_once(m, g: int, d: int, gd, order) -> None:
    for kind in order:
        posts = [n for n in m.by_gd.get((g, d), []) if m.item(n).kind == kind]
        m.add(sum(m.z[n] for n in posts) >= 1, "first_day", g, d, (str(gd.stage), kind))


def _opens_by(m, g: int, d: int, gd, first: str) -> None:
    if gd.opens_by is None:
        return
    late = [
        n for n in m.by_gd.get((g, d), []) if m.item(n).kind == first and m.minute(n) >= gd.opens_by
    ]
    if late:
        m.add(sum(m.z[n] for n in late) <= 0, "first_day", g, d, (str(gd.stage), "opens_by"))


def check(c) -> None:
    stages = c.ws.rules.stages.stages
    for group in sorted(c.groups.values(), key=lambda g: g.id):
        for day in c.days:
            order = opening_kinds(stages, group, day, c.book)
            if not order or (group.id, day) in c.book.days_off:
                continue
            todays = [p for p in c.by_group.get(group.id, []) if c.local(p).date() == day]
            kinds = {c.ws.items[p.item].kind for p in todays}
            for kind in order:
                if kind not in kinds:
                    c.add("first_day", group.id, day, f"day one has no {kind} post")
            _check_opens_by(c, group, day, todays, order[0])
            ranked = sorted((p.start, rank(order, c.ws.items[p.item].kind)) for p in todays)
            ranks = [r for _, r in ranked]
            if ranks != sorted(ranks):
                opening = ", ".join(order)
                c.add("first_day", group.id, day, f"day one must open with {opening}")


def _check_opens_by(c, group, day: date, todays, first: str) -> None:
    minute = opening_minute(c.ws, group, day, c.book)
    openers = [c.local(p) for p in todays if c.ws.items[p.item].kind == first]
    if minute is not None and openers and min(t.hour * 60 + t.minute for t in openers) >= minute:
        opens_by = f"{minute // 60:02d}:{minute % 60:02d}"
        c.add("first_day", group.id, day, f"day one's {first} comes after {opens_by}")


def explain(x, guard) -> str:
    stage = guard.detail[0]
    gd = x.group_day(guard)
    order = ", ".join(gd.first_day_order)
    if guard.detail[1:] == ("opens_by",):
        source = x.sources.pack("stages", ("stages", stage, "opens_by"))
        opens_by = f"{gd.opens_by // 60:02d}:{gd.opens_by % 60:02d}"
        first = gd.first_day_order[0]
        return f"stage {stage}: a group's first day opens with its {first} by {opens_by} ({source})"
    source = x.sources.pack("stages", ("stages", stage, "first_day_order"))
    if len(guard.detail) > 1:
        kind = guard.detail[1]
        article = "an" if kind[0] in "aeiou" else "a"
        return f"stage {stage}: a group's first day has {article} {kind} post ({source})"
    return f"stage {stage}: a group's first day opens with {order} ({source})"


RULE = Rule(
    name="first_day",
    summary="A group's first onboarding day has a welcome, rules and intro, and opens "
    "with them in that order, the welcome by stages.<stage>.opens_by.",
    settings=("stages.<stage>.first_day_order", "stages.<stage>.opens_by"),
    constrain=constrain,
    check=check,
    explain=explain,
)
