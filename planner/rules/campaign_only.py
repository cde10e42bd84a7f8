"""campaign_only: an item marked `campaign_only`, one a campaign binds in a moment role
(a replay, a teaser, a thanks...), a live without a start of its own, a reminder of a named
item or at an offset, and a dissolve notice go out only where a campaign binds them; a kind
whose limit is 0 never."""

from __future__ import annotations

from planner.rules.catalogue import Rule
from planner.rules.eligibility import bound_to_moments, campaign_only


def admits(f, item, gd) -> bool:
    limit = gd.caps.kinds.get(item.kind)
    if limit is not None and (limit.per_day == 0 or limit.per_week == 0):
        return False
    return item.id in f.bound or not campaign_only(item, f.moment_items)


def check(c) -> None:
    moment_items = bound_to_moments(c.ws.campaigns)
    for post, _, item, start in c.each_post():
        if campaign_only(item, moment_items) and not c.bound(post):
            c.add("campaign_only", post, start, f"item {item.id} goes out only in a campaign")


def refuses(x, item, gd) -> str:
    limit = gd.caps.kinds.get(item.kind)
    if limit is not None and (limit.per_day == 0 or limit.per_week == 0):
        period = "per_day" if limit.per_day == 0 else "per_week"
        source = x.sources.caps(x.group_of(gd).id, str(gd.stage), ("kinds", item.kind, period))
        return f"caps.kinds.{item.kind}.{period} is 0 ({source})"
    return f"{item.id} goes out only where a campaign binds it ({x.sources.item(item.id, 'kind')})"


def explain(x, guard) -> str:
    return refuses(x, x.items[guard.detail[0]], x.group_day(guard))


RULE = Rule(
    name="campaign_only",
    summary="Campaign-only items (pinned-less lives, reminders of an item, dissolve notices) "
    "go out only where a campaign binds them; kinds limited to 0 never.",
    settings=("item kind", "caps.kinds.<kind>"),
    admits=admits,
    refuses=refuses,
    level="day",
    check=check,
    explain=explain,
)
