"""Benchmarks of the scheduler, all measured in one run so ratios compare like with like.

    python benchmarks/run.py --sizes 1,10,100,1000 [--micro] [--ray]

For each size: a synthetic workspace (benchmarks/generate.py), then `plan_week` end to end
(problem building, solving on all cores, plan assembly), the verifier, and the greedy
baseline (benchmarks/greedy.py) scored by the same verifier and objective.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import workspace
from greedy import greedy_plan, missed_required

from planner.check import check_workspace
from planner.objective import objective_of
from planner.planning import plan_week
from planner.problem import build_problem, playbook, week_start
from planner.solver.solve import solve
from planner.verify import verify

WEEK = date(2026, 11, 23)


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def one_size(groups: int, library: int, executor: str = "local") -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = workspace(Path(tmp) / "ws", groups, library)
        started = time.perf_counter()
        ws, problems = check_workspace(root)
        assert ws is not None and not problems.errors, problems.errors
        loaded = time.perf_counter()
        plan = plan_week(ws, WEEK, time_limit=10, executor_name=executor)
        solved = time.perf_counter()
        ours = verify(ws, plan)
        greedy = greedy_plan(ws, WEEK)
        theirs = verify(ws, greedy)
        return {
            "groups": groups,
            "executor": executor,
            "load_s": loaded - started,
            "plan_s": solved - loaded,
            "per_group_ms": 1000 * (solved - started) / groups,
            "peak_mb": peak_mb(),
            "statuses": sorted({p.status for p in plan.problems}),
            "worst_gap": max(p.gap for p in plan.problems),
            "objective": sum(p.objective for p in plan.problems),
            "violations": len(ours),
            "missed": missed_required(ours),
            "greedy_objective": objective_of(ws, greedy),
            "greedy_violations": len(theirs),
            "greedy_missed": missed_required(theirs),
        }


def micro(runs: int = 7) -> dict:
    """One group-week, 100 items, 15-minute slots: the solve alone, median of runs."""
    with tempfile.TemporaryDirectory() as tmp:
        ws, _ = check_workspace(workspace(Path(tmp) / "ws", 1, 100, slot=15))
        start = week_start(WEEK)
        problem = build_problem(ws, ws.groups[0].operator, ws.groups, start, playbook(ws, start))
        weights = ws.rules.stages.objective.model_dump()
        times, gaps = [], []
        for _ in range(runs):
            t = time.perf_counter()
            solution = solve(problem, weights, 10)
            times.append(time.perf_counter() - t)
            gaps.append(solution.gap)
        return {
            "median_s": statistics.median(times),
            "worst_gap": max(gaps),
            "candidates": len(problem.candidates),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--library", type=int, default=100)
    parser.add_argument("--micro", action="store_true")
    parser.add_argument("--ray", action="store_true", help="also run each size on Ray (local)")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    if args.micro:
        m = micro()
        print(
            f"micro: 1 group-week, 100 items, 15-min slots: median {m['median_s']:.3f} s, "
            f"worst gap {m['worst_gap']:.3%}, {m['candidates']} candidates"
        )
    print(
        "| groups | executor | load s | plan s | ms / group-week | peak MB | status | worst gap "
        "| objective | greedy objective | ratio | violations ours / greedy "
        "| missed required ours / greedy |"
    )
    print("|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---|")
    for size in [int(s) for s in args.sizes.split(",")]:
        for executor in ["local", "ray"] if args.ray else ["local"]:
            r = one_size(size, args.library, executor)
            ratio = (
                r["objective"] / r["greedy_objective"] if r["greedy_objective"] else float("inf")
            )
            print(
                f"| {r['groups']} | {executor} | {r['load_s']:.2f} | {r['plan_s']:.2f} | "
                f"{r['per_group_ms']:.0f} | {r['peak_mb']:.0f} | {'/'.join(r['statuses'])} | "
                f"{r['worst_gap']:.2%} | {r['objective']} | {r['greedy_objective']} | "
                f"{ratio:.3f} | {r['violations']} / {r['greedy_violations']} | "
                f"{r['missed']} / {r['greedy_missed']} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
