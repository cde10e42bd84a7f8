"""Benchmarks of `planner learn`, each measured in one run so the ratios compare.

    python benchmarks/learn.py accuracy [--json out.json]
    python benchmarks/learn.py memory --sizes 50,200,1000 [--json out.json]

accuracy: generated 8-week histories with a known truth (each group's members active in
two hours of the day, 90% of their messages there, 10% at random hours; three of the four
truths lie outside the long_term type's strongest peak, the evening); the week is planned
with the default profiles and with the learned ones, and the share of each group's movable
posts (articles: the check-in is required in the morning) inside its true hours is
reported.

memory: a Telegram result.json of each size is generated under /tmp (never committed),
`planner learn` reads it in a fresh process, and its wall time and peak memory (max RSS)
are recorded: flat memory across sizes is what streaming means.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from chat_exports import SHANGHAI, Msg, wecom  # noqa: E402
from tiny import WEEK, build, group, items_of  # noqa: E402

from planner.run.week import plan_week  # noqa: E402
from planner.workspace.check import check_workspace  # noqa: E402

TRUTH = {"tea": (15, 16), "parents": (21, 22), "night": (12, 13), "office": (10, 11)}
ITEMS = items_of(
    ("ck", "checkin", {"repeat": "daily"}),
    *[(f"a{n}", "article", {"repeat": "daily", "value": 5}) for n in range(4)],
)


def history(hours: tuple[int, ...], seed: int, per_day: int = 12) -> list[Msg]:
    """8 weeks before the plan week: per_day messages a day, 90% in the true hours."""
    rng = random.Random(seed)
    start = datetime.combine(WEEK - timedelta(weeks=8), datetime.min.time(), SHANGHAI)
    out = []
    for day in range(56):
        for _ in range(per_day):
            hour = rng.choice(hours) if rng.random() < 0.9 else rng.randrange(24)
            when = start + timedelta(days=day, hours=hour, minutes=rng.randrange(60))
            out.append(Msg(when))
    return out


def share_inside(plan, truth: dict[str, tuple[int, ...]]) -> dict[str, float]:
    out = {}
    for group_id, hours in truth.items():
        posts = [p for p in plan.posts if p.group == group_id and p.kind == "article"]
        inside = [p for p in posts if p.start.astimezone(SHANGHAI).hour in hours]
        out[group_id] = round(len(inside) / len(posts), 3) if posts else 0.0
    return out


def accuracy() -> dict:
    from click.testing import CliRunner

    from planner.cli import main

    folder = Path(tempfile.mkdtemp(prefix="learn-bench-"))
    caps = {"per_day": 3}
    groups = [group(g, caps=caps, chat_ids=[f"wr-{g}"]) for g in TRUTH]
    build(folder / "ws", groups, ITEMS)
    default = plan_week(check_workspace(folder / "ws")[0], WEEK, time_limit=10, workers=1)
    exports = [
        str(wecom(folder / f"{g}.jsonl", f"wr-{g}", history(hours, seed)))
        for seed, (g, hours) in enumerate(TRUTH.items())
    ]
    result = CliRunner().invoke(main, ["learn", str(folder / "ws"), *exports])
    assert result.exit_code == 0, result.output
    learned = plan_week(check_workspace(folder / "ws")[0], WEEK, time_limit=10, workers=1)
    shutil.rmtree(folder)
    before, after = share_inside(default, TRUTH), share_inside(learned, TRUTH)
    return {
        "truth": {g: f"{h[0]:02d}:00-{h[-1] + 1:02d}:00" for g, h in TRUTH.items()},
        "share_in_true_hours_default": before,
        "share_in_true_hours_learned": after,
        "mean_default": round(sum(before.values()) / len(before), 3),
        "mean_learned": round(sum(after.values()) / len(after), 3),
    }


def telegram_export(path: Path, megabytes: int) -> int:
    """A one-chat result.json of about `megabytes`, written message by message."""
    target = megabytes * 1024 * 1024
    start = int(datetime(2025, 1, 6, tzinfo=SHANGHAI).timestamp())
    rng = random.Random(megabytes)
    written = count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('{\n "name": "茶友群",\n "type": "private_supergroup",\n "id": 42,\n')
        out.write(' "messages": [\n')
        while written < target:
            stamp = start + count * 30 + rng.randrange(30)
            record = {
                "id": count + 1,
                "type": "message",
                "date": datetime.fromtimestamp(stamp, SHANGHAI).replace(tzinfo=None).isoformat(),
                "date_unixtime": str(stamp),
                "from": f"成员{count % 300}",
                "from_id": f"user{count % 300}",
                "text": ["今天的茶真不错，", {"type": "bold", "text": "下午三点"}, "见"],
            }
            line = ("  " if count == 0 else ",\n  ") + json.dumps(record, ensure_ascii=False)
            written += out.write(line)
            count += 1
        out.write("\n ]\n}\n")
    return count


def memory(sizes: list[int]) -> list[dict]:
    out = []
    for megabytes in sizes:
        folder = Path(tempfile.mkdtemp(prefix="learn-mem-"))
        build(folder / "ws", [group("tea", chat_ids=[42])], ITEMS)
        export = folder / "result.json"
        count = telegram_export(export, megabytes)
        code = (
            "import resource, sys, time; from planner.cli import main; t = time.perf_counter()\n"
            "try: main(sys.argv[1:])\nexcept SystemExit: pass\n"
            "print('SECONDS', time.perf_counter() - t, file=sys.stderr)\n"
            "print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
        )
        args = [sys.executable, "-c", code, "learn", str(folder / "ws"), str(export)]
        done = subprocess.run(args, capture_output=True, text=True, check=False)
        facts = dict(line.split() for line in done.stderr.splitlines() if line[:3] in "SECMAX")
        out.append(
            {
                "megabytes": round(export.stat().st_size / 2**20),
                "messages": count,
                "seconds": round(float(facts["SECONDS"]), 1),
                "peak_rss_mb": round(int(facts["MAXRSS"]) / 1024),
                "output": done.stdout.strip().splitlines()[:2],
            }
        )
        print(out[-1], file=sys.stderr)
        shutil.rmtree(folder)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["accuracy", "memory"])
    parser.add_argument("--sizes", default="50,200", help="export sizes in MB (memory)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    if args.what == "accuracy":
        result: object = accuracy()
    else:
        result = memory([int(s) for s in args.sizes.split(",")])
    report = {"benchmark": args.what, "result": result}
    report["wall_seconds"] = round(time.perf_counter() - started, 1)
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
