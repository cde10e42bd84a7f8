"""campaign_ban: nothing a campaign or a lock forbids goes out (after a deadline or a
dissolve notice, during a live, on a lock's day off); items that rest after an earlier
week's use are banned the same way and reported as item_reuse."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner.rules.catalogue import Rule


def admits(f, item, gd, minute: int, when) -> bool:
    return not any(ban.covers(item.id, when) for ban in f.bans)


def check(c) -> None:
    for ban in c.book.bans:
        for post in c.by_group.get(ban.group, []):
            if ban.covers(post.item, post.start):
                rule = "item_reuse" if ban.rule == "item_reuse" else "campaign_ban"
                c.add(rule, post, post.start, f"{ban.label} ({post.item})")


def refuses(x, item, gd) -> str:
    """The bans that keep `item` out of the group on that day, each with its source."""
    group = x.group_of(gd)
    zone = ZoneInfo(group.timezone or x.ws.settings.timezone)
    day_start = datetime.combine(gd.date, time(0, 0), tzinfo=zone)
    day_end = day_start + timedelta(days=1)
    labels = [
        _label(x, ban, item)
        for ban in x.book.bans
        if ban.group == group.id
        and (ban.items is None or item.id in ban.items)
        and item.id not in ban.keep
        and ban.start < day_end
        and day_start < ban.end
    ]
    return f"{item.id} is kept out: {'; '.join(dict.fromkeys(labels)) or 'a campaign forbids it'}"


def _label(x, ban, item) -> str:
    """A ban in the user's words; one that memory across weeks made names its setting."""
    if ban.rule != "item_reuse":
        return ban.label  # campaigns and locks name their own file and line
    if "cooldown_days" in ban.label:
        return f"{ban.label} ({x.sources.item(item.id, 'cooldown_days')})"
    if "repeat is weekly" in ban.label:
        return f"{ban.label} ({x.sources.item(item.id, 'repeat')})"
    return f"{ban.label} ({x.sources.pack('caps', ('once_items_reuse_weeks',))})"


def explain(x, guard) -> str:
    return refuses(x, x.items[guard.detail[0]], x.group_day(guard))


RULE = Rule(
    name="campaign_ban",
    summary="Nothing a campaign or a lock forbids goes out.",
    settings=("campaigns.yaml", "locks.yaml", "caps.once_items_reuse_weeks"),
    admits=admits,
    refuses=refuses,
    level="slot",
    check=check,
    explain=explain,
)
