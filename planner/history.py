"""Memory across weeks: what earlier plans in the output folder already posted.

Planning week W reads the plan.json of the weeks before it (cooldowns, once-items
not repeated within N weeks, check-in streaks that continue) and of W itself when
it is planned again (keep unchanged posts in place, raise SEQUENCE on moved ones).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from planner.plan import Plan, Post
from planner.problem import iso_week, week_start
from planner.revisions import previous_plan

WEEKS_BACK = 8


@dataclass
class History:
    earlier: list[Post] = field(default_factory=list)  # posts of the weeks before, oldest first
    previous: Plan | None = None  # this week's own plan from the last run

    def last_posted(self) -> dict[tuple[str, str], Post]:
        """(group, item) -> its latest earlier post."""
        out: dict[tuple[str, str], Post] = {}
        for post in self.earlier:
            key = (post.group, post.item)
            if key not in out or out[key].start < post.start:
                out[key] = post
        return out


def load_history(out: Path, day: date, weeks: int = WEEKS_BACK) -> History:
    """Earlier weeks' posts and this week's previous plan, from OUT/<ISO week>/plan.json."""
    start = week_start(day)
    earlier: list[Post] = []
    for back in range(weeks, 0, -1):
        plan = previous_plan(out / iso_week(start - timedelta(weeks=back)) / "plan.json")
        if plan is not None:
            earlier.extend(plan.posts)
    earlier.sort(key=lambda p: (p.start, p.group, p.item))
    return History(earlier, previous_plan(out / iso_week(start) / "plan.json"))
