"""Re-planning a week: carry each post's SEQUENCE forward and raise it when the post changed.

Calendar apps update an event with the same UID only when its SEQUENCE rises,
so a re-plan must know what it published last time: the previous plan.json.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from planner.plan import Change, Plan, Post


def previous_plan(path: Path) -> Plan | None:
    """The plan.json written last time, or None when there is none or it is unreadable."""
    try:
        return Plan.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError):
        return None


@dataclass
class LastRun:
    """What the last run of a week published for some groups: their posts and the posts it
    had already cancelled (a calendar app must keep seeing those cancelled)."""

    posts: list[Post] = field(default_factory=list)
    cancelled: list[Post] = field(default_factory=list)


FAILED = ("error", "unknown")  # a problem's statuses that gave no plan


def kept(previous: LastRun | None, share: Plan) -> Plan:
    """The share of a unit that gave no plan (out of time, crashed, damaged history): the
    last run's posts of its groups stay as published (same SEQUENCE), its cancellations
    too; nothing is cancelled or changed. A failed re-plan never empties a calendar."""
    if previous is None:
        return share
    return share.model_copy(
        update={
            "posts": sorted(previous.posts, key=_order),
            "cancelled": sorted(previous.cancelled, key=_order),
            "changes": [],
        }
    )


def _order(post: Post) -> tuple:
    return (post.start, post.group, post.item)


def carry_sequences(plan: Plan, previous: LastRun | None) -> Plan:
    """Same UID: keep its sequence if nothing it shows changed, else raise it by one. SEQUENCE
    never falls for a UID: a post back after a run that cancelled it rises past the
    cancellation, and cancellations already sent are carried with theirs."""
    if previous is None:
        return plan
    before = {post.uid: post for post in previous.cancelled}
    before |= {post.uid: post for post in previous.posts}
    shown = {post.uid for post in previous.posts}
    posts = []
    for post in plan.posts:
        old = before.get(post.uid)
        if old is None:
            posts.append(post)
            continue
        changed = post.uid not in shown or old.shown() != post.shown()
        posts.append(post.model_copy(update={"sequence": old.sequence + int(changed)}))
    kept = {post.uid for post in plan.posts}
    cancelled = [
        post.model_copy(update={"sequence": post.sequence + 1})
        for post in previous.posts
        if post.uid not in kept
    ]
    cancelled += [post for post in previous.cancelled if post.uid not in kept | shown]
    cancelled.sort(key=lambda p: (p.start, p.group, p.item))
    changes = changes_between(previous.posts, plan.posts)
    return plan.model_copy(update={"posts": posts, "cancelled": cancelled, "changes": changes})


def changes_between(before: list[Post], after: list[Post]) -> list[Change]:
    """What a user sees change in the calendar, group by group. A post keeps its UID on its
    day, so one that moved to another day is found by its group and item instead."""
    old = {post.uid: post for post in before}
    new = {post.uid: post for post in after}
    changes = [
        _change("moved", old[uid], post)
        for uid, post in new.items()
        if uid in old and old[uid].start != post.start
    ]
    dropped = _by_group_item(p for uid, p in old.items() if uid not in new)
    added = _by_group_item(p for uid, p in new.items() if uid not in old)
    for key in sorted(dropped.keys() | added.keys()):
        gone, came = dropped.get(key, []), added.get(key, [])
        changes += [_change("moved", a, b) for a, b in zip(gone, came, strict=False)]
        changes += [_change("cancelled", a, None) for a in gone[len(came) :]]
        changes += [_change("added", None, b) for b in came[len(gone) :]]
    return sorted(changes, key=Change.order)


def _by_group_item(posts) -> dict[tuple[str, str], list[Post]]:
    out: dict[tuple[str, str], list[Post]] = {}
    for post in sorted(posts, key=lambda p: p.start):
        out.setdefault((post.group, post.item), []).append(post)
    return out


def _change(what: str, before: Post | None, after: Post | None) -> Change:
    post = after or before
    assert post is not None
    return Change(
        group=post.group,
        item=post.item,
        title=post.title,
        what=what,
        before=before.start if before else None,
        after=after.start if after else None,
    )
