"""variety: variety_bonus for every distinct kind a group gets on a day."""

from __future__ import annotations

from collections import defaultdict

from planner.rules.catalogue import Term


def add(m, weight: int) -> list:
    terms = []
    for (g, d), indices in sorted(m.by_gd.items()):
        by_kind: dict[str, list[int]] = defaultdict(list)
        for n in indices:
            by_kind[m.item(n).kind].append(n)
        for kind, ns in sorted(by_kind.items()):
            used = m.model.new_bool_var(f"kind{g}_{d}_{kind}")
            m.model.add(used <= sum(m.z[n] for n in ns))
            terms.append((weight, used))
    return terms


def score(s, weight: int) -> int:
    kinds = {(post.group, s.local(post).date(), str(post.kind)) for post in s.plan.posts}
    return weight * len(kinds)


def describe(sources) -> str:
    source = sources.pack("stages", ("objective", "variety_bonus"))
    return f"variety_bonus for each distinct kind a group gets on a day ({source})"


TERM = Term(
    name="variety",
    summary="variety_bonus per distinct kind per group and day.",
    settings=("objective.variety_bonus",),
    add=add,
    score=score,
    describe=describe,
    weight="variety_bonus",
)
