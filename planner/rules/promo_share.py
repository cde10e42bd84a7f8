"""promo_share: promotional posts are at most caps.promo_share_max of a group's posts a day.

An item is promotional by its own `promo:` flag, else by its kind being one of the
caps pack's promotional_kinds (rules/eligibility.py `promotional`, the one answer for
the model, the check and the campaigns).
"""

from __future__ import annotations

from collections import defaultdict

from planner.rules.catalogue import Rule
from planner.rules.eligibility import promotional


def constrain(m) -> None:
    for (g, d), indices in sorted(m.by_gd.items()):
        share = m.problem.group_days[(g, d)].caps.promo_share_max
        promo = [m.z[n] for n in indices if m.candidate(n).item in m.problem.promotional]
        if not promo or share >= 1:
            continue
        scaled = round(share * 1000)
        m.add(1000 * sum(promo) <= scaled * sum(m.day_slots(g, d)), "promo_share", g, d)


def check(c) -> None:
    for group, posts in c.by_group.items():
        days = defaultdict(list)
        for post in posts:
            days[c.local(post).date()].append(post)
        for day, todays in sorted(days.items()):
            share = c.caps(group, day).promo_share_max
            promo = sum(promotional(c.ws.items[p.item], c.ws.rules) for p in todays)
            if 1000 * promo > round(share * 1000) * len(todays):
                message = f"{promo} of {len(todays)} posts promote, promo_share_max is {share}"
                c.add("promo_share", group, day, message)


def explain(x, guard) -> str:
    return x.cap_text(guard, ("promo_share_max",))


RULE = Rule(
    name="promo_share",
    summary="Promotional posts are at most caps.promo_share_max of a group's posts a day.",
    settings=("caps.promo_share_max", "caps.promotional_kinds", "item promo"),
    constrain=constrain,
    check=check,
    explain=explain,
)
