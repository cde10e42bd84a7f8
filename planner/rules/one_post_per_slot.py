"""one_post_per_slot: a group gets at most one post per slot of slot_minutes."""

from __future__ import annotations

from collections import Counter

from planner.rules.catalogue import Rule


def constrain(m) -> None:
    """Items placed in a segment fill exactly the segment's chosen slots, one post a slot."""
    for (g, d), gd in sorted(m.problem.group_days.items()):
        for k, segment in enumerate(gd.segments):
            slots = [m.y[(g, d * m.S + s)] for s in range(segment.first, segment.last)]
            items = [m.z[n] for n in m.by_gds.get((g, d, k), [])]
            m.add(sum(items) == sum(slots), "one_post_per_slot", g, d, (k,))


def check(c) -> None:
    for posts in c.by_group.values():
        for start, count in sorted(Counter(p.start for p in posts).items()):
            if count > 1:
                c.add("one_post_per_slot", posts[0], start, f"{count} posts start at the same time")


def explain(x, guard) -> str:
    return (
        f"one post per {x.problem.slot_minutes}-minute slot ({x.sources.setting('slot_minutes')})"
    )


RULE = Rule(
    name="one_post_per_slot",
    summary="A group gets at most one post per slot.",
    settings=("slot_minutes",),
    constrain=constrain,
    check=check,
    explain=explain,
    last_resort=True,
)
