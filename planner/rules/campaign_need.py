"""campaign_need: each campaign role (and each lock's pin) gets between its low and high
count of posts of its items, starting inside its window."""

from __future__ import annotations

from planner.rules.catalogue import Rule


def constrain(m) -> None:
    problem = m.problem
    index = {g.id: n for n, g in enumerate(problem.groups)}
    for position, need in enumerate(problem.book.needs):
        g = index[need.group]
        ns = [
            n
            for d in range(7)
            for n in m.by_gd.get((g, d), [])
            if m.candidate(n).item in need.items and need.start <= m.start(n) < need.end
        ]
        day = max(0, min(6, (need.start.date() - problem.week_start).days))
        total = sum(m.z[n] for n in ns)
        if need.low > 0:
            m.add(total >= need.low, "campaign_need", g, day, (position,))
        if need.high is not None and len(ns) > need.high:
            m.add(total <= need.high, "campaign_need", g, day, (position,))


def check(c) -> None:
    for need in c.book.needs:
        if need.group not in c.groups:
            continue
        found = sum(
            1
            for p in c.by_group.get(need.group, [])
            if p.item in need.items and need.start <= p.start < need.end
        )
        if found < need.low or (need.high is not None and found > need.high):
            message = f"campaign {need.campaign} needs {need.label}: found {found}"
            c.add("campaign_need", need.group, need.start.date(), message)


def explain(x, guard) -> str:
    need = x.book.needs[guard.detail[0]]
    if need.rule == "lock":
        return f"your lock pins {need.label}"  # the label names its locks.yaml line
    source = x.sources.campaign(need.campaign)
    return f"campaign {need.campaign} needs {need.label} ({', '.join(need.items)}) ({source})"


RULE = Rule(
    name="campaign_need",
    summary="Each campaign role, and each lock's pin, gets its posts inside its window.",
    settings=("campaigns.yaml", "locks.yaml"),
    constrain=constrain,
    check=check,
    explain=explain,
    demand=True,
)
