"""live_overlap: no other post of the group starts while a live runs (its duration_minutes)."""

from __future__ import annotations

from planner.rules.catalogue import Rule


def constrain(m) -> None:
    problem = m.problem
    for n, c in enumerate(problem.candidates):
        item = problem.items[c.item]
        if item.kind != "live":
            continue
        segment = problem.group_days[(c.group, c.day)].segments[c.segment]
        if segment.last - segment.first != 1:
            continue  # pinned lives sit in one-slot segments; the builder cuts the rest
        start = c.day * m.S + segment.first
        for t in range(start + 1, start + m.slots_for(item.duration_minutes)):
            slot = m.y.get((c.group, t))
            if slot is not None:
                pair = m.model.add_bool_or([m.z[n].Not(), slot.Not()])
                m.add(pair, "live_overlap", c.group, c.day, (c.item,))


def check(c) -> None:
    for posts in c.by_group.values():
        for live in (p for p in posts if p.kind == "live"):
            for other in posts:
                if other is not live and live.start < other.start < live.end:
                    c.add("live_overlap", other, other.start, f"starts during live {live.item}")


def explain(x, guard) -> str:
    item = x.items[guard.detail[0]]
    source = x.sources.item(item.id, "duration_minutes")
    return f"live {item.id} runs {item.duration_minutes} minutes with no other post ({source})"


RULE = Rule(
    name="live_overlap",
    summary="No other post of the group starts while a live runs.",
    settings=("live duration_minutes",),
    constrain=constrain,
    check=check,
    explain=explain,
)
