"""Scale-out benchmark: one large week end to end, on the local process pool and on Ray.

    python benchmarks/scale.py --groups 10000 --library 30 [--executors local,ray]
        [--weeks 2] [--baseline SRC]

For each executor, in a fresh process (so the driver's peak memory is its own): what
`planner plan` runs (planner.run.pipeline): load the workspace, plan the week (each
operator built, solved and rendered on the executor, its files streamed to staging),
verify it, write the week's own files and publish. Prints the phases' wall
times, the driver's peak resident memory, whether the executors wrote byte-identical
outputs, Ray's overhead as a ratio to the local pool measured in the same run, and the
cost per group-week and core from which benchmarks/README.md projects 1,000,000 groups.
`--weeks 2` plans the following week too, into the same output folder, so the second
week reads the first as its history (cooldowns, streaks) the way `planner plan` does.
`--baseline SRC` runs every measurement once more with the planner of another checkout
(e.g. an earlier commit) on the same workspace: the ratio is measured in the same run.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import WEEK, workspace

from planner.solver.problem import iso_week


def child(args) -> None:
    """One executor's run, in this process; its figures as JSON on stdout."""
    from planner.run.pipeline import plan_and_publish
    from planner.run.revisions import previous_plan
    from planner.verify.checker import verify
    from planner.workspace.check import check_workspace

    day = date.fromisoformat(args.week)
    try:
        from planner.run.history import Past

        past = Past(Path(args.out), day)
    except ImportError:  # a baseline from before plans/ files: the whole plan.json
        from planner.run.history import load_history

        past = load_history(Path(args.out), day)
    marks = {"start": time.perf_counter()}
    ws, problems = check_workspace(Path(args.workspace))
    if ws is None or problems.errors:
        raise SystemExit("\n".join(map(str, problems.errors)))
    marks["loaded"] = time.perf_counter()
    # the driver's peak so far: the workspace loaded (the part that grows with groups)
    load_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # What `planner plan` runs: workers plan, verify and render their operators' files
    # and pieces, which stream into staging; then the week's own files are assembled
    # from the pieces and everything is published.
    published = plan_and_publish(
        ws,
        day,
        Path(args.out),
        past,
        args.time_limit,
        None,
        args.child,
        on_problems=lambda _: marks.__setitem__("built", time.perf_counter()),
        on_done=lambda _: marks.__setitem__("planned", time.perf_counter()),
    )
    marks["written"] = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # the largest local worker process (all have ended and been reaped by now); Ray's
    # workers are not this process's children
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    # Once more, outside the timed run and after the peak is taken: the whole plan.json
    # read back and verified by the driver, for the record.
    plan = previous_plan(published.folder / "plan.json")
    assert plan is not None, "plan.json is readable"
    violations = verify(ws, plan)
    statuses: dict[str, int] = {}
    for problem in plan.problems:
        statuses[problem.status] = statuses.get(problem.status, 0) + 1
    print(
        json.dumps(
            {
                "executor": args.child,
                "week": args.week,
                "load_s": marks["loaded"] - marks["start"],
                "prepare_s": marks["built"] - marks["loaded"],
                "solve_s": marks["planned"] - marks["built"],  # and render, in the workers
                "verify_write_s": marks["written"] - marks["planned"],
                "total_s": marks["written"] - marks["start"],
                "driver_load_peak_mb": load_peak_mb,
                "driver_peak_mb": peak_mb,
                "worker_peak_mb": children if args.child == "local" else None,
                "posts": len(plan.posts),
                "statuses": statuses,
                "worst_gap": max(p.gap for p in plan.problems),
                "violations": len(violations),
            }
        )
    )


def same_tree(a: Path, b: Path) -> bool:
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    if files_a != files_b:
        return False
    return all(filecmp.cmp(a / f, b / f, shallow=False) for f in files_a)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--library", type=int, default=30, help="items (30 to 300)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--executors", default="local,ray")
    parser.add_argument("--weeks", type=int, default=1, help="consecutive weeks to plan")
    parser.add_argument("--baseline", type=Path, help="another checkout to measure too")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--week", default=WEEK.isoformat(), help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--workspace", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    cores = os.cpu_count() or 1
    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        root = workspace(Path(tmp) / "ws", args.groups, args.library, args.seed, 15, 0)
        rows = []
        sources = [("", None)] + ([("@baseline", args.baseline)] if args.baseline else [])
        for name in args.executors.split(","):
            for label, source in sources:
                out = Path(tmp) / f"out-{name}{label}"
                env = dict(os.environ)
                if source is not None:
                    env["PYTHONPATH"] = str(source.resolve())
                for week in range(args.weeks):
                    day = WEEK + timedelta(weeks=week)
                    command = [sys.executable, __file__, "--child", name, "--workspace", str(root)]
                    command += ["--out", str(out), "--time-limit", str(args.time_limit)]
                    command += ["--week", day.isoformat()]
                    done = subprocess.run(
                        command, capture_output=True, text=True, check=False, env=env
                    )
                    if done.returncode:
                        raise SystemExit(f"{name}{label} failed:\n{done.stderr[-3000:]}")
                    row = json.loads(done.stdout.strip().splitlines()[-1])
                    row["executor"] = f"{name}{label}"
                    rows.append(row)
                    print(json.dumps(row), flush=True)
        identical = None
        names = [n for n in args.executors.split(",")]
        if len(names) == 2:
            identical = all(
                same_tree(
                    *(Path(tmp) / f"out-{n}" / iso_week(WEEK + timedelta(weeks=k)) for n in names)
                )
                for k in range(args.weeks)
            )
        # the same plans as the baseline checkout (its folders have no plans/ files)
        same_plans = None
        if args.baseline:
            same_plans = all(
                filecmp.cmp(
                    Path(tmp) / f"out-{n}" / iso_week(WEEK + timedelta(weeks=k)) / "plan.json",
                    Path(tmp)
                    / f"out-{n}@baseline"
                    / iso_week(WEEK + timedelta(weeks=k))
                    / "plan.json",
                    shallow=False,
                )
                for n in names
                for k in range(args.weeks)
            )
    local = next((r for r in rows if r["executor"] == "local"), rows[0])
    # ratios against the first week of the local run (or of the first executor)
    per_core_ms = 1000 * local["solve_s"] * cores / args.groups
    serial_ms = 1000 * (local["total_s"] - local["solve_s"]) / args.groups
    summary = {
        "groups": args.groups,
        "library": args.library,
        "cores": cores,
        "rows": rows,
        "identical_outputs": identical,
        "same_plan_json_as_baseline": same_plans,
        "solve_ms_per_group_week_per_core": per_core_ms,
        "driver_ms_per_group_week": serial_ms,
    }
    for row in rows:
        key = f"{row['executor']}@{row['week']}"
        same_week = next(
            r for r in rows if r["week"] == row["week"] and r["executor"] == local["executor"]
        )
        if row is not same_week:
            summary[f"{key}_over_{local['executor']}"] = {
                "total": row["total_s"] / same_week["total_s"],
                "driver_peak": row["driver_peak_mb"] / same_week["driver_peak_mb"],
            }
    print(json.dumps(summary, indent=2))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
