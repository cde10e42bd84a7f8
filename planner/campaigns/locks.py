"""The user's locks (locks.yaml) as needs and bans, each naming its line: an item pinned
to a time, an item kept out (for a day or the week), a day with no posts at all.

A lock that names a group or an item the workspace does not hold is left out here; the
workspace check reports it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from planner.campaigns.builder import Builder, Implicit, in_zone, local_time
from planner.campaigns.playbook import Need


def locks(b: Builder) -> None:
    """Every lock of the workspace, in the order locks.yaml lists them."""
    doc = b.ws.docs.get("locks.yaml")
    groups = {g.id: g for g in b.ws.groups}
    for position, lock in enumerate(b.ws.locks):
        group = groups.get(lock.group)
        if group is None or (lock.item is not None and lock.item not in b.ws.items):
            continue
        line = doc.line(("locks", position)) if doc else 0
        # the label cites the user's file as every message does; the id stays short, as
        # it travels into plan.json and calendars as the post's campaign
        where = Where(f"locks.yaml:{line}", f"{doc.path}:{line}" if doc else "locks.yaml")
        if lock.at is not None and lock.item is not None:
            _pin(b, lock, group, where)
        else:
            _keep_out(b, lock, group, where)


class Where(NamedTuple):
    """A lock's place: `id` (locks.yaml:LINE) names it in plans, `path` in messages."""

    id: str
    path: str


def _pin(b: Builder, lock, group, where: Where) -> None:
    """The item in exactly the locked slot."""
    at = in_zone(lock.at, b.zone(group))
    if b.in_week(at, at + b.slot, at.tzinfo):
        label = f"{lock.item} at {at:%Y-%m-%d %H:%M} ({where.path})"
        b.book.needs.append(
            Need(
                f"lock@{where.id}",
                "pin",
                group.id,
                (lock.item,),
                at,
                at + b.slot,
                1,
                1,
                label,
                "lock",
            )
        )


def _keep_out(b: Builder, lock, group, where: Where) -> None:
    """The item (or every post: no_posts) kept out on the lock's date, else all week."""
    zone = b.zone(group)
    if lock.date is not None:
        start, end = local_time(lock.date, zone), local_time(lock.date + timedelta(days=1), zone)
    else:
        start, end = local_time(b.week[0], zone), local_time(b.week[1], zone)
    items = None if lock.no_posts else (lock.item,)
    if lock.no_posts and lock.date is not None:
        b.book.days_off.add((group.id, lock.date))
    what = "no posts" if lock.no_posts else f"never {lock.item}"
    when = f" on {lock.date}" if lock.date else " this week"
    label = f"{what}{when} ({where.path})"
    b.ban(Implicit(f"lock@{where.id}"), group, items, start, end, label, rule="lock")
