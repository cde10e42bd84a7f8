"""Variety across the week boundary: item_days counts the days of the week before in its
seven-day window and keeps the day after the week before's last; a `weekly` item waits
seven days from its last post; a check-in series goes on over the days the plan keeps
free (an operator's days off, a no_posts lock)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import yaml
from test_catalogue import term_score
from test_scheduler_rules import add, at, post
from tiny import WEEK, build, group, items_of, plan_with_cli, post_day

from planner.plan import Plan
from planner.run.history import Past
from planner.verify.checker import verify
from planner.workspace.check import check_workspace
from planner.workspace.load import Workspace

DAYTIME = [f"{h}:00" for h in range(10, 19)]
BEFORE = WEEK - timedelta(days=7)  # the week planned first
SAT_SUN = [("a0", f"{BEFORE + timedelta(days=d)} 15:00") for d in (5, 6)]
FRIDAY = str(WEEK + timedelta(days=4))  # the weekly quiz's last valid day
ITEMS = items_of(
    ("ck", "checkin", {"repeat": "daily", "value": 3}),
    *[(f"a{n}", "article", {"repeat": "daily", "value": 9 - n}) for n in range(4)],
    (
        "q",
        "quiz",
        {"repeat": "weekly", "value": 10, "window": "19:00-21:00", "valid_until": FRIDAY},
    ),
)
# the week before's last days, as pins: the plans of the two weeks differ at the boundary
PINS = [
    ("a0", f"{BEFORE + timedelta(days=3)} 15:00"),
    ("a0", f"{BEFORE + timedelta(days=4)} 15:00"),
    ("a1", f"{BEFORE + timedelta(days=5)} 15:00"),
    ("a1", f"{BEFORE + timedelta(days=6)} 15:00"),
    ("a2", f"{BEFORE + timedelta(days=6)} 16:00"),
    ("q", f"{BEFORE + timedelta(days=4)} 20:00"),
]


def two_weeks(root: Path, runner, pins: list[tuple[str, str]], **extra) -> tuple[dict, dict]:
    """Plan the week before WEEK with these (item, local time) pins, then WEEK without."""
    build(root, [group("g", caps={"per_day": 6}, **extra)], ITEMS, variety=True)
    locks = [{"group": "g", "item": item, "at": at} for item, at in pins]
    (root / "locks.yaml").write_text(yaml.safe_dump({"locks": locks}), "utf-8")
    first = plan_with_cli(runner, root, str(BEFORE))
    (root / "locks.yaml").unlink()
    return first, plan_with_cli(runner, root, str(WEEK))


def days_of(plan: dict, item: str) -> list[date]:
    return sorted({post_day(p) for p in plan["posts"] if p["item"] == item})


def with_history(ws_root: Path, plan: dict, item: str, day: int, clocks: list[str]):
    """The workspace, WEEK's plan with one post added at the one of `clocks` farthest from
    that day's posts (so that no gap rule is broken), and the history it is read with."""
    ws = _loaded(ws_root)
    week = Plan.model_validate(plan)
    history = Past(ws_root / "outputs", WEEK).history(["g"])
    assert verify(ws, week, history) == []
    taken = [p.start for p in week.posts if p.start.date() == at(day, "00:00").date()]
    start = max(
        (at(day, clock) for clock in clocks),
        key=lambda moment: min((abs(moment - t) for t in taken), default=timedelta(days=1)),
    )
    return ws, week, add(week, post(ws, "g", item, start)), history


def broken_with(ws_root: Path, plan: dict, item: str, day: int, clocks: list[str]) -> set[str]:
    """The rules WEEK's plan breaks, read with its history, with one post added."""
    ws, _, changed, history = with_history(ws_root, plan, item, day, clocks)
    return {v.rule for v in verify(ws, changed, history)}


def _loaded(root: Path) -> Workspace:
    ws, findings = check_workspace(root)
    assert ws is not None and not findings.errors
    return ws


def test_item_days_window_satisfied(tmp_path: Path, runner) -> None:
    """a0, worth most, went out last Saturday and Sunday: not again before this Saturday
    (two days in any seven), and never on Monday (the day after)."""
    first, second = two_weeks(tmp_path / "ws", runner, SAT_SUN)
    assert days_of(first, "a0")[-2:] == [BEFORE + timedelta(days=5), BEFORE + timedelta(days=6)]
    used = days_of(second, "a0")
    assert used and all(day >= WEEK + timedelta(days=5) for day in used), used


def test_item_days_window_violated(tmp_path: Path, runner) -> None:
    """a0 moved to Wednesday: no hard rule broken (a week must stay possible when the week
    before used the library up); three seven-day windows (from last Thursday, Friday and
    Saturday) then hold it on three days, one over in each: 3 x repeat_penalty."""
    ws_root = tmp_path / "ws"
    _, second = two_weeks(ws_root, runner, SAT_SUN)
    second = {**second, "posts": [p for p in second["posts"] if p["item"] != "a0"]}
    ws, week, changed, history = with_history(ws_root, second, "a0", 2, DAYTIME)
    assert {v.rule for v in verify(ws, changed, history)} == set()
    penalty = ws.rules.stages.objective.repeat_penalty
    before = term_score(ws, week, "item_days_window", history)
    assert before == 0 and term_score(ws, changed, "item_days_window", history) == -3 * penalty
    assert term_score(ws, changed, "item_days_window") == 0  # without the week before


def test_item_days_not_the_day_after(tmp_path: Path, runner) -> None:
    """a0 went out last Sunday only: this week it may go out once more before Sunday, but
    not on Monday, the day after; adding it on Monday is reported as item_days."""
    ws = tmp_path / "ws"
    first, second = two_weeks(ws, runner, [("a0", f"{BEFORE + timedelta(days=6)} 15:00")])
    assert BEFORE + timedelta(days=6) in days_of(first, "a0")
    used = days_of(second, "a0")
    assert used and WEEK not in used, used
    assert broken_with(ws, second, "a0", 0, DAYTIME) == {"item_days"}


def test_weekly_waits_seven_days(tmp_path: Path, runner) -> None:
    """A weekly quiz posted last Saturday goes out again this Saturday at the earliest, so
    not this week (it is valid until Friday); adding it on Wednesday is reported as
    item_reuse."""
    ws = tmp_path / "ws"
    saturday = BEFORE + timedelta(days=5)
    first, second = two_weeks(ws, runner, [("q", f"{saturday} 20:00")])
    assert days_of(first, "q") == [saturday]
    assert days_of(second, "q") == []
    assert broken_with(ws, second, "q", 2, ["19:00", "19:30", "20:00", "20:30"]) == {"item_reuse"}


def test_two_weeks_without_repeats_across_the_boundary(tmp_path: Path, runner) -> None:
    """Plan a week, then the next from its output: over both, no item (other than the
    check-in) on more than two days in any seven, none on Sunday and again on Monday, and
    the weekly quiz seven days apart."""
    ws = tmp_path / "ws"
    first, second = two_weeks(ws, runner, PINS)
    days: dict[str, set[date]] = defaultdict(set)
    for p in first["posts"] + second["posts"]:
        if p["kind"] != "checkin":
            days[p["item"]].add(post_day(p))
    assert days["a0"] and days["q"]
    for item, used in days.items():
        for day in used:
            inside = [d for d in used if day <= d < day + timedelta(days=7)]
            assert len(inside) <= 2, (item, sorted(used))
        assert not {WEEK - timedelta(days=1), WEEK} <= used, (item, sorted(used))
    quiz = sorted(days["q"])
    assert all((b - a).days >= 7 for a, b in pairwise(quiz)), quiz


def test_streak_goes_on_over_the_operators_days_off(tmp_path: Path, runner) -> None:
    """An operator off at weekends: Monday's check-in goes on from Friday's number (第 6 天
    after 第 5 天), not 第 1 天; a weekday without a check-in would start again."""
    ws = tmp_path / "ws"
    hours = {"op": {"hours": {"weekday": "07:00-22:00", "weekend": "off"}}}
    free = {"stages": {"stages": {"retention": {"required": []}}}}  # no weekend requirement
    settings = {"operators": hours}
    build(ws, [group("g", caps={"per_day": 6})], ITEMS, free, settings, variety=True)
    first = plan_with_cli(runner, ws, str(BEFORE))
    second = plan_with_cli(runner, ws, str(WEEK))
    checkins = sorted(
        (p for p in first["posts"] + second["posts"] if p["kind"] == "checkin"),
        key=lambda p: p["start"],
    )
    assert [post_day(p).weekday() for p in checkins] == [0, 1, 2, 3, 4] * 2
    assert [p["streak"] for p in checkins] == list(range(1, 11))


def test_a_week_the_library_cannot_fill_is_named(tmp_path: Path, runner) -> None:
    """Seven articles, each once (once_items_reuse_weeks 4), for a mix of one article a
    day: the first week is full and quiet; the second has none left, and report.md and
    stderr name the group and the kind to add items of."""
    from planner.cli import main

    ws = tmp_path / "ws"
    articles = [(f"art{n}", "article", {"value": 6}) for n in range(7)]
    items = items_of(("ck", "checkin", {"repeat": "daily", "value": 3}), *articles)
    mix = {"stages": {"stages": {"retention": {"mix": {"article": 0.2, "ugc_prompt": 0}}}}}
    build(ws, [group("g", caps={"per_day": 5})], items, mix, variety=True)
    messages = []
    for week in (BEFORE, WEEK):
        result = runner.invoke(main, ["plan", str(ws), "--week", str(week)])
        assert result.exit_code == 0, result.output
        messages.append(result.stderr)
    first, second = (ws / "outputs" / f"2026-W{n}" / "report.md" for n in (47, 48))
    assert "library" not in messages[0] and "library" not in first.read_text("utf-8")
    warning = "group g (g群) gets fewer posts this week than its stage retention"
    assert warning in messages[1] and "(article 0 of 7)" in messages[1]
    assert "add article items for it" in messages[1]
    assert f"> Warning: {warning}" in second.read_text("utf-8")
