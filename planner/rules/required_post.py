"""required_post: each stage's required posts every day, inside their window (not on a
day a lock keeps free, nor on a reactivation's day 1, nor where the window lies wholly
outside the operator's hours that day: see `waived_by_hours`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo

from planner.rules.catalogue import Rule
from planner.rules.sources import Sources
from planner.rules.working_hours import hours_text, off_all_along, working_hours

DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def counts(required, kind: str, minute: int) -> bool:
    """Does a post of `kind` at `minute` count towards `required`?"""
    return kind in required.kinds and (required.window is None or required.window.contains(minute))


def waived_by_hours(required, hours, zone: ZoneInfo, day: date) -> bool:
    """Does `required`'s window on `day` lie wholly outside the operator's hours? Then
    the stage does not ask for it that day: its window is a default of members' peaks,
    the hours say when anyone can post at all, and asking anyway would leave the whole
    group out of the week (a part-time operator's groups would get nothing)."""
    start, end = required.window.minutes() if required.window else (0, 1440)
    return off_all_along(hours, zone, day, start, end)


def waived(ws, group, day: date, stage) -> tuple[int, ...]:
    """Positions of `stage`'s required posts that `group`'s operator cannot post on `day`."""
    hours = working_hours(ws, group.operator)
    if hours is None or stage is None:
        return ()
    zone = ZoneInfo(group.timezone or ws.settings.timezone)
    required = ws.rules.stages.stages[stage].required
    return tuple(n for n, r in enumerate(required) if waived_by_hours(r, hours, zone, day))


def waived_reason(ws, group, day: date, stage, position: int) -> str:
    """Why a waived required post is not asked for, with both settings' file:line."""
    required = ws.rules.stages.stages[stage].required[position]
    source = Sources(ws).pack("stages", ("stages", str(stage), "required", position))
    hours = working_hours(ws, group.operator)
    return f"stage {stage} asks for {required} ({source}), but {hours_text(ws, hours, day)}"


def waived_warnings(waivers: Iterable[tuple[str, date, str]]) -> list[str]:
    """One warning per reason and days, naming its groups: (group id, day, waived_reason)."""
    days: dict[tuple[str, str], list[date]] = defaultdict(list)
    for group, day, reason in waivers:
        days[(group, reason)].append(day)
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (group, reason), on in days.items():
        groups[(reason, _days_text(on))].append(group)
    return [
        f"{', '.join(sorted(ids))} on {on}: {reason}; planned without it (widen the window "
        "in rules/stages.yaml, or give the group to an operator who works then)"
        for (reason, on), ids in sorted(groups.items(), key=_by_group_then_day)
    ]


def _by_group_then_day(entry) -> tuple:
    (reason, on), ids = entry
    return min(ids), DAY_ABBR.index(on[:3]), reason


def _days_text(days: list[date]) -> str:
    """Mon-Fri, Sat-Sun, Mon, Wed: runs of consecutive days shortened."""
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        DAY_ABBR[run[0].weekday()] + (f"-{DAY_ABBR[run[-1].weekday()]}" if len(run) > 1 else "")
        for run in runs
    )


def constrain(m) -> None:
    for (g, d), gd in sorted(m.problem.group_days.items()):
        for position, required in enumerate(gd.required):
            if position in gd.waived:
                continue
            ns = [
                n for n in m.by_gd.get((g, d), []) if counts(required, m.item(n).kind, m.minute(n))
            ]
            total = sum(m.z[n] for n in ns)
            m.add(total >= required.count, "required_post", g, d, (position,))


def check(c) -> None:
    for group in sorted(c.groups.values(), key=lambda g: g.id):
        posts = c.by_group.get(group.id, [])
        for day in c.days:
            stage = c.stage(group, day)
            if stage is None or (group.id, day) in c.book.days_off:
                continue
            todays = [p for p in posts if c.local(p).date() == day]
            off = waived(c.ws, group, day, stage)
            for position, required in enumerate(c.ws.rules.stages.stages[stage].required):
                if position in off:
                    continue
                found = sum(
                    counts(required, c.ws.items[p.item].kind, c.minute(c.local(p))) for p in todays
                )
                if found < required.count:
                    where = f" in {required.window}" if required.window else ""
                    wanted = f"{required.count} {'/'.join(required.kinds)}{where}"
                    message = f"stage {stage} needs {wanted}, found {found}"
                    c.add("required_post", group.id, day, message)


def explain(x, guard) -> str:
    gd = x.group_day(guard)
    required = gd.required[guard.detail[0]]
    source = x.sources.pack("stages", ("stages", str(gd.stage), "required", guard.detail[0]))
    posts = "post" if required.count == 1 else "posts"
    return f"stage {gd.stage} requires {required.count} {posts} ({required}) ({source})"


RULE = Rule(
    name="required_post",
    summary="Each stage's required posts every day, inside their window.",
    settings=("stages.<stage>.required",),
    constrain=constrain,
    check=check,
    explain=explain,
    demand=True,
)
