"""Operators of many groups (issue 19): the coupled method against the earlier one, one run.

    python benchmarks/coupled.py --sizes 10,20,40,100,200 --sets mixed,alike \\
        [--methods steps,prices] [--baseline-up-to 40] [--baseline-tree ../before] \\
        [--jobs 2] [--thousand] [--json coupled.json]

One operator with N groups (`mixed`: every type and stage, as benchmarks/generate.py
writes them; `alike`: N long-term groups in retention, all wanting the same peaks), whose
capacity, daily load and working hours couple the groups (generate.busy_operators); and,
with --thousand, 1,000 mixed groups, 100 per operator. Each measurement runs `plan_week`
in a fresh process with one worker, then scores the plan with the independent checker and
the objective, and does the same for the greedy baseline (benchmarks/greedy.py). Each size
runs with each of --methods ("steps", the default, or "prices": solve.COUPLING) and, up to
--baseline-up-to groups, with the planner of --baseline-tree (a checkout of an earlier
commit: the earlier method, its child without the greedy, which is the same workspace's),
in the same run, so their ratio compares like with like. --jobs 2 runs the instance's
measurements side by side (one core each on a 2-core machine).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import WEEK, workspace
from greedy import greedy_plan
from run import load, machine, revision, score

from planner.run.week import InfeasibleWeek, plan_week
from planner.solver import coupled
from planner.solver import solve as solve_module


def rounds_counter() -> list[int]:
    """Record the rounds of pricing each coupled operator took."""
    rounds: list[int] = []
    real = coupled.subgradient

    def counted(*args):
        bound, prices, taken = real(*args)
        rounds.append(taken)
        return bound, prices, taken

    coupled.subgradient = counted
    return rounds


def one(args) -> dict:
    """plan_week on one instance with one method, then the greedy on the same workspace."""
    kind, size, method, per_operator = args.one.split(":")
    size, per_operator = int(size), int(per_operator)
    solve_module.COUPLING = method
    rounds = rounds_counter()
    with tempfile.TemporaryDirectory() as tmp:
        root = workspace(
            Path(tmp) / "ws", size, args.library, args.seed, 15, 0,
            per_operator=per_operator, alike=kind == "alike", busy=True,
        )  # fmt: skip
        ws = load(root)
        started = time.perf_counter()
        try:
            plan = plan_week(ws, WEEK, args.time_limit, workers=args.workers)
        except InfeasibleWeek as exc:
            plan = exc.plan
        planned = time.perf_counter() - started
        ours = score(ws, plan)
        theirs = ours if args.no_greedy else score(ws, greedy_plan(ws, WEEK))
    return {
        "set": kind,
        "groups": size,
        "per_operator": per_operator,
        "method": method,
        "plan_s": planned,
        "s_per_group": planned / size,
        "statuses": sorted(p.status for p in plan.problems),
        "worst_gap": max(p.gap for p in plan.problems),
        "bound": sum(p.best_bound for p in plan.problems),
        "rounds": rounds,
        "ours": ours,
        "greedy": theirs,
        "worst_operator_ratio": worst_ratio(ours, theirs),
    }


def worst_ratio(ours: dict, theirs: dict) -> float:
    """The lowest operator's objective over the greedy's."""
    mine = ours["per_operator"]
    return min(mine[op] / max(theirs["per_operator"][op], 1) for op in mine)


def _child(spec: str, args) -> dict:
    """One measurement in a fresh process; a spec whose method ends in "@before" runs the
    planner of --baseline-tree, without the greedy (the other child's, same workspace)."""
    kind, size, method, per_operator = spec.split(":")
    before = method.endswith("@before")
    command = [sys.executable, __file__, "--library", str(args.library), "--seed", str(args.seed)]
    command += ["--one", f"{kind}:{size}:{method.removesuffix('@before')}:{per_operator}"]
    command += ["--time-limit", str(args.time_limit), "--workers", str(args.workers)]
    command += ["--no-greedy"] if before else []
    env = {**os.environ, "PYTHONPATH": str(args.baseline_tree)} if before else None
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{spec} failed with exit code {done.returncode}")
    row = json.loads(done.stdout.strip().splitlines()[-1])
    if before:
        row["method"] = f"{method} ({args.baseline_revision})"
    return row


def table(rows: list[dict]) -> str:
    lines = [
        "| set | groups | per operator | method | plan_week s | s per group | x of 10 groups "
        "| worst gap | rounds | objective ours | objective greedy | worst operator ours / greedy "
        "| violations ours / greedy |",
        "|---|---:|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---|",
    ]
    first = {}
    for r in rows:
        key = (r["set"], r["method"])
        first.setdefault(key, r["s_per_group"])
        lines.append(
            f"| {r['set']} | {r['groups']} | {r['per_operator']} | {r['method']} "
            f"| {r['plan_s']:.1f} | {r['s_per_group']:.2f} "
            f"| {r['s_per_group'] / first[key]:.2f} | {r['worst_gap']:.2%} "
            f"| {','.join(map(str, r['rounds'])) or '-'} | {r['ours']['objective']:,} "
            f"| {r['greedy']['objective']:,} | {r['worst_operator_ratio']:.3f} "
            f"| {r['ours']['violations']} / {r['greedy']['violations']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,20,40,100,200")
    parser.add_argument("--sets", default="mixed,alike")
    parser.add_argument("--methods", default="steps")
    parser.add_argument("--baseline-up-to", type=int, default=40)
    parser.add_argument("--baseline-tree", type=Path, help="a checkout of the earlier planner")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="plan_week's (with --one)")
    parser.add_argument("--no-greedy", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--thousand", action="store_true", help="1,000 groups, 100 each")
    parser.add_argument("--library", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args)))
        return
    print(f"machine: {machine()}; planner at {revision()}", flush=True)
    if args.baseline_tree:
        args.baseline_revision = revision(args.baseline_tree)
    methods = args.methods.split(",")
    specs = []
    for kind in args.sets.split(","):
        for size in [int(size) for size in args.sizes.split(",") if size]:  # "": none
            specs += [f"{kind}:{size}:{method}:{size}" for method in methods]
            if args.baseline_tree and size <= args.baseline_up_to:
                specs.append(f"{kind}:{size}:steps@before:{size}")
    if args.thousand:
        specs += [f"mixed:1000:{method}:100" for method in methods]
    rows = []
    with ThreadPoolExecutor(args.jobs) as pool:  # each row printed as it ends
        for done in as_completed([pool.submit(_child, spec, args) for spec in specs]):
            rows.append(done.result())
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    greedy = {(r["set"], r["groups"]): r["greedy"] for r in rows if "(" not in r["method"]}
    for r in rows:  # the earlier planner's children ran no greedy: the same workspace's
        r["greedy"] = greedy.get((r["set"], r["groups"]), r["greedy"])
        r["worst_operator_ratio"] = worst_ratio(r["ours"], r["greedy"])
    print(table(sorted(rows, key=lambda r: (r["set"], r["method"], r["groups"]))))
    if args.json:
        result = {"machine": machine(), "revision": revision(), "rows": rows}
        args.json.write_text(json.dumps(result, indent=1), "utf-8")


if __name__ == "__main__":
    main()
