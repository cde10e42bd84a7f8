"""Memory across weeks: cooldowns and streaks cross the week boundary; a re-plan after a lock
moves only what it must, keeps UIDs and raises SEQUENCE on the moved posts."""

from __future__ import annotations

import json
import shutil
from datetime import date
from itertools import pairwise
from pathlib import Path

import yaml
from tiny import build, group, items_of, plan_with_cli, post_day

ITEMS = items_of(
    ("ck", "checkin", {"repeat": "daily", "window": "07:00-09:00", "value": 3}),
    ("cool", "article", {"repeat": "daily", "cooldown_days": 3, "value": 10}),
    ("once", "article", {"value": 9}),
    *[(f"a{n}", "article", {"repeat": "daily", "value": 4 + n}) for n in range(3)],
)


def test_two_weeks_then_a_lock(tmp_path: Path, runner) -> None:
    ws = tmp_path / "ws"
    build(ws, [group("g", caps={"per_day": 3})], ITEMS)
    first = plan_with_cli(runner, ws, "2026-11-23")
    second = plan_with_cli(runner, ws, "2026-11-30")

    cool_days = sorted(post_day(p) for p in first["posts"] + second["posts"] if p["item"] == "cool")
    assert len(cool_days) >= 4
    assert all((b - a).days >= 3 for a, b in pairwise(cool_days))
    assert [p for p in first["posts"] if p["item"] == "once"]
    assert not [p for p in second["posts"] if p["item"] == "once"]  # waits 4 weeks

    checkins = sorted(
        (p for p in first["posts"] + second["posts"] if p["item"] == "ck"), key=lambda p: p["start"]
    )
    assert [p["streak"] for p in checkins] == list(range(1, 15))  # 14 days in a row
    monday = checkins[7]
    assert post_day(monday) == date(2026, 11, 30) and monday["streak"] == 8

    wednesday = date(2026, 12, 2)
    busy = [p for p in second["posts"] if post_day(p) == wednesday and p["kind"] == "article"]
    victim = busy[0]["item"]
    (ws / "locks.yaml").write_text(
        yaml.safe_dump(
            {"locks": [{"group": "g", "item": victim, "forbid": True, "date": str(wednesday)}]}
        ),
        "utf-8",
    )
    third = plan_with_cli(runner, ws, "2026-12-01")
    before = {p["uid"]: p for p in second["posts"]}
    after = {p["uid"]: p for p in third["posts"]}
    assert not [p for p in third["posts"] if post_day(p) == wednesday and p["item"] == victim]
    for uid, post in after.items():
        old = before.get(uid)
        if post_day(post) != wednesday:
            assert old is not None and old["start"] == post["start"], post  # untouched days stay
        if old is not None and old["start"] == post["start"] and old["text"] == post["text"]:
            assert post["sequence"] == old["sequence"]
        elif old is not None:
            assert post["sequence"] == old["sequence"] + 1
    dropped = set(before) - set(after)
    assert dropped == {p["uid"] for p in busy if p["item"] == victim}
    cancelled = {p["uid"] for p in third["cancelled"]}
    assert dropped <= cancelled
    ics = (ws / "outputs" / "2026-W49" / "calendar.ics").read_text("utf-8")
    assert "STATUS:CANCELLED" in ics


def test_replan_without_changes_is_identical(tmp_path: Path, runner) -> None:
    ws = tmp_path / "ws"
    build(ws, [group("g"), group("h", gtype="fan")], ITEMS)
    plan_with_cli(runner, ws, "2026-11-23")
    week = ws / "outputs" / "2026-W48"
    first = {p.name: p.read_bytes() for p in week.rglob("*") if p.is_file()}
    plan_with_cli(runner, ws, "2026-11-26")
    assert {p.name: p.read_bytes() for p in week.rglob("*") if p.is_file()} == first


def _variants(tmp_path: Path, ws: Path, week: str) -> dict[str, Path]:
    """Copies of a workspace whose week folder keeps both the plans files and plan.json,
    only the plans files, or only plan.json (as written before plans/ existed)."""
    out = {}
    for name, drop in (("both", None), ("plans", "plan.json"), ("legacy", "plans")):
        copy = tmp_path / name
        shutil.copytree(ws, copy)
        if drop:
            target = copy / "outputs" / week / drop
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        out[name] = copy
    return out


def test_later_runs_read_each_groups_plans_file_or_else_plan_json(tmp_path: Path, runner) -> None:
    """The next week, and a re-plan of a week, read the groups' plans/<group>.json; a week
    folder from before plans/ existed is read from its plan.json; the plans are the same."""
    ws = tmp_path / "ws"
    build(ws, [group("g"), group("h", gtype="fan", operator="other")], ITEMS)
    plan_with_cli(runner, ws, "2026-11-23")
    next_weeks = {
        name: plan_with_cli(runner, copy, "2026-11-30")
        for name, copy in _variants(tmp_path / "next", ws, "2026-W48").items()
    }
    assert next_weeks["plans"] == next_weeks["both"] == next_weeks["legacy"]
    streaks = [p["streak"] for p in next_weeks["plans"]["posts"] if p["item"] == "ck"]
    assert min(streaks) == 8  # the series goes on from last week: the past was read

    plan_with_cli(runner, ws, "2026-11-30")
    (ws / "groups.yaml").write_text(  # h leaves: its published posts are cancelled
        yaml.safe_dump({"groups": [group("g")]}), "utf-8"
    )
    replans = {
        name: plan_with_cli(runner, copy, "2026-11-30")
        for name, copy in _variants(tmp_path / "again", ws, "2026-W49").items()
    }
    assert replans["plans"] == replans["both"] == replans["legacy"]
    cancelled = replans["plans"]["cancelled"]
    assert cancelled and {p["group"] for p in cancelled} == {"h"}
    assert all(p["sequence"] == 1 for p in cancelled)
    # the removed group's file keeps its cancelled posts for the next re-plan
    again = tmp_path / "again" / "plans"
    kept = json.loads((again / "outputs" / "2026-W49" / "plans" / "h.json").read_text("utf-8"))
    assert [p["uid"] for p in kept["cancelled"]] == [p["uid"] for p in cancelled]
    third = plan_with_cli(runner, again, "2026-11-30")
    assert [(p["uid"], p["sequence"]) for p in third["cancelled"]] == [
        (p["uid"], p["sequence"]) for p in cancelled
    ]


def test_a_damaged_plans_file_is_named_and_the_rest_planned(tmp_path: Path, runner) -> None:
    from planner.cli import main

    ws = tmp_path / "ws"
    build(ws, [group("g"), group("h", operator="other")], ITEMS)
    plan_with_cli(runner, ws, "2026-11-23")
    damaged = ws / "outputs" / "2026-W48" / "plans" / "g.json"
    damaged.write_text('{"group": "g", "posts": "many"}', "utf-8")
    result = runner.invoke(main, ["plan", str(ws), "--week", "2026-11-30"])
    assert result.exit_code == 1, result.output  # bad input (issue 23), never exit 3
    assert f"{damaged}: not a plan file the planner wrote" in result.stderr
    assert "delete it to plan its group without that week's memory" in result.stderr
    script = (ws / "outputs" / "2026-W49" / "scripts" / "h.md").read_text("utf-8")
    assert "```post" in script  # the other operator's group is planned
