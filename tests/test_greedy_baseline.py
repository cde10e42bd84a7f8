"""The greedy baseline of benchmarks/greedy.py keeps every rule the independent checker
checks (it asks the rule catalogue's own checks), so "never worse than the greedy" compares
two valid plans; ours is never worse."""

from __future__ import annotations

import sys
from pathlib import Path

from tiny import WEEK, build, group, items_of

from planner.run.week import plan_week
from planner.verify.checker import verify
from planner.verify.objective import objective_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from greedy import greedy_plan

ITEMS = items_of(
    *[(f"a{n}", "article", {"repeat": "daily", "value": 5 + n}) for n in range(4)],
    *[(f"c{n}", "checkin", {"repeat": "daily"}) for n in range(2)],
)
# Room for 2 posts an hour and 9 a day across the operator's three groups; an article on
# at most two days a week (the variety defaults): rules the old greedy did not know.
BUSY = {"operators": {"op": {"max_posts": 2, "window_minutes": 60, "max_posts_per_day": 9}}}


def test_the_greedy_keeps_every_rule_and_ours_is_no_worse(tmp_path: Path) -> None:
    ws = build(tmp_path, [group(f"g{n}") for n in range(3)], ITEMS, settings=BUSY, variety=True)
    greedy = greedy_plan(ws, WEEK)
    assert verify(ws, greedy) == []
    assert len(greedy.posts) >= 3 * 7  # each group's daily check-in at least
    ours = plan_week(ws, WEEK, time_limit=10, workers=1)
    assert verify(ws, ours) == []
    assert objective_of(ws, ours) >= objective_of(ws, greedy) > 0


def test_what_the_greedy_cannot_place_the_checker_counts(tmp_path: Path) -> None:
    """Three groups each needing a daily check-in, and room for two posts a day: the
    greedy places what fits and the checker names the check-ins it missed."""
    tight = {"operators": {"op": {"max_posts": 2, "window_minutes": 60, "max_posts_per_day": 2}}}
    ws = build(tmp_path, [group(f"g{n}") for n in range(3)], ITEMS, settings=tight, variety=True)
    found = verify(ws, greedy_plan(ws, WEEK))
    assert {v.rule for v in found} == {"required_post"}
    assert len(found) == 7  # one group's check-in on each day
