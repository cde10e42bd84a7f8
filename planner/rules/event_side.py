"""event_side: an item about a group's event goes out only on its side of the event's
moment (`event_side: before`: a pre-event poll, a question about the way there; `during`:
today's favourite part of a market that runs for days, from its first moment on; `after`:
a photo prompt, a favourite moment): a text that says "这次活动你最期待什么" is wrong the
evening after the event, "晒照" the day before. A group with no known event is before it
(its event is not dated yet): it gets what is about before, never what is about after.

The event is the playbook's (planner.campaigns.events): an offline event's `event_at`, a
short_event campaign's days, or the group's `event_end`.
"""

from __future__ import annotations

from planner.rules.catalogue import Rule

WORDS = {"before": "before", "during": "from", "after": "from"}


def on_its_side(item, event, when) -> bool:
    """Does `item` belong at `when`, with the group's `event` (None: none known)?"""
    if item.event_side is None:
        return True
    if event is None:
        return item.event_side == "before"
    if item.event_side == "before":
        return when < event.first
    if item.event_side == "during":
        return when >= event.first
    return when >= event.last


def admits(f, item, gd, minute: int, when) -> bool:
    return on_its_side(item, f.book.events.get(f.group.id), when)


def check(c) -> None:
    for post, group, item, start in c.each_post():
        event = c.book.events.get(group.id)
        if on_its_side(item, event, start):
            continue
        if event is None:
            words = f"item {item.id} is about after an event; none is known"
        else:
            moment = _moment(event, item).astimezone(start.tzinfo)
            words = f"item {item.id} goes out {WORDS[item.event_side]} {moment:%F %H:%M}"
        c.add("event_side", post, start, words)


def refuses(x, item, gd) -> str:
    group = x.group_of(gd)
    event = x.book.events.get(group.id)
    said = f"event_side: {item.event_side}, {x.sources.item(item.id, 'event_side')}"
    if event is None:
        return (
            f"{item.id} is about after an event ({said}) and group {group.id} has none: give it "
            f"`event_end` ({x.sources.group(group.id)}) or a short_event campaign"
        )
    kind, owner, first_key, last_key = event.source
    key = last_key if item.event_side == "after" else first_key
    where = getattr(x.sources, kind)(owner, key)
    side, moment = WORDS[item.event_side], _moment(event, item)
    return f"{item.id} goes out only {side} the event at {moment:%a %H:%M} ({where}; {said})"


def _moment(event, item):
    """The side's edge: an item about before goes out before the event's first moment, one
    about during from it, one about after from its last (the same moment for an offline
    event's `event_at`)."""
    return event.last if item.event_side == "after" else event.first


def explain(x, guard) -> str:
    return refuses(x, x.items[guard.detail[0]], x.group_day(guard))


RULE = Rule(
    name="event_side",
    summary="An item about an event goes out only on its side of the group's event "
    "(event_side: before / after); one about after it never where no event is known.",
    settings=("item event_side", "offline_event event_at", "short_event end", "event_end"),
    admits=admits,
    refuses=refuses,
    level="slot",
    check=check,
    explain=explain,
)
