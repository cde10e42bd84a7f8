"""Memory across weeks: what earlier weeks posted still binds this one.

An item posted near the end of last week keeps its cooldown into this week, a `weekly`
item waits seven days from its last post, and a once-item waits caps.yaml's
once_items_reuse_weeks before it goes out again in the same group. These become bans
from the week's start, named for the rule they keep (item_reuse). The days each item went
out in the six days before the week are kept as they are (Playbook.recent): the item_days
rule counts them in its seven-day window.
"""

from __future__ import annotations

from datetime import timedelta

from planner.campaigns.builder import Builder, Implicit, local_time

WINDOW_DAYS = 7  # item_days' window, and a `weekly` item's rest


def memory(b: Builder, history) -> None:
    """Bans from each (group, item)'s latest earlier post (planner.run.history.History),
    and the days of the week before that the item_days window reaches."""
    groups = {g.id: g for g in b.ws.groups}
    reuse_weeks = b.ws.rules.caps.once_items_reuse_weeks
    marker = Implicit("history")
    for (group_id, item_id), post in sorted(history.last_posted().items()):
        group, item = groups.get(group_id), b.ws.items.get(item_id)
        if group is None or item is None:
            continue
        zone = b.zone(group)
        day = post.start.astimezone(zone).date()
        start = local_time(b.week[0], zone)
        if item.cooldown_days > 0:
            until = local_time(day + timedelta(days=item.cooldown_days), zone)
            label = f"{item_id} was posted on {day}, cooldown_days is {item.cooldown_days}"
            b.ban(marker, group, (item_id,), start, until, label, rule="item_reuse")
        if item.repeat == "weekly":
            until = local_time(day + timedelta(days=WINDOW_DAYS), zone)
            label = f"{item_id} was posted on {day}, repeat is weekly (7 days apart)"
            b.ban(marker, group, (item_id,), start, until, label, rule="item_reuse")
        if item.repeat == "once" and reuse_weeks > 0:
            until = local_time(day + timedelta(weeks=reuse_weeks), zone)
            label = f"{item_id} was posted on {day}, once_items_reuse_weeks is {reuse_weeks}"
            b.ban(marker, group, (item_id,), start, until, label, rule="item_reuse")
    recent(b, history, groups)


def recent(b: Builder, history, groups: dict) -> None:
    """Playbook.recent: each (group, item)'s local days in the six days before the week
    (`groups`: the workspace's, by id)."""
    first = b.week[0] - timedelta(days=WINDOW_DAYS - 1)
    days: dict[tuple[str, str], set] = {}
    for post in history.earlier:
        group = groups.get(post.group)
        if group is None or post.item not in b.ws.items:
            continue
        day = post.start.astimezone(b.zone(group)).date()
        if first <= day < b.week[0]:
            days.setdefault((post.group, post.item), set()).add(day)
    b.book.recent.update({key: tuple(sorted(found)) for key, found in sorted(days.items())})
