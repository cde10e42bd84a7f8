"""The demo over two consecutive weeks: nothing crosses a cooldown at the week boundary,
check-in day numbers continue, and a lock in week 2 moves only what it must."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import yaml
from tiny import plan_with_cli, post_day

from planner.plan import Plan
from planner.run.history import Past
from planner.verify.checker import verify
from planner.workspace.check import check_workspace


def test_demo_two_weeks_and_a_lock(demo_copy: Path, runner) -> None:
    first = plan_with_cli(runner, demo_copy, "2026-11-23")
    second = plan_with_cli(runner, demo_copy, "2026-11-30")
    ws, _ = check_workspace(demo_copy)
    history = Past(demo_copy / "outputs", date(2026, 11, 30)).history(g.id for g in ws.groups)
    assert history.earlier and verify(ws, Plan.model_validate(second), history) == []

    for post in second["posts"]:  # cooldowns hold across the boundary
        item = ws.items[post["item"]]
        earlier = [
            p for p in first["posts"] if (p["group"], p["item"]) == (post["group"], post["item"])
        ]
        if earlier and item.cooldown_days:
            assert (post_day(post) - post_day(earlier[-1])).days >= item.cooldown_days

    series: dict[str, list[dict]] = {}  # a group's daily series, whichever item carries it
    for post in sorted(first["posts"] + second["posts"], key=lambda p: p["start"]):
        if post["kind"] == "checkin":
            series.setdefault(post["group"], []).append(post)
    crossing = [
        s for s in series.values() if post_day(s[0]) < date(2026, 11, 30) <= post_day(s[-1])
    ]
    assert crossing
    for run in crossing:  # day numbers continue over the weekend
        for before, after in pairwise(run):
            consecutive = post_day(after) - post_day(before) == timedelta(days=1)
            assert after["streak"] == (before["streak"] + 1 if consecutive else 1)

    wednesday = date(2026, 12, 2)
    locked = sorted({p["group"] for p in second["posts"] if post_day(p) == wednesday})[0]
    lock = {"group": locked, "date": str(wednesday), "no_posts": True}
    (demo_copy / "locks.yaml").write_text(yaml.safe_dump({"locks": [lock]}), "utf-8")
    third = plan_with_cli(runner, demo_copy, "2026-11-30")
    assert not [p for p in third["posts"] if p["group"] == locked and post_day(p) == wednesday]
    before = {p["uid"]: p for p in second["posts"]}
    for post in third["posts"]:
        old = before.get(post["uid"])
        if old is not None:
            changed = (old["start"], old["text"]) != (post["start"], post["text"])
            assert post["sequence"] == old["sequence"] + int(changed)
    kept = {p["uid"]: p["start"] for p in third["posts"]}
    assert all(kept.get(p["uid"]) == p["start"] for p in second["posts"] if p["group"] != locked)
    dropped = {p["uid"] for p in second["posts"]} - set(kept)
    assert dropped and dropped <= {p["uid"] for p in third["cancelled"]}
