"""campaign_order: on a campaign's day its first posts come before the ones that follow
(teaser before launch, rename notice before the theme post)."""

from __future__ import annotations

from planner.rules.catalogue import Rule


def constrain(m) -> None:
    problem = m.problem
    index = {g.id: n for n, g in enumerate(problem.groups)}
    for position, rule in enumerate(problem.book.order):
        g = index[rule.group]
        day = (rule.day - problem.week_start).days
        if not 0 <= day < 7:
            continue
        todays = m.by_gd.get((g, day), [])
        later = [n for n in todays if m.candidate(n).item in rule.then]
        earlier = [n for n in todays if m.candidate(n).item in rule.first]
        for a in later:
            for b in earlier:
                if m.candidate(b).item != m.candidate(a).item and (
                    m.candidate(b).segment >= m.candidate(a).segment
                ):
                    pair = m.model.add_bool_or([m.z[a].Not(), m.z[b].Not()])
                    m.add(pair, "campaign_order", g, day, (position,))


def check(c) -> None:
    for rule in c.book.order:
        todays = [p for p in c.by_group.get(rule.group, []) if c.local(p).date() == rule.day]
        firsts = [p.start for p in todays if p.item in rule.first and p.item not in rule.then]
        thens = [p.start for p in todays if p.item in rule.then]
        if firsts and thens and max(firsts) >= min(thens):
            c.add("campaign_order", rule.group, rule.day, rule.label)


def explain(x, guard) -> str:
    rule = x.book.order[guard.detail[0]]
    return f"campaign {rule.campaign}: {rule.label} ({x.sources.campaign(rule.campaign)})"


RULE = Rule(
    name="campaign_order",
    summary="On a campaign's day its first posts come before the ones that follow.",
    settings=("campaigns.yaml items order",),
    constrain=constrain,
    check=check,
    explain=explain,
)
