"""item_window: an item goes out only inside its own `window`, a live with a `start`
exactly then, and an offline event with an `event_at` before it happens."""

from __future__ import annotations

from planner.rules.catalogue import Rule


def own_window(item, book, group_id: str):
    """The item's own `window`, unless a stated offset pins it in this group (the offset
    wins: a reminder bound `at: "0d 13:00"` goes at 13:00 whatever its window says)."""
    return None if (group_id, item.id) in book.offset_times else item.window


def admits(f, item, gd, minute: int, when) -> bool:
    window = own_window(item, f.book, f.group.id)
    if window is not None and not window.contains(minute):
        return False
    start = getattr(item, "start", None) if item.kind == "live" else None
    if start is not None:
        pinned = start.hour * 60 + start.minute
        if start.date() != gd.date or not (pinned <= minute < pinned + f.slot_minutes):
            return False
    return not _after_event(item, gd.date, minute)


def _after_event(item, day, minute: int, zone=None) -> bool:
    """An offline event announced at or after its own `event_at` (local day and minute;
    an `event_at` with a UTC offset is seen in `zone`, the post's)."""
    event_at = getattr(item, "event_at", None) if item.kind == "offline_event" else None
    if event_at is None:
        return False
    if event_at.tzinfo is not None and zone is not None:
        event_at = event_at.astimezone(zone)
    return (day, minute) >= (event_at.date(), event_at.hour * 60 + event_at.minute)


def check(c) -> None:
    for post, group, item, start in c.each_post():
        minute = start.hour * 60 + start.minute
        window = own_window(item, c.book, group.id)
        if window is not None and not window.contains(minute):
            c.add("item_window", post, start, f"item {item.id} only goes out {item.window}")
        pinned = getattr(item, "start", None) if item.kind == "live" else None
        local = (start.date(), start.hour, start.minute)
        if pinned is not None and local != (pinned.date(), pinned.hour, pinned.minute):
            c.add("item_window", post, start, f"live {item.id} starts at {pinned:%Y-%m-%d %H:%M}")
        if _after_event(item, start.date(), minute, start.tzinfo):
            c.add("item_window", post, start, f"event {item.id} takes place at {item.event_at}")


def refuses(x, item, gd) -> str:
    event_at = getattr(item, "event_at", None) if item.kind == "offline_event" else None
    if event_at is not None and (item.window is None or gd.date >= event_at.date()):
        at = x.sources.item(item.id, "event_at")
        return f"{item.id} is announced before its event at {item.event_at:%a %H:%M} ({at})"
    if item.window is not None:
        return f"{item.id} only goes out {item.window} ({x.sources.item(item.id, 'window')})"
    return f"live {item.id} is pinned to {item.start:%a %H:%M} ({x.sources.item(item.id, 'start')})"


def explain(x, guard) -> str:
    return refuses(x, x.items[guard.detail[0]], x.group_day(guard))


RULE = Rule(
    name="item_window",
    summary="An item goes out only inside its own window; a live with a start exactly then; "
    "an offline event before its event_at.",
    settings=("item window", "live start", "offline_event event_at"),
    admits=admits,
    refuses=refuses,
    level="slot",
    check=check,
    explain=explain,
)
