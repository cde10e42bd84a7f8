"""How far the Lagrangian bound lands above the optimum (issue 19), by plain and by
deflected subgradient steps and at the prices of the operator's LP (what the planner
uses since 2026-12-01, coupled.operator_bound): one operator small enough for the whole
model to bound its optimum closely, alike groups crowded as 40 of them are in coupled.py
(2 posts in 15 minutes for 12 groups, 4 posts a day each), the same rounds for both
steps. Each bound is compared with the whole model's bound, which the optimum never
exceeds.

    python benchmarks/dual_gap.py --groups 12 --max-posts 2 --rounds 100 --json gap.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import WEEK, workspace
from run import load, machine, revision

from planner.solver import coupled, families, prices
from planner.solver import solve as solve_module
from planner.solver.problem import build_problems


def bound_with(deflection: float, rounds: int, problem, singles, parts, weights, plan) -> int:
    """The Lagrangian bound after `rounds` of subgradient steps (no early stop but within
    1% of the plan)."""
    coupled.DEFLECTION = deflection
    coupled.MIN_ROUNDS = coupled.MAX_ROUNDS = coupled.STALE = rounds
    fams = families.families(singles, weights, 3.0, parts)
    rows = prices.Rows.of(problem)
    own, load = sum(p.best_bound for p in parts), coupled.own_load(rows, singles, parts)
    return coupled.subgradient(rows, fams, weights, 3.0, own, plan.objective, load)[0]


def main() -> None:
    parser = argparse.ArgumentParser(
        description="How far plain and deflected Lagrangian bounds land above the optimum."
    )
    parser.add_argument("--groups", type=int, default=12)
    parser.add_argument("--max-posts", type=int, default=2, help="the operator's posts a slot")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--whole-limit", type=float, default=300.0, help="the whole model's")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = workspace(Path(tmp), args.groups, per_operator=args.groups, alike=True, busy=True)
        ws = load(root)
        [problem] = build_problems(ws, WEEK)
    crowded = problem.operator.model_copy(update={"max_posts": args.max_posts})
    problem = replace(problem, operator=crowded)
    weights = ws.rules.stages.objective.model_dump()
    singles = problem.singles()
    parts = [solve_module.solve_single(single, weights, 3.0) for single in singles]
    plan = solve_module.solve(problem, weights, 3.0, parts)
    started = time.perf_counter()
    whole = solve_module._solve_whole(problem, weights, args.whole_limit, hint=plan.placements)
    row = {
        "groups": args.groups,
        "max_posts": args.max_posts,
        "rounds": args.rounds,
        "own_bound": sum(part.best_bound for part in parts),
        "plan": plan.objective,
        "whole": {"status": whole.status, "objective": whole.objective, "bound": whole.best_bound},
        "whole_s": time.perf_counter() - started,
        "plain": bound_with(0.0, args.rounds, problem, singles, parts, weights, plan),
        "deflected": bound_with(1.5, args.rounds, problem, singles, parts, weights, plan),
        "lp": coupled.operator_bound(problem, singles, parts, weights, 3.0, plan)[0],
    }
    for steps in ("plain", "deflected", "lp"):
        row[f"{steps}_above_optimum"] = round(row[steps] / whole.best_bound - 1, 4)
    out = {"machine": machine(), "revision": revision(Path(__file__).parent.parent), "row": row}
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
