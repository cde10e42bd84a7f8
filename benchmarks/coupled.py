"""Operators of many groups (issue 19): the coupled method against the earlier one, one run.

    python benchmarks/coupled.py --sizes 10,20,40,100,200 --sets mixed,alike \\
        [--baseline-up-to 40] [--thousand] [--json coupled.json]

One operator with N groups (`mixed`: every type and stage, as benchmarks/generate.py
writes them; `alike`: N long-term groups in retention, all wanting the same peaks), whose
capacity, daily load and working hours couple the groups (generate.busy_operators); and,
with --thousand, 1,000 mixed groups, 100 per operator. Each measurement runs `plan_week`
in a fresh process with one worker, then scores the plan with the independent checker and
the objective, and does the same for the greedy baseline (benchmarks/greedy.py). Each size
runs with the coupled method ("prices") and, up to --baseline-up-to groups, the earlier
one ("steps"), in the same run, so their ratio compares like with like.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
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
            plan = plan_week(ws, WEEK, args.time_limit, workers=1)
        except InfeasibleWeek as exc:
            plan = exc.plan
        planned = time.perf_counter() - started
        ours, theirs = score(ws, plan), score(ws, greedy_plan(ws, WEEK))
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
        "ours": {k: v for k, v in ours.items() if k != "per_operator"},
        "greedy": {k: v for k, v in theirs.items() if k != "per_operator"},
        "worst_operator_ratio": min(
            ours["per_operator"][op] / max(theirs["per_operator"][op], 1)
            for op in ours["per_operator"]
        ),
    }


def _child(spec: str, args) -> dict:
    command = [sys.executable, __file__, "--one", spec, "--library", str(args.library)]
    command += ["--seed", str(args.seed), "--time-limit", str(args.time_limit)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{spec} failed with exit code {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


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
    parser.add_argument("--baseline-up-to", type=int, default=40)
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
    specs = []
    for kind in args.sets.split(","):
        for size in map(int, args.sizes.split(",")):
            specs.append(f"{kind}:{size}:prices:{size}")
            if size <= args.baseline_up_to:
                specs.append(f"{kind}:{size}:steps:{size}")
    if args.thousand:
        specs.append("mixed:1000:prices:100")
    rows = []
    for spec in specs:
        rows.append(_child(spec, args))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    print(table(sorted(rows, key=lambda r: (r["set"], r["method"], r["groups"]))))
    if args.json:
        result = {"machine": machine(), "revision": revision(), "rows": rows}
        args.json.write_text(json.dumps(result, indent=1), "utf-8")


if __name__ == "__main__":
    main()
