"""validity: an item goes out only between its valid_from and valid_until, and a festival
item only on its festival's days."""

from __future__ import annotations

from planner.rules.catalogue import Rule


def admits(f, item, gd) -> bool:
    if item.valid_from and gd.date < item.valid_from:
        return False
    if item.valid_until and gd.date > item.valid_until:
        return False
    return not (item.festival and item.festival not in gd.festivals)


def check(c) -> None:
    for post, _, item, start in c.each_post():
        day = start.date()
        if item.festival and item.festival not in c.ws.rules.holidays.festivals_on(day):
            c.add("validity", post, start, f"item {item.id} is for {item.festival}, not on {day}")
        if (item.valid_from and day < item.valid_from) or (
            item.valid_until and day > item.valid_until
        ):
            c.add("validity", post, start, f"item {item.id} is not valid on {day}")


def refuses(x, item, gd) -> str:
    if item.festival and item.festival not in gd.festivals:
        return f"{item.id} is for {item.festival} only ({x.sources.item(item.id, 'festival')})"
    key = "valid_from" if item.valid_from and gd.date < item.valid_from else "valid_until"
    return f"{item.id} is not valid on {gd.date} ({x.sources.item(item.id, key)})"


def explain(x, guard) -> str:
    return refuses(x, x.items[guard.detail[0]], x.group_day(guard))


RULE = Rule(
    name="validity",
    summary="An item goes out only inside its validity dates and on its festival's days.",
    settings=("item valid_from", "item valid_until", "item festival", "rules/holidays/"),
    admits=admits,
    refuses=refuses,
    level="day",
    check=check,
    explain=explain,
)
