"""Each group's event as the items about it see it: a pre-event poll goes out before it,
a photo prompt after it (`event_side`, planner.rules.event_side).

An offline event's `event_at` that a short_event campaign of the group binds is the event
itself (the earliest, when there are several). Without one, the campaign's `start` and
`end` days bound it: what is about before goes out before its first day, what is about
after from its last day on, so that neither is wrong whether the event fills those days or
only the last ("周四到周六每天有活动消息", the tasting on Saturday). A group without such a
campaign has its `event_end` day. A group with none has no known event: it is before
one, and its items about after wait for it.
"""

from __future__ import annotations

from planner.campaigns.builder import Builder, in_zone, local_time
from planner.campaigns.playbook import Event
from planner.models.common import Kind
from planner.models.groups import Group
from planner.rules.eligibility import campaign_targets


def event_moments(b: Builder) -> None:
    """Record each group's event in the playbook (campaigns first, then `event_end`)."""
    found: dict[str, Event] = {}
    for campaign in sorted(b.ws.campaigns, key=lambda c: c.id):
        if campaign.kind != "short_event":
            continue
        for group in campaign_targets(b.ws.groups, campaign):
            event = _of_campaign(b, campaign, group)
            if group.id not in found or event.first < found[group.id].first:
                found[group.id] = event
    for group in b.ws.groups:
        if group.id not in found and group.event_end is not None:
            day = local_time(group.event_end, b.zone(group))
            found[group.id] = Event(day, day, ("group", group.id, "event_end", "event_end"))
    b.book.events.update(sorted(found.items()))


def _of_campaign(b: Builder, campaign, group: Group) -> Event:
    """The earliest `event_at` the campaign binds, else its first and last day."""
    zone = b.zone(group)
    timed = sorted(
        (in_zone(item.event_at, zone), item.id)
        for item in (b.ws.items.get(binding.item) for binding in campaign.items)
        if item is not None and item.kind == Kind.offline_event and item.event_at is not None
    )
    if timed:
        moment, item_id = timed[0]
        return Event(moment, moment, ("item", item_id, "event_at", "event_at"))
    first, last = local_time(campaign.start, zone), local_time(campaign.end, zone)
    return Event(first, last, ("campaign", campaign.id, "start", "end"))
