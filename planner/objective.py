"""The objective in plain Python, from a plan: what the solver maximised, recomputed.

A test asserts this equals the solver's objective, so the model cannot drift from
what the documentation says the planner optimises.
"""

from __future__ import annotations

from collections import Counter

from planner.models.rules import ObjectiveWeights
from planner.plan import Post


def mix_target(share: float, per_day: int) -> int:
    """Posts of a kind a day that the stage's mix asks for (rounded half up)."""
    return int(share * per_day + 0.5)


def objective_of(posts: list[Post], weights: ObjectiveWeights, mix: dict) -> int:
    """Sum of post values + variety bonus - mix shortfall penalties.

    `mix` maps (group, date) to (per_day cap, {kind: share}) for every group-day
    with a stage, whether or not it got posts.
    """
    total = sum(post.value for post in posts)
    kinds = Counter((post.group, post.start.date(), post.kind) for post in posts)
    if weights.variety_bonus > 0:
        total += weights.variety_bonus * len(kinds)
    if weights.mix_penalty > 0:
        for (group, day), (per_day, shares) in mix.items():
            for kind, share in shares.items():
                short = max(0, mix_target(share, per_day) - kinds.get((group, day, kind), 0))
                total -= weights.mix_penalty * short
    return total
