"""stability: in a re-plan, stability_bonus for each post kept exactly where this week's
last plan had it, among plans of the best value (calendars change as little as possible)."""

from __future__ import annotations

from planner.rules.catalogue import Term


def add(m, weight: int) -> list:
    terms = []
    weight = max(1, weight)
    for g, item, d, s in sorted(m.problem.previous):
        slot = m.y.get((g, d * m.S + s))
        if slot is None:
            continue
        for n in m.by_gd.get((g, d), []):
            c = m.candidate(n)
            segment = m.problem.group_days[(g, d)].segments[c.segment]
            if c.item == item and segment.first <= s < segment.last:
                kept = m.model.new_bool_var(f"kept{n}")
                m.model.add_implication(kept, m.z[n])
                m.model.add_implication(kept, slot)
                terms.append((weight, kept))
    return terms


def score(s, weight: int) -> int:
    previous = s.history.previous if s.history is not None else None
    if previous is None:
        return 0
    before = {(p.group, p.item, p.start) for p in previous.posts}
    return max(1, weight) * sum((p.group, p.item, p.start) in before for p in s.plan.posts)


def describe(sources) -> str:
    source = sources.pack("stages", ("objective", "stability_bonus"))
    return f"a re-plan keeps posts where they were, stability_bonus each ({source})"


TERM = Term(
    name="stability",
    summary="In a re-plan, stability_bonus per post kept where the last plan had it.",
    settings=("objective.stability_bonus",),
    add=add,
    score=score,
    describe=describe,
    weight="stability_bonus",
    second_pass=True,
)
