"""Benchmarks of the scheduler, measured in one run so the ratios compare like with like.

    python benchmarks/run.py --sizes 1,10,100,1000 [--library 100] [--json results.json]

For each size: a synthetic workspace (benchmarks/generate.py), `plan_week` end to end
(problem building, solving on all cores, plan assembly), the product's verifier and
objective on its plan, and the greedy baseline (benchmarks/greedy.py) scored by the same
verifier and objective. Each size runs in a fresh process, so its peak memory is its own.
Then the single-group-week micro benchmark: the solve alone, 100 items, 15-minute slots.
`--profile N` instead profiles where the time goes for N groups, in one process.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ortools
from generate import WEEK, workspace
from greedy import greedy_plan

from planner.campaigns.build import playbook
from planner.plan import Plan
from planner.run.week import InfeasibleWeek, plan_week
from planner.solver import solve as solve_module
from planner.solver.cores import cp_solver
from planner.solver.model import Model
from planner.solver.problem import build_problem, build_problems, week_start
from planner.verify.checker import verify
from planner.verify.objective import objective_of
from planner.workspace.check import check_workspace
from planner.workspace.load import Workspace

MISSED = "required_post"


def peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child (the solver workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own / 1024, children / 1024


def load(root: Path) -> Workspace:
    ws, problems = check_workspace(root)
    if ws is None or problems.errors:
        raise SystemExit("\n".join(map(str, problems.errors)))
    return ws


def by_operator(ws: Workspace, plan: Plan) -> dict[str, int]:
    """The objective of each operator's part of a plan (one problem: one instance)."""
    out = {}
    for operator in sorted({g.operator for g in ws.groups}):
        groups = [g for g in ws.groups if g.operator == operator]
        ids = {g.id for g in groups}
        part = plan.model_copy(update={"posts": [p for p in plan.posts if p.group in ids]})
        out[operator] = objective_of(replace(ws, groups=groups), part)
    return out


def score(ws: Workspace, plan: Plan) -> dict:
    """What the product's own checker and objective say of a plan."""
    started = time.perf_counter()
    violations = verify(ws, plan)
    verified = time.perf_counter()
    return {
        "posts": len(plan.posts),
        "objective": objective_of(ws, plan),
        "per_operator": by_operator(ws, plan),
        "violations": len(violations),
        "missed": sum(v.rule == MISSED for v in violations),
        "rules": dict(Counter(v.rule for v in violations)),
        "verify_s": verified - started,
    }


def one_group_models(ws: Workspace, time_limit: float) -> tuple[int, int]:
    """How many one-group models the week has, and how many differ: the planner solves
    each distinct one at least once, and at most once per worker process (solve.ANSWERS)."""
    weights = ws.rules.stages.objective.model_dump()
    solver = cp_solver(time_limit, presolve=False)
    keys = []
    for problem in build_problems(ws, week_start(WEEK)):
        for single in problem.singles():
            if single.previous:
                continue
            built = Model(single, weights)
            built.add_constraints()
            built.add_objective()
            keys.append(solve_module.ANSWERS.key(built, solver))
    return len(keys), len(set(keys))


def one_size(args) -> dict:
    """plan_week end to end for one size, then the greedy on the same workspace."""
    with tempfile.TemporaryDirectory() as tmp:
        root = workspace(
            Path(tmp) / "ws", args.one, args.library, args.seed, args.slot_minutes, args.lives
        )
        started = time.perf_counter()
        ws = load(root)
        loaded = time.perf_counter()
        marks: dict[str, float] = {}

        def built(problems) -> None:
            marks["built"] = time.perf_counter()

        def done(solution) -> None:
            marks["solved"] = time.perf_counter()

        infeasible = False
        try:
            plan = plan_week(
                ws, WEEK, args.time_limit, args.workers, on_problems=built, on_done=done
            )
        except InfeasibleWeek as exc:
            plan, infeasible = exc.plan, True
        planned = time.perf_counter()
        own_mb, workers_mb = peak_mb()
        ours = score(ws, plan)
        solver_objective = sum(p.objective for p in plan.problems)
        t = time.perf_counter()
        greedy = greedy_plan(ws, WEEK)
        greedy_s = time.perf_counter() - t
        theirs = score(ws, greedy)
        models, distinct = one_group_models(ws, args.time_limit)
        ratios = [
            ours["per_operator"][op] / theirs["per_operator"][op]
            for op in ours["per_operator"]
            if theirs["per_operator"][op] > 0
        ]
        return {
            "groups": args.one,
            "operators": len(plan.problems),
            "candidates": sum(p.candidates for p in plan.problems),
            "load_s": loaded - started,
            "plan_s": planned - loaded,
            "prepare_s": marks["built"] - loaded,
            "solve_s": marks.get("solved", marks["built"]) - marks["built"],
            "assemble_s": planned - marks.get("solved", marks["built"]),
            "ms_per_group_week": 1000 * (planned - loaded) / args.one,
            "peak_mb": own_mb,
            "worker_peak_mb": workers_mb,
            "statuses": dict(Counter(p.status for p in plan.problems)),
            "infeasible": infeasible,
            "conflicts": plan.conflicts[:20],
            "worst_gap": max(p.gap for p in plan.problems),
            "solver_objective": solver_objective,
            "ours": ours,
            "greedy": theirs,
            "greedy_s": greedy_s,
            "ratio": ours["objective"] / theirs["objective"] if theirs["objective"] else None,
            "worst_operator_ratio": min(ratios) if ratios else None,
            "one_group_models": models,
            "distinct_one_group_models": distinct,
        }


def micro(args) -> dict:
    """One group-week, the solve alone (one worker, as inside the pool), `runs` times each.

    Group 0 of the generator (long_term, launch) as the brief's single group, and the 42
    group-weeks of every type x stage pair, for the spread."""
    with tempfile.TemporaryDirectory() as tmp:
        ws = load(workspace(Path(tmp) / "ws", 42, args.library, args.seed, 15, args.lives))
        start = week_start(WEEK)
        weights = ws.rules.stages.objective.model_dump()
        rows = []
        book = playbook(ws, start)  # the week's, once: each problem keeps its group's part
        for group in ws.groups:
            t = time.perf_counter()
            problem = build_problem(ws, group.operator, [group], start, book)
            build = time.perf_counter() - t
            times, gaps = [], []
            for _ in range(args.micro_runs if group is ws.groups[0] else 3):
                solve_module.ANSWERS.clear()  # every run solves: no answer reused
                t = time.perf_counter()
                solution = solve_module.solve(problem, weights, args.time_limit)
                times.append(time.perf_counter() - t)
                gaps.append(solution.gap)
            rows.append(
                {
                    "group": group.id,
                    "type": group.type,
                    "stage": group.stages[0].stage,
                    "candidates": len(problem.candidates),
                    "build_s": build,
                    "median_s": statistics.median(times),
                    "gap": max(gaps),
                    "status": solution.status,
                }
            )
    medians = sorted(r["median_s"] for r in rows)
    return {
        "first": rows[0],
        "runs": args.micro_runs,
        "median_s": statistics.median(medians),
        "p90_s": medians[int(0.9 * (len(medians) - 1))],
        "max_s": medians[-1],
        "worst_gap": max(r["gap"] for r in rows),
        "median_candidates": statistics.median(r["candidates"] for r in rows),
        "median_build_s": statistics.median(r["build_s"] for r in rows),
        "rows": rows,
    }


def profile(args) -> None:
    """Where the time goes for `args.profile` groups: phases, the solver's passes per
    operator (one process, one worker), and the top functions of a cProfile."""
    calls: list[tuple[str, int, float, str]] = []
    whole = solve_module._solve_whole

    def timed(problem, weights, time_limit, *rest, **kwargs):
        t = time.perf_counter()
        solution = whole(problem, weights, time_limit, *rest, **kwargs)
        calls.append((problem.id, len(problem.groups), time.perf_counter() - t, solution.status))
        return solution

    solve_module._solve_whole = timed
    with tempfile.TemporaryDirectory() as tmp:
        root = workspace(
            Path(tmp) / "ws", args.profile, args.library, args.seed, args.slot_minutes, args.lives
        )
        ws = load(root)
        profiler = cProfile.Profile()
        t = time.perf_counter()
        profiler.enable()
        problems = build_problems(ws, WEEK)
        built = time.perf_counter()
        weights = ws.rules.stages.objective.model_dump()
        solutions = [solve_module.solve(p, weights, args.time_limit) for p in problems]
        profiler.disable()
        solved = time.perf_counter()
    print(f"{args.profile} groups, {len(problems)} operators, one process:")
    print(f"  build_problems {built - t:.2f} s, solve {solved - built:.2f} s")
    for problem, solution in zip(problems, solutions, strict=True):
        mine = [c for c in calls if c[0].split("/")[0] == problem.id]
        calls = calls[len(mine) :]
        print(
            f"  {problem.id}: {len(problem.groups)} groups, {len(problem.candidates)} "
            f"candidates, {solution.status}, gap {solution.gap:.3%}; passes: {_passes(mine)}"
        )
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(18)
    print(out.getvalue())


def _passes(calls: list[tuple[str, int, float, str]]) -> str:
    """Consecutive solver calls of one problem, runs of one-group calls folded together."""
    out: list[str] = []
    run: list[tuple[str, int, float, str]] = []
    for call in [*calls, ("", 0, 0.0, "")]:
        if call[1] == 1 and call[0] != calls[0][0].split("/")[0]:
            run.append(call)
            continue
        if run:
            statuses = dict(Counter(c[3] for c in run))
            out.append(f"{len(run)} one-group {sum(c[2] for c in run):.2f} s {statuses}")
            run = []
        if call[1]:
            out.append(f"whole operator {call[2]:.2f} s ({call[3]})")
    return "; ".join(out)


def _child(flag: list[str], args) -> dict:
    """Run one measurement in a fresh interpreter (its own peak memory and process pool)."""
    command = [sys.executable, __file__, *flag, "--library", str(args.library)]
    command += ["--seed", str(args.seed), "--slot-minutes", str(args.slot_minutes)]
    command += ["--lives", str(args.lives)]
    command += ["--time-limit", str(args.time_limit), "--micro-runs", str(args.micro_runs)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{' '.join(flag)} failed with exit code {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _statuses(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))


def table(rows: list[dict]) -> str:
    head = (
        "| groups | operators | candidates | plan_week s (prepare / build+solve / assemble) "
        "| ms per group-week | peak MB main / worker | statuses | worst gap "
        "| objective ours | objective greedy | ours / greedy (worst operator) "
        "| violations ours / greedy | missed required ours / greedy |\n"
        "|---:|---:|---:|---|---:|---|---|---:|---:|---:|---|---|---|"
    )
    lines = [head]
    for r in rows:
        ours, theirs = r["ours"], r["greedy"]
        ratio = f"{r['ratio']:.3f} ({r['worst_operator_ratio']:.3f})" if r["ratio"] else "-"
        # One batch runs in the main process: no worker then.
        workers = f"{r['worker_peak_mb']:.0f}" if r["worker_peak_mb"] else "-"
        lines.append(
            f"| {r['groups']} | {r['operators']} | {r['candidates']:,} "
            f"| {r['plan_s']:.2f} ({r['prepare_s']:.2f} / {r['solve_s']:.2f} / "
            f"{r['assemble_s']:.2f}) | {r['ms_per_group_week']:.0f} "
            f"| {r['peak_mb']:.0f} / {workers} "
            f"| {_statuses(r['statuses'])} "
            f"| {r['worst_gap']:.2%} | {ours['objective']:,} | {theirs['objective']:,} "
            f"| {ratio} | {ours['violations']} / {theirs['violations']} "
            f"| {ours['missed']} / {theirs['missed']} |"
        )
    return "\n".join(lines)


def machine() -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"OR-Tools {ortools.__version__}"
    )


def revision(repo: Path | None = None) -> str:
    """The planner measured (this checkout's, or `repo`'s): the commit, and whether planner/
    had uncommitted changes."""
    repo = repo or Path(__file__).resolve().parent.parent

    def git(*words: str) -> str:
        done = subprocess.run(["git", "-C", str(repo), *words], capture_output=True, text=True)
        return done.stdout.strip()

    dirty = " + uncommitted changes in planner/" if git("status", "--porcelain", "planner") else ""
    return (git("rev-parse", "--short", "HEAD") or "unknown") + dirty


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100", help="group counts, e.g. 1,10,100,1000")
    parser.add_argument("--library", type=int, default=100, help="items (30 to 300)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--slot-minutes", type=int, default=15)
    parser.add_argument("--lives", type=int, default=0, help="pinned lives in the library")
    parser.add_argument("--time-limit", type=float, default=10.0, help="as planner plan's")
    parser.add_argument("--workers", type=int, default=None, help="default: all cores")
    parser.add_argument("--micro-runs", type=int, default=7)
    parser.add_argument("--no-micro", action="store_true")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument("--profile", type=int, help="profile this many groups instead")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child: one size
    parser.add_argument("--micro-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args)))
        return
    if args.micro_only:
        print(json.dumps(micro(args)))
        return
    if args.profile:
        profile(args)
        return
    print(f"machine: {machine()}; planner at {revision()}", flush=True)
    results: dict = {
        "machine": machine(),
        "revision": revision(),
        "args": vars(args) | {"json": str(args.json)},
    }
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        rows.append(_child(["--one", str(size)], args))
        r = rows[-1]
        print(
            f"{size} groups: plan_week {r['plan_s']:.2f} s, worst gap {r['worst_gap']:.2%}, "
            f"ours/greedy {r['ratio'] or 0:.3f}, rules the greedy broke {r['greedy']['rules']}, "
            f"{r['distinct_one_group_models']} distinct of {r['one_group_models']} one-group "
            "models",
            file=sys.stderr,
            flush=True,
        )
    results["sizes"] = rows
    print(table(rows))
    if not args.no_micro:
        m = results["micro"] = _child(["--micro-only"], args)
        first = m["first"]
        print(
            f"\nmicro, one group-week, {args.library} items, 15-minute slots, solve only:\n"
            f"- {first['group']} ({first['type']}, {first['stage']}): median of {m['runs']} "
            f"runs {first['median_s']:.3f} s, gap {first['gap']:.2%}, "
            f"{first['candidates']:,} candidates\n"
            f"- 42 group-weeks (every type x stage): median {m['median_s']:.3f} s, "
            f"p90 {m['p90_s']:.3f} s, max {m['max_s']:.3f} s, worst gap {m['worst_gap']:.2%}, "
            f"median {m['median_candidates']:,.0f} candidates, "
            f"building the problem {m['median_build_s'] * 1000:.0f} ms"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), "utf-8")


if __name__ == "__main__":
    main()
