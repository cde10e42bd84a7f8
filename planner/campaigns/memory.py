"""Memory across weeks: what earlier weeks posted still binds this one.

An item posted near the end of last week keeps its cooldown into this week, and a
once-item waits caps.yaml's once_items_reuse_weeks before it goes out again in the same
group. Both become bans from the week's start, named for the rule they keep (item_reuse).
"""

from __future__ import annotations

from datetime import timedelta

from planner.campaigns.builder import Builder, Implicit, local_time


def memory(b: Builder, history) -> None:
    """Bans from each (group, item)'s latest earlier post (planner.run.history.History)."""
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
        if item.repeat == "once" and reuse_weeks > 0:
            until = local_time(day + timedelta(weeks=reuse_weeks), zone)
            label = f"{item_id} was posted on {day}, once_items_reuse_weeks is {reuse_weeks}"
            b.ban(marker, group, (item_id,), start, until, label, rule="item_reuse")
