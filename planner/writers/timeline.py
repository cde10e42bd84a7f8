"""The operator's page in time order: the week's posts by the operator's clock, across
their groups, day by day, each with its group, time, copy button and a "sent" tick. The
page's script puts today first and the next unsent post at the top, and keeps the ticks
in the phone's local storage (nothing leaves the device)."""

from __future__ import annotations

from itertools import groupby
from zoneinfo import ZoneInfo

from planner.plan import Plan
from planner.workspace.load import Workspace
from planner.workspace.templates import WEEKDAYS
from planner.writers.labels import LABELS


def timeline(ws: Workspace, share: Plan, operator: str) -> dict:
    """The days of an operator's week, each with its posts in time order, for the page."""
    zone = ZoneInfo(ws.settings.operator_zone(operator))
    locale = ws.settings.locale
    names = {g.id: g.name for g in ws.groups}
    posts = sorted(share.posts, key=lambda p: (p.start, p.group, p.item))
    days = []
    for day, todays in groupby(posts, key=lambda p: p.start.astimezone(zone).date()):
        days.append(
            {
                "date": day.isoformat(),
                "label": f"{WEEKDAYS[locale][day.weekday()]} {day.isoformat()}",
                "posts": [
                    {
                        "uid": post.uid,
                        "start": post.start.astimezone(ZoneInfo("UTC")).isoformat(),
                        "time": post.start.astimezone(zone).strftime("%H:%M"),
                        "group": names.get(post.group) or post.group_name or post.group,
                        "title": post.title,
                        "text": post.text,
                    }
                    for post in todays
                ],
            }
        )
    labels = LABELS[locale]
    return {
        "key": f"planner-sent:{share.workspace}/{share.week}/{operator}",
        "days": days,
        "labels": {k: labels[k] for k in ("by_time", "by_group", "next", "sent", "all_sent")},
    }
