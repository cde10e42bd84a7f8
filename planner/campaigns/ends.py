"""After a training camp or a short event ends, only the closing posts the playbook
defines go out: the thanks, the dissolve notice (follow-ups are one-to-one tasks)."""

from __future__ import annotations

from datetime import date, timedelta

from planner.campaigns.builder import Builder, days_between, local_time
from planner.models.common import Kind
from planner.models.groups import Group

FOREVER = timedelta(days=400)  # a ban with no end: longer than any plannable week is away


def closing_only(
    b: Builder, campaign, group: Group, end: date, until: date | None, keep: tuple[str, ...]
) -> None:
    """No post but `keep` from the day after `end` through `until` (None: for good); those
    days ask for no stage's required posts, which would otherwise contradict the ban."""
    zone = b.zone(group)
    start = local_time(end + timedelta(days=1), zone)
    stop = local_time(until + timedelta(days=1), zone) if until else start + FOREVER
    label = f"only closing posts after campaign {campaign.id}'s end ({end})"
    b.ban(campaign, group, None, start, stop, label, keep=keep)
    last = min(b.week[1] - timedelta(days=1), until or b.week[1])
    for day in days_between(max(end + timedelta(days=1), b.week[0]), last):
        b.book.days_off.add((group.id, day))


def dissolve_notices(b: Builder) -> tuple[str, ...]:
    """The library's dissolve notices: a closing post wherever a campaign has ended."""
    return tuple(sorted(i.id for i in b.ws.items.values() if i.kind == Kind.dissolve_notice))
