"""The end of a short-event group or a training camp: one dissolve notice as the day's
last post, then silence and no stage. A short_event campaign asks for it; a short-event
group with an `event_end` and no such campaign gets it all the same (the implicit
dissolve); a training_camp campaign on its last day.
"""

from __future__ import annotations

from datetime import date, timedelta

from planner.campaigns.builder import Builder, Implicit, local_time
from planner.campaigns.ends import closing_only
from planner.campaigns.playbook import Before
from planner.campaigns.timeline import advance
from planner.models.common import GroupType, Kind
from planner.models.groups import Group
from planner.rules.eligibility import fits_topics, group_topics


def dissolve(b: Builder, campaign, group: Group, notices: tuple[str, ...], day: date) -> None:
    """The notice on `day`, after every other post of that day; nothing from the next day."""
    zone = b.zone(group)
    start, end = local_time(day, zone), local_time(day + timedelta(days=1), zone)
    b.need(campaign, group, "dissolve", notices, start, end, 1, 1, f"the dissolve notice on {day}")
    label = f"no posts after the dissolve notice ({day})"
    b.ban(campaign, group, None, end, local_time(day + timedelta(days=400), zone), label)
    advance(b.book, group.id, (day + timedelta(days=1), None))
    others = tuple(sorted(set(b.ws.items) - set(notices)))
    label = "the dissolve notice is the day's last post"
    b.book.order.append(Before(campaign.id, group.id, others, notices, day, label))


def implicit_dissolves(b: Builder, covered: set[str]) -> None:
    """Each short-event group with `event_end` that no short_event campaign (`covered`)
    dissolves: its notices are the library's dissolve notices that suit it, and they are
    all that goes out between the event's end and the dissolve (a short_event campaign
    adds its thanks post)."""
    rule = b.ws.rules.group_types.group_types[GroupType.short_event]
    for group in sorted(b.ws.groups, key=lambda g: g.id):
        if group.type != GroupType.short_event or not group.event_end or group.id in covered:
            continue
        day = group.event_end + timedelta(days=rule.dissolve_after_days or 0)
        notices = suited_notices(b, group)
        implicit = Implicit(f"{group.id}-dissolve")
        dissolve(b, implicit, group, notices, day)
        if day > group.event_end:
            closing_only(b, implicit, group, group.event_end, day, notices)


def camp_close(b: Builder, campaign, group: Group) -> None:
    """A camp closes on its last day, whether or not its campaign binds the closing posts:
    the `thanks` it binds that day, then the dissolve notice as the day's last post (the
    `dissolve` items it binds, else the library's that suit the group), nothing after."""
    zone = b.zone(group)
    start, end = local_time(campaign.end, zone), local_time(campaign.end + timedelta(days=1), zone)
    label = f"a thank-you on the camp's last day ({campaign.end})"
    b.need(campaign, group, "thanks", b.roles(campaign, "thanks"), start, end, 1, None, label)
    notices = b.roles(campaign, "dissolve") or suited_notices(b, group)
    dissolve(b, campaign, group, notices, campaign.end)


def suited_notices(b: Builder, group: Group) -> tuple[str, ...]:
    """The library's ready dissolve notices for the group's type and topics."""
    topics = group_topics(group, b.ws.settings.topics)
    return tuple(
        sorted(
            i.id
            for i in b.ws.items.values()
            if i.kind == Kind.dissolve_notice
            and (not i.group_types or group.type in i.group_types)
            and i.status == "ready"
            and fits_topics(i, topics)
        )
    )
