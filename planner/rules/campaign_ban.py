"""campaign_ban: nothing a campaign or a lock forbids goes out (after a deadline or a
dissolve notice, during a live, on a lock's day off); items that rest after an earlier
week's use are banned the same way and reported as item_reuse."""

from __future__ import annotations

from planner.rules.catalogue import Rule


def admits(f, item, gd, minute: int, when) -> bool:
    return not any(ban.covers(item.id, when) for ban in f.bans)


def check(c) -> None:
    for ban in c.book.bans:
        for post in c.by_group.get(ban.group, []):
            if ban.covers(post.item, post.start):
                rule = "item_reuse" if ban.rule == "item_reuse" else "campaign_ban"
                c.add(rule, post, post.start, f"{ban.label} ({post.item})")


def refuses(x, item, gd) -> str:
    group = x.group_of(gd).id
    labels = sorted({ban.label for ban in x.book.bans if ban.group == group})
    return f"{item.id} is kept out: {'; '.join(labels) or 'a campaign or a lock forbids it'}"


def explain(x, guard) -> str:
    return refuses(x, x.items[guard.detail[0]], x.group_day(guard))


RULE = Rule(
    name="campaign_ban",
    summary="Nothing a campaign or a lock forbids goes out.",
    settings=("campaigns.yaml", "locks.yaml", "caps.once_items_reuse_weeks"),
    admits=admits,
    refuses=refuses,
    level="slot",
    check=check,
    explain=explain,
)
