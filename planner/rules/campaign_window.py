"""campaign_window: a campaign's item goes out in its groups only inside the campaign's
windows (teaser before the launch, reminders before the live, a retention's days)."""

from __future__ import annotations

from planner.rules.catalogue import Rule


def admits(f, item, gd, minute: int, when) -> bool:
    return f.book.allowed(f.group.id, item.id, when)


def check(c) -> None:
    for posts in c.by_group.values():
        for post in posts:
            if not c.book.allowed(post.group, post.item, post.start):
                campaign = c.book.campaign_of.get((post.group, post.item))
                message = f"item {post.item} is outside campaign {campaign}'s windows"
                c.add("campaign_window", post, post.start, message)


def refuses(x, item, gd) -> str:
    group = x.group_of(gd).id
    campaign = x.book.campaign_of.get((group, item.id))
    source = x.sources.campaign(campaign) if campaign else "campaigns.yaml"
    return f"{item.id} goes out only in campaign {campaign}'s windows ({source})"


def explain(x, guard) -> str:
    return refuses(x, x.items[guard.detail[0]], x.group_day(guard))


RULE = Rule(
    name="campaign_window",
    summary="A campaign's item goes out in its groups only inside the campaign's windows.",
    settings=("campaigns.yaml",),
    admits=admits,
    refuses=refuses,
    level="slot",
    check=check,
    explain=explain,
)
