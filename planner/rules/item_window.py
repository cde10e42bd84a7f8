"""item_window: an item goes out only inside its own `window`, and a live with a `start`
exactly then."""

from __future__ import annotations

from planner.rules.catalogue import Rule


def admits(f, item, gd, minute: int, when) -> bool:
    if item.window is not None and not item.window.contains(minute):
        return False
    start = getattr(item, "start", None) if item.kind == "live" else None
    if start is not None:
        pinned = start.hour * 60 + start.minute
        if start.date() != gd.date or not (pinned <= minute < pinned + f.slot_minutes):
            return False
    return True


def check(c) -> None:
    for post, _, item, start in c.each_post():
        minute = start.hour * 60 + start.minute
        if item.window is not None and not item.window.contains(minute):
            c.add("item_window", post, start, f"item {item.id} only goes out {item.window}")
        pinned = getattr(item, "start", None) if item.kind == "live" else None
        local = (start.date(), start.hour, start.minute)
        if pinned is not None and local != (pinned.date(), pinned.hour, pinned.minute):
            c.add("item_window", post, start, f"live {item.id} starts at {pinned:%Y-%m-%d %H:%M}")


def refuses(x, item, gd) -> str:
    if item.window is not None:
        return f"{item.id} only goes out {item.window} ({x.sources.item(item.id, 'window')})"
    return f"live {item.id} is pinned to {item.start:%a %H:%M} ({x.sources.item(item.id, 'start')})"


def explain(x, guard) -> str:
    return refuses(x, x.items[guard.detail[0]], x.group_day(guard))


RULE = Rule(
    name="item_window",
    summary="An item goes out only inside its own window; a live with a start exactly then.",
    settings=("item window", "live start"),
    admits=admits,
    refuses=refuses,
    level="slot",
    check=check,
    explain=explain,
)
