"""item_reuse: an item goes to a group at most once a day; `once` and `weekly` items once a
week; `cooldown_days` between two uses (across weeks too, through the playbook's memory)."""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import pairwise

from planner.rules.catalogue import Rule


def constrain(m) -> None:
    for (g, item_id), ns in sorted(m.by_gi.items()):
        item = m.problem.items[item_id]
        per_day: dict[int, list[int]] = defaultdict(list)
        for n in ns:
            per_day[m.candidate(n).day].append(n)
        for d, day_ns in sorted(per_day.items()):
            if len(day_ns) > 1:
                m.add(sum(m.z[n] for n in day_ns) <= 1, "item_reuse", g, d, (item_id,))
        if item.repeat in ("once", "weekly"):
            if len(per_day) > 1:
                m.add(sum(m.z[n] for n in ns) <= 1, "item_reuse", g, None, (item_id,))
        elif item.cooldown_days > 1:
            for start in range(7):
                span = [
                    n for d in range(start, start + item.cooldown_days) for n in per_day.get(d, [])
                ]
                if len({m.candidate(n).day for n in span}) > 1:
                    m.add(sum(m.z[n] for n in span) <= 1, "item_reuse", g, start, (item_id,))


def check(c) -> None:
    for group, posts in c.by_group.items():
        by_item: dict[str, list] = defaultdict(list)
        for post in posts:
            by_item[post.item].append(c.local(post).date())
        for item_id, days in sorted(by_item.items()):
            _check_item(c, group, c.ws.items[item_id], days)


def _check_item(c, group: str, item, days: list) -> None:
    for day, count in sorted(Counter(days).items()):
        if count > 1:
            c.add("item_reuse", group, day, f"item {item.id} posted {count} times in a day")
    if item.repeat in ("once", "weekly") and len(days) > 1:
        message = f"item {item.id} ({item.repeat}) posted {len(days)} times"
        c.add("item_reuse", group, c.plan.week, message)
    for earlier, later in pairwise(sorted(set(days))):
        if item.cooldown_days > 1 and (later - earlier).days < item.cooldown_days:
            message = (
                f"item {item.id} again after {(later - earlier).days} days, "
                f"cooldown_days is {item.cooldown_days}"
            )
            c.add("item_reuse", group, later, message)


def explain(x, guard) -> str:
    item = x.items[guard.detail[0]]
    if item.repeat in ("once", "weekly"):
        return f"{item.id} goes out {item.repeat} ({x.sources.item(item.id, 'repeat')})"
    if item.cooldown_days > 1:
        source = x.sources.item(item.id, "cooldown_days")
        return f"{item.id} rests cooldown_days {item.cooldown_days} between uses ({source})"
    return f"{item.id} goes to a group at most once a day"


RULE = Rule(
    name="item_reuse",
    summary="An item at most once a day per group; once/weekly items once a week; "
    "cooldown_days between uses.",
    settings=("item repeat", "item cooldown_days", "caps.once_items_reuse_weeks"),
    constrain=constrain,
    check=check,
    explain=explain,
)
