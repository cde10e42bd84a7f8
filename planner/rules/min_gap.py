"""min_gap: two posts of a group are at least caps.min_gap_minutes apart, across midnight."""

from __future__ import annotations

from planner.rules.catalogue import Rule


def constrain(m) -> None:
    for (g, t), _ in sorted(m.y.items()):
        gap = m.problem.group_days[(g, t // m.S)].caps.min_gap_minutes
        length = m.slots_for(gap) if gap > 0 else 1
        window = [m.y[(g, u)] for u in range(t, t + length) if (g, u) in m.y]
        if len(window) > 1:
            m.add(sum(window) <= 1, "min_gap", g, t // m.S)


def check(c) -> None:
    for group, posts in c.by_group.items():
        starts = [c.local(p) for p in posts]
        for i in range(1, len(starts)):
            gap = c.caps(group, starts[i - 1].date()).min_gap_minutes
            apart = (starts[i] - starts[i - 1]).total_seconds() / 60
            if apart < gap:
                message = (
                    f"{apart:.0f} minutes after the previous post, caps.min_gap_minutes is {gap}"
                )
                c.add("min_gap", posts[i], starts[i], message)


def explain(x, guard) -> str:
    return x.cap_text(guard, ("min_gap_minutes",))


RULE = Rule(
    name="min_gap",
    summary="Two posts of a group are at least caps.min_gap_minutes apart, across midnight too.",
    settings=("caps.min_gap_minutes",),
    constrain=constrain,
    check=check,
    explain=explain,
)
