"""mix: mix_penalty for every post a kind falls short of its stage's mix target a day.

The target of a kind is its share in stages.<stage>.mix times the day's per_day cap,
rounded half up.
"""

from __future__ import annotations

from collections import Counter

from planner.rules.catalogue import Term


def mix_target(share: float, per_day: int) -> int:
    """Posts of a kind a day that the stage's mix asks for (rounded half up)."""
    return int(share * per_day + 0.5)


def add(m, weight: int) -> list:
    terms = []
    for (g, d), gd in sorted(m.problem.group_days.items()):
        for kind, share in sorted(gd.mix.items()):
            target = mix_target(share, gd.caps.per_day)
            if target <= 0:
                continue
            ns = [n for n in m.by_gd.get((g, d), []) if m.item(n).kind == kind]
            short = m.model.new_int_var(0, target, f"short{g}_{d}_{kind}")
            m.model.add(short >= target - sum(m.z[n] for n in ns))
            terms.append((-weight, short))
    return terms


def score(s, weight: int) -> int:
    kinds = Counter((post.group, s.local(post).date(), str(post.kind)) for post in s.plan.posts)
    short = 0
    for group in s.ws.groups:
        for day in s.days:
            stage = s.stage(group, day)
            if stage is None:
                continue
            per_day = s.caps(group.id, day).per_day
            for kind, share in s.ws.rules.stages.stages[stage].mix.items():
                short += max(
                    0, mix_target(share, per_day) - kinds.get((group.id, day, str(kind)), 0)
                )
    return -weight * short


def describe(sources) -> str:
    source = sources.pack("stages", ("objective", "mix_penalty"))
    return f"mix_penalty for each post a kind falls short of its stage's mix a day ({source})"


TERM = Term(
    name="mix",
    summary="minus mix_penalty per post a kind falls short of its stage's mix target a day.",
    settings=("objective.mix_penalty", "stages.<stage>.mix", "caps.per_day"),
    add=add,
    score=score,
    describe=describe,
    weight="mix_penalty",
)
