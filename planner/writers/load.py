"""Each operator's load: posts per day on the operator's own days (their time zone, as
the daily load rule counts them), and a warning when one operator carries more than twice
another's week. Facts of the finished week, read from its posts and the settings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from planner.plan import LeftOut, Post
from planner.workspace.load import Workspace
from planner.workspace.templates import WEEKDAYS


def by_operator_day(ws: Workspace, operator: str, start: date, posts: Iterable[Post]):
    """The operator's posts on each of the week's seven days, in their own time zone."""
    zone = ZoneInfo(ws.settings.operator_zone(operator))
    days: list[list[Post]] = [[] for _ in range(7)]
    for post in posts:
        offset = (post.start.astimezone(zone).date() - start).days
        if 0 <= offset < 7:
            days[offset].append(post)
    return days


def imbalance(posts: Mapping[str, int], left_out: Iterable[LeftOut] = ()) -> str | None:
    """The warning when the busiest operator has more than twice the posts of the least
    busy one this week (None with one operator, or when the load is fair). An operator
    with a group left out is not compared: their count is not their load."""
    short = {entry.operator for entry in left_out}
    posts = {operator: n for operator, n in posts.items() if operator not in short}
    if len(posts) < 2:
        return None
    heavy = max(sorted(posts), key=lambda op: posts[op])
    light = min(sorted(posts), key=lambda op: posts[op])
    if posts[heavy] <= 2 * posts[light]:
        return None
    return (
        f"operator {heavy} carries {posts[heavy]} posts this week, more than twice "
        f"{light}'s {posts[light]}; give {light} some of {heavy}'s groups (operator: in "
        f"groups.yaml) or cap {heavy} with max_posts_per_day in planner.yaml"
    )


def load_section(
    start: date,
    days: Mapping[str, tuple[int, ...]],
    posts: Mapping[str, int],
    left_out: Iterable[LeftOut] = (),
) -> list[str]:
    """report.md's table of every operator's posts per day, with the imbalance warning."""
    labels = [
        f"{WEEKDAYS['en'][(start + timedelta(days=n)).weekday()]} {start + timedelta(days=n):%m-%d}"
        for n in range(7)
    ]
    lines = ["## Operators' load", ""]
    warning = imbalance(posts, left_out)
    if warning:
        lines += [f"> Warning: {warning}", ""]
    lines += [
        "Posts per day, on each operator's own days (their time zone).",
        "",
        "| operator | " + " | ".join(labels) + " | week |",
        "|---|" + "---:|" * 8,
    ]
    for operator in sorted(posts):
        counts = days.get(operator, (0,) * 7)
        cells = [str(count) for count in counts] + [str(posts[operator])]
        lines.append(f"| {operator} | " + " | ".join(cells) + " |")
    return [*lines, ""]
