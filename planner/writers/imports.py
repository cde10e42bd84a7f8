"""Calendar files that fit an import: Google Calendar takes files up to about 1 MB, so a
file meant for import that would be larger is split (the week by operator, an operator's
week by day), and the report and the summary say which file to import where."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from zoneinfo import ZoneInfo

from planner.models.settings import Settings
from planner.plan import Plan, Post
from planner.workspace.load import Workspace
from planner.writers.ical import render_calendar
from planner.writers.scripts import operator_name

Render = Callable[[list[Post], list[Post], str], bytes]  # posts, cancelled, title -> file


def share_calendars(
    ws: Workspace,
    share: Plan,
    operator: str,
    names: dict[str, str],
    by_group: Mapping[str, tuple[list[Post], list[Post]]],
) -> dict[str, bytes]:
    """An operator's calendar file(s) for import and each of their groups' groups/<id>.ics
    (`names`: their groups; `by_group`: each one's posts and cancellations)."""
    settings = ws.settings

    def one(posts: list[Post], cancelled: list[Post], title: str) -> bytes:
        return render_calendar(
            share, posts, cancelled, names, title, settings.alarm_minutes, settings.locale
        )

    title = f"{settings.name} {share.week} · {operator_name(ws, operator)}"
    files = operator_calendars(
        operator, share.posts, share.cancelled, title, one, settings.calendar_import_max_bytes
    )
    for group in sorted(names):
        files[f"groups/{group}.ics"] = one(*by_group[group], f"{names[group]} {share.week}")
    return files


def operator_calendars(
    operator: str, posts: list[Post], cancelled: list[Post], title: str, render: Render, limit: int
) -> dict[str, bytes]:
    """operators/<operator>.ics, or past `limit` bytes one file per day of the operator's
    week, operators/<operator>/<date>.ics (a post's day: its group's local date)."""
    whole = render(posts, cancelled, title)
    if len(whole) <= limit:
        return {f"operators/{operator}.ics": whole}
    by_day: dict[str, tuple[list[Post], list[Post]]] = {}
    for kept, chosen in enumerate((posts, cancelled)):
        for post in chosen:
            day = post.start.astimezone(ZoneInfo(post.timezone)).date().isoformat()
            by_day.setdefault(day, ([], []))[kept].append(post)
    return {
        f"operators/{operator}/{day}.ics": render(*by_day[day], f"{title} · {day}")
        for day in sorted(by_day)
    }


def calendar_is_index(posts: int, calendar_bytes: int, settings: Settings) -> bool:
    """calendar.ics names the operators' files instead of holding the week: past
    whole_calendar_max_posts, or when the week's events would not fit one import."""
    too_many = posts > settings.whole_calendar_max_posts
    return too_many or calendar_bytes > settings.calendar_import_max_bytes


def import_lines(imports: Mapping[str, Iterable[str]], index: bool) -> list[str]:
    """Which file to import where: the whole week, or each operator's own file(s)."""
    if not index:
        return ["- everyone: `calendar.ics` (the whole week)"]
    lines = []
    for operator, files in sorted(imports.items()):
        names = list(files)
        if names:
            lines.append(f"- {operator}: " + ", ".join(f"`{name}`" for name in names))
    return lines
