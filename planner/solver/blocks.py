"""An operator's many groups re-timed in blocks (the steps' first step beyond
solve.WHOLE_UP_TO candidates): each block of about GROUPS_PER_LIMIT groups within its share of
the operator's capacity."""

from __future__ import annotations

import math
from dataclasses import replace

from planner.solver import solve as solving  # a module: solve imports this one
from planner.solver.cores import each
from planner.solver.problem import Problem


def retime_in_blocks(problem: Problem, parts: list, weights: dict[str, int], time_limit: float):
    """Re-timing (solve.retiming: each group's posted items, any segment of their day) in
    blocks of about GROUPS_PER_LIMIT groups, each within its share of the operator's
    capacity (at least 2 posts a window; shares and blocks differ by one at most): at 200
    alike groups the operator's re-timing model found no plan in its time, and a block's is
    a tenth of it (benchmarks/README.md, issue 19). Each block again inside the room the
    others leave gained 0.02% at 100 mixed groups, so it is not done. Too little capacity
    to share, or a block without a plan in its share: the operator's model."""
    restricted, cap = solving.retiming(problem, parts), problem.operator
    count = len(problem.groups)
    blocks = min(math.ceil(count / solving.GROUPS_PER_LIMIT), cap.max_posts // 2)
    cuts = [list(range(_cut(count, b, blocks), _cut(count, b + 1, blocks))) for b in range(blocks)]
    shares = []
    for b, members in enumerate(cuts if blocks > 1 else []):
        daily = cap.max_posts_per_day and _piece(cap.max_posts_per_day, b, blocks)
        share = cap.model_copy(
            update={"max_posts": _piece(cap.max_posts, b, blocks), "max_posts_per_day": daily}
        )
        shares.append(replace(restricted.parts([members])[0], operator=share))

    def solve_block(block: Problem):
        limit = solving.operator_limit(block, time_limit)
        return solving._solve_whole(block, weights, limit, recurs=True, explained=False)

    plans = each(solve_block, shares)
    if not plans or any(plan.status not in solving.PLANNED for plan in plans):
        limit = solving.operator_limit(problem, time_limit)
        return solving._solve_whole(restricted, weights, limit, explained=False)
    posts = [replace(p, group=cuts[b][p.group]) for b, x in enumerate(plans) for p in x.placements]
    posts.sort(key=lambda p: (p.group, p.day, p.slot))
    value = sum(plan.objective for plan in plans)
    return solving.Result(problem.id, "feasible", value, placements=posts)


def _cut(total: int, b: int, blocks: int) -> int:
    """Where the b-th of `blocks` near-equal pieces of `total` starts."""
    return total * b // blocks


def _piece(total: int, b: int, blocks: int) -> int:
    return _cut(total, b + 1, blocks) - _cut(total, b, blocks)
