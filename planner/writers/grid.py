"""A picture of the week: an SVG grid of days x hours per group and per operator, drawn
with matplotlib offline. A group's grid shades its attention peaks and quiet hours and
heads each day with its posts against the per_day cap; an operator's marks their groups'
posts and draws their load per day as bars, against their daily limit. Both shade the
hours the operator is off (planner.yaml `operators.<id>.hours`), on the grid's own clock.

The bytes are stable for the same week (a fixed svg.hashsalt, no date in the metadata,
text kept as text), so re-plans and the golden demo compare them byte for byte. Labels
are ASCII (kinds by id, days in English): the page beside the picture names the group."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from planner.models.common import Kind, TimeWindow
from planner.models.rules import HolidayCalendar
from planner.models.settings import OperatorHours
from planner.plan import GroupDayFacts, Plan, Post
from planner.workspace.load import Workspace

STYLE = {
    "svg.hashsalt": "community-planner",  # the ids matplotlib writes: the same every run
    "svg.fonttype": "none",  # text as text: small, and the viewer's fonts
    "font.size": 8,
}
PEAK, QUIET, OFF = "#f5a623", "#9b9b9b", "#4a5bd4"
OFF_LABEL = "operator off"
# (day column 0..6, first hour, last hour): a stretch of a day the operator does not work
OffHours = Sequence[tuple[int, float, float]]
KIND_COLOURS = {kind: matplotlib.colormaps["tab20"](n % 20) for n, kind in enumerate(Kind)}
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _styled(draw: Callable[..., bytes]) -> Callable[..., bytes]:
    """`draw` under STYLE (matplotlib's settings are global: kept to the one drawing)."""

    @functools.wraps(draw)
    def styled(*args, **kwargs) -> bytes:
        with matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)

    return styled


@_styled
def group_grid(
    group: str, week: str, days: list[GroupDayFacts], posts: list[Post], off: OffHours = ()
) -> bytes:
    """One group's week: peaks shaded orange, quiet hours grey, its operator's off hours
    blue, its posts by kind, and each day's posts / per_day cap over its column."""
    start = min(d.date for d in days) if days else _monday(posts)
    figure = Figure(figsize=(6.4, 4.2))
    axes = figure.add_subplot()
    for day in days:
        x = (day.date - start).days
        for window in day.peaks:
            _shade(axes, x, window, PEAK, 0.3)
        if day.quiet is not None:
            _shade(axes, x, day.quiet, QUIET, 0.35)
    _off(axes, off)
    counts = _per_day(start, posts)
    caps = {(d.date - start).days: d.per_day for d in days}
    labels = [f"{DAY_NAMES[n]}\n{counts[n]}/{caps.get(n, 0)}" for n in range(7)]
    _posts(axes, start, posts)
    _frame(axes, labels, f"{group} {week}: posts / per_day cap; peaks orange, quiet grey")
    return _svg(figure)


@_styled
def operator_grid(
    operator: str,
    week: str,
    start: date,
    zone: str,
    posts: list[Post],
    limit: int | None,
    off: OffHours = (),
) -> bytes:
    """An operator's week on their own clock: their off hours shaded, every post of their
    groups by kind, and below, their posts per day as bars against their daily limit
    (dashed) when set."""
    local = [p.model_copy(update={"start": p.start.astimezone(ZoneInfo(zone))}) for p in posts]
    figure = Figure(figsize=(6.4, 5.4))
    grid, bars = figure.subplots(2, 1, height_ratios=(3, 1))
    counts = _per_day(start, local)
    _off(grid, off)
    _posts(grid, start, local)
    _frame(grid, list(DAY_NAMES), f"{operator} {week}: posts by kind ({zone})")
    bars.bar([n + 0.5 for n in range(7)], counts, width=0.6, color="#576b95")
    if limit:
        bars.axhline(limit, color="#d0021b", linestyle="--", linewidth=1)
    bars.set_xlim(0, 7)
    bars.set_xticks([n + 0.5 for n in range(7)], [f"{DAY_NAMES[n]} {counts[n]}" for n in range(7)])
    bars.set_ylabel("posts")
    return _svg(figure)


def _monday(posts: list[Post]) -> date:
    first = min((p.start.date() for p in posts), default=date(2000, 1, 3))
    return first - timedelta(days=first.weekday())


def _per_day(start: date, posts: Iterable[Post]) -> list[int]:
    counts = [0] * 7
    for post in posts:
        offset = (post.start.date() - start).days
        if 0 <= offset < 7:
            counts[offset] += 1
    return counts


def off_hours(
    hours: OperatorHours | None, calendar: HolidayCalendar, home: str, start: date, zone: str
) -> OffHours:
    """When the operator (working `hours` in zone `home`) does not work in the week from
    `start`, on `zone`'s clock (a group's grid may keep another zone); none without hours."""
    if hours is None:
        return []
    first, last = start - timedelta(days=2), start + timedelta(days=8)  # spans pass midnight
    working = sorted(hours.intervals(first, last, calendar.day_type, ZoneInfo(home)))
    out = []
    for n in range(7):
        midnight = datetime.combine(start + timedelta(days=n), time(0, 0), tzinfo=ZoneInfo(zone))
        end = midnight + timedelta(days=1)
        cursor = midnight
        for first, last in working:
            if first >= end:
                break
            if first > cursor:
                out.append((n, _hours(cursor, midnight), _hours(first, midnight)))
            cursor = max(cursor, min(last, end))
        if cursor < end:
            out.append((n, _hours(cursor, midnight), 24.0))
    return out


def _hours(moment: datetime, midnight: datetime) -> float:
    return (moment - midnight).total_seconds() / 3600


def _off(axes, off: OffHours) -> None:
    """The operator's off hours: shaded blue, named once in the legend."""
    for n, (x, first, last) in enumerate(off):
        label = OFF_LABEL if n == 0 else "_nolegend_"
        axes.add_patch(
            Rectangle((x, first), 1, last - first, color=OFF, alpha=0.15, linewidth=0, label=label)
        )


def _shade(axes, x: int, window: TimeWindow, colour: str, alpha: float) -> None:
    """A time window of one day's column; one wrapping past midnight in two parts."""
    first, last = window.minutes()
    for low, high in ((first, min(last, 1440)), (0, last - 1440)):
        if high > low:
            axes.add_patch(
                Rectangle(
                    (x, low / 60), 1, (high - low) / 60, color=colour, alpha=alpha, linewidth=0
                )
            )


def _posts(axes, start: date, posts: list[Post]) -> None:
    """Each post a marker at its day and local time, coloured by kind; a legend of kinds."""
    by_kind: dict[Kind, tuple[list[float], list[float]]] = {}
    for post in sorted(posts, key=lambda p: (p.start, p.group, p.item)):
        offset = (post.start.date() - start).days
        xs, ys = by_kind.setdefault(post.kind, ([], []))
        xs.append(offset + 0.2 + 0.6 * (_spread(post.group) % 7) / 6)
        ys.append(post.start.hour + post.start.minute / 60)
    for kind in sorted(by_kind):
        xs, ys = by_kind[kind]
        axes.scatter(xs, ys, s=24, color=KIND_COLOURS[kind], label=str(kind), edgecolors="none")
    if axes.get_legend_handles_labels()[0]:  # the kinds, and the off hours when shaded
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)


def _spread(text: str) -> int:
    """Where in its day's column a group's posts stand (the same every run: Python's
    hash() is salted per process), so two groups' posts at one time both show."""
    return sum(text.encode("utf-8"))


def _frame(axes, labels: list[str], title: str) -> None:
    axes.set_xlim(0, 7)
    axes.set_ylim(24, 0)
    axes.set_xticks([n + 0.5 for n in range(7)], labels)
    axes.set_yticks(range(0, 25, 3), [f"{h:02d}:00" for h in range(0, 25, 3)])
    axes.set_xticks(range(8), minor=True)
    axes.grid(which="minor", axis="x", color="#9996")
    axes.grid(which="major", axis="y", color="#9993")
    axes.tick_params(axis="x", which="major", length=0)
    axes.set_title(title, fontsize=8)


def _svg(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return out.getvalue()


def group_grid_file(group: str) -> str:
    return f"grids/groups/{group}.svg"


def operator_grid_file(operator: str) -> str:
    return f"grids/operators/{operator}.svg"


def week_grids(
    ws: Workspace, share: Plan, operator: str, groups: Iterable[str]
) -> dict[str, bytes]:
    """The operator's grid, and the grid of each of `groups` (their groups, or none when
    the workspace is past group_grids_max_groups)."""
    settings = ws.settings
    own = settings.operators.get(operator)
    limit = own.max_posts_per_day if own is not None else None
    zone = settings.operator_zone(operator)
    hours = own.hours if own is not None else None
    off = off_hours(hours, ws.rules.holidays, zone, share.week_start, zone)
    files = {
        operator_grid_file(operator): operator_grid(
            operator, share.week, share.week_start, zone, share.posts, limit, off
        )
    }
    days: dict[str, list[GroupDayFacts]] = {}
    for day in share.days:
        days.setdefault(day.group, []).append(day)
    posts: dict[str, list[Post]] = {}
    for post in share.posts:
        posts.setdefault(post.group, []).append(post)
    for group in sorted(groups):
        facts, own_posts = days.get(group, []), posts.get(group, [])
        start = min(d.date for d in facts) if facts else _monday(own_posts)
        shown = ws.group(group).timezone or settings.timezone
        local = off_hours(hours, ws.rules.holidays, zone, start, shown)
        files[group_grid_file(group)] = group_grid(group, share.week, facts, own_posts, local)
    return files


def report_lines(operators: Iterable[str], group_grids: bool) -> list[str]:
    """report.md's links to the week's pictures."""
    lines = ["## The week in pictures", ""]
    lines += [f"- {op}: [{operator_grid_file(op)}]({operator_grid_file(op)})" for op in operators]
    if group_grids:
        lines.append(
            "- each group: `grids/groups/<group>.svg`, also beside its posts in index.html"
        )
    else:
        lines.append("- groups: none drawn, the workspace is past `group_grids_max_groups`")
    return [*lines, ""]
