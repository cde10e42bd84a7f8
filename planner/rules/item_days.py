"""item_days: an item goes to a group on at most caps.item_days_per_week days a week, so
the same article does not run day after day, and not on the Monday after the Sunday it
went out (Playbook.recent: the week before's days). Items of a daily series (caps
daily_kinds, the check-ins) are exempt. The tightest limit among the days the group has a
stage holds; a limit of 7 lets an item go every day, across weeks too. The seven-day
window that reaches into the week before is the item_days_window term: a week must stay
possible when the week before used the library up."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from planner.rules.catalogue import Rule


def week_limit(days) -> int | None:
    """The tightest item_days_per_week of the group-days that have a stage (None: no day
    limits it below seven)."""
    limits = [gd.caps.item_days_per_week for gd in days if gd.stage is not None]
    limit = min(limits, default=7)
    return limit if limit < 7 else None


def constrain(m) -> None:
    daily = m.problem.daily_kinds
    for (g, item_id), ns in sorted(m.by_gi.items()):
        if m.problem.items[item_id].kind in daily:
            continue
        days = [m.problem.group_days[(g, d)] for d in range(7)]
        limit = week_limit(days)
        by_day = days_of(m, ns)
        if limit is not None and len(by_day) > limit:
            # item_reuse keeps an item to one post a day, so posts count days
            m.add(sum(m.z[n] for n in ns) <= limit, "item_days", g, None, (item_id,))
        earlier = offsets(m.problem.book.recent, m.problem.groups[g].id, item_id, days[0].date)
        if limit is not None and -1 in earlier and by_day.get(0):
            m.add(sum(m.z[n] for n in by_day[0]) == 0, "item_days", g, 0, (item_id, "after"))


def days_of(m, ns: list[int]) -> dict[int, list[int]]:
    """The candidates `ns` (one group's of one item) by their day."""
    out: dict[int, list[int]] = defaultdict(list)
    for n in ns:
        out[m.candidate(n).day].append(n)
    return out


def offsets(recent, group: str, item: str, monday: date) -> list[int]:
    """The days before the week (-6..-1) the item went out in the group."""
    return [(day - monday).days for day in recent.get((group, item), ())]


def check(c) -> None:
    daily = set(c.ws.rules.caps.daily_kinds)
    for group_id, posts in c.by_group.items():
        group = c.groups[group_id]
        days: dict[str, set] = defaultdict(set)
        for post in posts:
            if c.ws.items[post.item].kind not in daily:
                days[post.item].add(c.local(post).date())
        limits = [c.caps(group_id, d).item_days_per_week for d in c.days if c.stage(group, d)]
        limit = min(limits, default=7)
        for item_id, used in sorted(days.items()):
            if len(used) > limit:
                message = f"item {item_id} on {len(used)} days, caps.item_days_per_week is {limit}"
                c.add("item_days", group_id, c.plan.week, message)
            earlier = set(c.book.recent.get((group_id, item_id), ()) if limit < 7 else ())
            for day in sorted(used):
                if day - timedelta(days=1) in earlier:
                    message = f"item {item_id} again the day after {day - timedelta(days=1)}"
                    c.add("item_days", group_id, day, message)


def explain(x, guard) -> str:
    days = [x.problem.group_days[(guard.group, d)] for d in range(7)]
    tight = min(
        (gd for gd in days if gd.stage is not None), key=lambda gd: gd.caps.item_days_per_week
    )
    group = x.groups[guard.group].id
    source = x.sources.caps(group, str(tight.stage), ("item_days_per_week",))
    limit = tight.caps.item_days_per_week
    item = guard.detail[0]
    if guard.detail[1:] == ("after",):
        last = max(x.problem.book.recent[(group, item)])
        return f"{item} went out on {last}, not again the next day (item_days, {source})"
    return f"{item} on at most {limit} days a week: caps.item_days_per_week ({source})"


RULE = Rule(
    name="item_days",
    summary="An item goes to a group on at most caps.item_days_per_week days a week, and "
    "not the day after the week before's last (daily series such as check-ins exempt).",
    settings=("caps.item_days_per_week", "caps.daily_kinds"),
    constrain=constrain,
    check=check,
    explain=explain,
)
