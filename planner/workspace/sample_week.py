"""A one-post sample week rendered through the writers, so `check` sees a workspace's own
templates fail where `plan` would, before any week is planned or written."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner.models.common import Stage
from planner.plan import FollowUp, GroupDayFacts, Plan, Post
from planner.workspace.load import Workspace


def sample_plan(ws: Workspace) -> Plan:
    """The first group's week holding one post of the first item (with an image, notes,
    atmosphere and a campaign, so that the templates' optional parts render too)."""
    group = min(ws.groups, key=lambda g: g.id)
    zone = group.timezone or ws.settings.timezone
    first = min(span.from_ for span in group.stages)
    monday = first - timedelta(days=first.weekday())
    start = datetime.combine(monday, time(9, 0), ZoneInfo(zone))
    item = next(iter(ws.items.values()), None)
    post = Post(
        group=group.id,
        item=item.id if item else "sample",
        kind=item.kind if item else "intro",
        title=item.title if item else "sample",
        stage=Stage.retention,
        operator=group.operator,
        campaign="sample-campaign",
        start=start,
        end=start + timedelta(minutes=ws.settings.slot_minutes),
        timezone=zone,
        text="sample text",
        image="images/sample.png",
        notes="sample notes",
        atmosphere=["sample reply"],
        value=1,
    )
    follow_up = FollowUp(
        group=group.id, item=post.item, campaign="sample-campaign", operator=group.operator,
        date=monday, title=post.title, text="sample follow-up",
    )  # fmt: skip
    iso = monday.isocalendar()
    return Plan(
        workspace=ws.settings.name,
        week=f"{iso.year}-W{iso.week:02d}",
        week_start=monday,
        timezone=ws.settings.timezone,
        slot_minutes=ws.settings.slot_minutes,
        posts=[post],
        problems=[],
        follow_ups=[follow_up],
        days=[GroupDayFacts(group=group.id, date=monday, stage=Stage.retention, per_day=1)],
    )


def render_sample_week(ws: Workspace) -> None:
    """The group's script, its operator's run sheet and the page, as `plan` renders them."""
    from planner.writers.html import index_section, render_index
    from planner.writers.scripts import render_group_scripts, render_operator_sheets

    plan = sample_plan(ws)
    post = plan.posts[0]
    scripts = render_group_scripts(ws, plan, [post.group])
    render_operator_sheets(ws, plan, [post.operator])
    section = index_section(ws, post.group, scripts[f"scripts/{post.group}.md"])
    "".join(render_index(ws, plan.week, [section]))
