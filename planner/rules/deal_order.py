"""deal_order: a seven-day retention's deals with an `order` go out one day after another in
that order, each on its own day only: deal i of the sequence (by order, 0-based) on day
i // n + 1 after `acquired_on`, n being `deals_per_day` (of a range [fewest, most], each
day takes the most it can while every later day keeps its fewest). A deal the days cannot
hold has no day. Deals without an order go out on any day of the retention.

The days come from planner.rules.deal_days, which the campaign builder also reads to ask
for each deal on its day: the demand, this filter, the check and the words agree."""

from __future__ import annotations

from datetime import date

from planner.rules.catalogue import Rule
from planner.rules.deal_days import deal_days
from planner.rules.eligibility import campaign_targets


def admits(f, item, gd) -> bool:
    dated = f.book.deal_days.get((f.group.id, item.id))
    return dated is None or dated[1] == gd.date


def check(c) -> None:
    for campaign in c.ws.campaigns:
        if campaign.kind != "seven_day_retention":
            continue
        days = deal_days(campaign)
        for group in campaign_targets(list(c.groups.values()), campaign):
            for post in c.by_group.get(group.id, []):
                if post.item in days and c.local(post).date() != days[post.item][1]:
                    message = _words(campaign, post.item, days[post.item])
                    c.add("deal_order", post, c.local(post), message)


def _words(campaign, item: str, dated: tuple[int, date | None]) -> str:
    place, day = dated
    low, high = campaign.deals_per_day
    when = (
        f"goes out on {day} (day {(day - campaign.acquired_on).days} after acquired_on)"
        if day is not None
        else f"finds no day in its {campaign.days} days at {high} a day at most"
    )
    each = f"{low}" if low == high else f"{low}-{high}"
    return f"{item} is deal {place} in campaign {campaign.id}'s order ({each} a day): it {when}"


def refuses(x, item, gd) -> str:
    campaign_id = x.book.deal_days[(x.group_of(gd).id, item.id)][0]
    campaign = next(c for c in x.ws.campaigns if c.id == campaign_id)
    index = next(n for n, b in enumerate(campaign.items) if b.item == item.id)
    source = x.sources.campaign(campaign_id, "items", index, "order")
    return f"{_words(campaign, item.id, deal_days(campaign)[item.id])} ({source})"


def explain(x, guard) -> str:
    return refuses(x, x.items[guard.detail[0]], x.group_day(guard))


RULE = Rule(
    name="deal_order",
    summary="A seven-day retention's ordered deals go out one day after another in their "
    "order, each on its own day.",
    settings=("campaigns.yaml items order", "deals_per_day", "acquired_on"),
    admits=admits,
    refuses=refuses,
    level="day",
    check=check,
    explain=explain,
)
