"""The long fuzz run (issue 22, item 6): the cases of tests/test_fuzz_inputs.py by the thousand.

    python benchmarks/fuzz_run.py --minutes 15 [--cases 10000] [--seed 0] [--out FILE]

Case `seed + n` mutates the base workspace of tests/fuzz/ once or twice (every input file
kind: planner.yaml, groups.yaml, campaigns.yaml, locks.yaml, a rule pack, items' front
matter and bodies, a template), runs `planner check`, and `planner plan` when check
passed, in this process. Stops after `--cases` or `--minutes`, whichever comes first, and
writes the figures as JSON: cases run, exit codes, every case that broke the property (exit
3, a traceback, exit 1 without file:line) with its seed to replay, the process's peak
resident memory (an upper bound for every case) and the slowest case. The address space
is capped at 4 GB so that a case that would take the machine's memory ends in a recorded
MemoryError instead.
"""

from __future__ import annotations

import argparse
import collections
import json
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fuzz.cases import run_case  # noqa: E402

MEMORY_CAP = 4 * 1024**3


def main() -> None:
    options = _options()
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    started = time.perf_counter()
    codes: collections.Counter = collections.Counter()
    bugs, slowest, cases = [], (0.0, None), 0
    while cases < options.cases and time.perf_counter() - started < options.minutes * 60:
        seed = options.seed + cases
        case_started = time.perf_counter()
        done, outcomes = run_case(random.Random(seed))
        took = time.perf_counter() - case_started
        cases += 1
        slowest = max(slowest, (took, seed), key=lambda pair: pair[0])
        for outcome in outcomes:
            codes[f"{outcome.command} {outcome.exit_code}"] += 1
            if outcome.bug():
                bugs.append({"seed": seed, "mutated": done, "bug": outcome.bug(),
                             "output": outcome.output[-1500:]})  # fmt: skip
                print(f"seed {seed}: {outcome.bug()}", flush=True)
        if cases % 100 == 0:
            print(
                f"{cases} cases, {len(bugs)} bugs, {time.perf_counter() - started:.0f} s",
                flush=True,
            )
    figures = _figures(options, cases, codes, bugs, slowest, time.perf_counter() - started)
    out = options.out or REPO / "benchmarks" / f"fuzz-{figures['commit']}.json"
    Path(out).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(json.dumps({k: v for k, v in figures.items() if k != "bugs"}, indent=2))


def _figures(options, cases, codes, bugs, slowest, seconds) -> dict:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO
    ).stdout.strip()
    return {
        "commit": commit,
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "first_seed": options.seed,
        "cases": cases,
        "seconds": round(seconds, 1),
        "seconds_per_case": round(seconds / max(cases, 1), 3),
        "exit_codes": dict(sorted(codes.items())),
        "internal_errors": sum(1 for bug in bugs if "exited 3" in bug["bug"]),
        "property_broken": len(bugs),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "max_case_seconds": round(slowest[0], 2),
        "slowest_seed": slowest[1],
        "bugs": bugs,
    }


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--minutes", type=float, default=15.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None)
    return parser.parse_args()


if __name__ == "__main__":
    main()
