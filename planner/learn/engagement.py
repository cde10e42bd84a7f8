"""Engagement: how members answered our past posts, and what it does to item values.

A post of an earlier week's plan (OUT/<week>/plans/<group>.json) is found in the history
as the operator's message in the group's chat within an hour of its planned time whose
text starts the same. Members' messages in the 30 minutes after it are its replies; the
group's usual messages in that hour of the week (its counted history) are what 30 minutes
would bring anyway. A post's lift is (replies + 1) / (usual + 1).

Lifts are pooled as logarithms and shrunk twice, like the attention hours: each kind's
toward no lift, each item's toward its kind, `learning.prior_posts` posts' worth of prior
each. An item's value in the objective is multiplied by its learned lift, bounded by
`learning.min_value_factor` and `learning.max_value_factor`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import Field, TypeAdapter, ValidationError

from planner.models.common import StrictModel
from planner.plan import PLANS, GroupWeek

REPLY_WINDOW = timedelta(minutes=30)
MATCH_WINDOW = timedelta(hours=1)  # how far the operator may post from the planned time
TEXT_PREFIX = 24  # characters (spaces aside) that must agree
_WEEK = TypeAdapter(GroupWeek)


def text_key(text: str) -> str:
    """The start of a text, spaces and markdown emphasis aside: what a pasted post keeps."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "*_`>#")[:TEXT_PREFIX]


@dataclass(frozen=True)
class PastPost:
    item: str
    kind: str
    start: datetime  # aware
    key: str


def past_posts(outputs: Path, groups: set[str]) -> dict[str, list[PastPost]]:
    """Each group's posts of every week folder under `outputs` (plans/<group>.json)."""
    out: dict[str, list[PastPost]] = defaultdict(list)
    for path in sorted(outputs.glob(f"*/{PLANS}/*.json")):
        if path.stem not in groups:
            continue
        try:
            week = _WEEK.validate_json(path.read_bytes())
        except (OSError, ValidationError):
            continue  # a plans file the planner will itself report when it plans
        for post in week.posts:
            out[post.group].append(PastPost(post.item, post.kind, post.start, text_key(post.text)))
    return dict(out)


@dataclass
class Watch:
    """One chat's open reply windows while its messages stream by (time order assumed)."""

    posts: list[PastPost]
    found: set[tuple[str, datetime]] = field(default_factory=set)
    open: list[tuple[PastPost, datetime, list]] = field(default_factory=list)
    seen: list[tuple[PastPost, datetime, int, int]] = field(default_factory=list)

    def ours(self, when: datetime, text: str) -> None:
        """Our message: opens a window when it is one of the plans' posts."""
        key = text_key(text)
        near = [
            (abs(post.start - when), post.start, post.item, post)
            for post in self.posts
            if post.key == key
            and abs(post.start - when) <= MATCH_WINDOW
            and (post.item, post.start) not in self.found
        ]
        if near:
            post = min(near)[3]
            self.found.add((post.item, post.start))
            self.open.append((post, when, [0, set()]))

    def member(self, when: datetime, sender: str) -> None:
        self.close(when)
        for _, sent, tally in self.open:
            if sent < when:
                tally[0] += 1
                tally[1].add(sender)

    def close(self, now: datetime | None = None) -> None:
        """Windows that ended before `now` (all: None) become observations."""
        keep = []
        for post, sent, tally in self.open:
            if now is None or now > sent + REPLY_WINDOW:
                self.seen.append((post, sent, tally[0], len(tally[1])))
            else:
                keep.append((post, sent, tally))
        self.open = keep


class LearnedItem(StrictModel):
    """One item's evidence: posts found, members' replies and repliers, summed log lift."""

    kind: str
    posts: int = Field(ge=0)
    replies: int = Field(ge=0)
    repliers: int = Field(ge=0)
    log_lift: float


def lift(replies: int, usual: float) -> float:
    return (replies + 1) / (usual + 1)


def item_evidence(
    seen: list[tuple[PastPost, datetime, int, int]],
    counts: list[list[int]],
    weeks: int,
    zone,
    into: dict[str, LearnedItem],
) -> None:
    """Add one group's observed posts to the items' evidence, each against the group's usual
    messages in 30 minutes of that hour of the week (the replies to our posts aside: they
    are what is measured, not the usual)."""
    answered = [[0] * 24 for _ in range(7)]
    for _, sent, replies, _ in seen:
        local = sent.astimezone(zone)
        answered[local.weekday()][local.hour] += replies
    for post, sent, replies, repliers in seen:
        local = sent.astimezone(zone)
        day, hour = local.weekday(), local.hour
        usual = max(0, counts[day][hour] - answered[day][hour]) / max(weeks, 1) / 2
        before = into.get(post.item) or LearnedItem(
            kind=post.kind, posts=0, replies=0, repliers=0, log_lift=0.0
        )
        into[post.item] = LearnedItem(
            kind=post.kind,
            posts=before.posts + 1,
            replies=before.replies + replies,
            repliers=before.repliers + repliers,
            log_lift=round(before.log_lift + math.log(lift(replies, usual)), 6),
        )


def value_factors(
    items: dict[str, LearnedItem], prior: float, low: float, high: float
) -> dict[str, float]:
    """Each item's factor: its mean log lift shrunk toward its kind's, the kind's toward 0."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for evidence in items.values():
        sums[evidence.kind][0] += evidence.log_lift
        sums[evidence.kind][1] += evidence.posts
    out = {}
    for item_id, evidence in sorted(items.items()):
        total, posts = sums[evidence.kind]
        kind_log = total / (posts + prior)
        item_log = (evidence.log_lift + prior * kind_log) / (evidence.posts + prior)
        out[item_id] = min(high, max(low, math.exp(item_log)))
    return out


def learned_values(evidence: dict[str, LearnedItem], items: dict, learning) -> dict:
    """Each item with evidence: its value times its bounded factor (at least 1 when it had
    a value), and the evidence count."""
    from planner.models.rules import LearnedValue

    factors = value_factors(
        evidence, learning.prior_posts, learning.min_value_factor, learning.max_value_factor
    )
    out = {}
    for item_id, factor in factors.items():
        item = items.get(item_id)
        if item is None:
            continue
        value = int(item.value * factor + 0.5)
        out[item_id] = LearnedValue(
            value=max(value, 1 if item.value else 0),
            factor=round(factor, 2),
            posts=evidence[item_id].posts,
        )
    return out


def value_changes(ws) -> list:
    """The items whose learned engagement changed their value, for the week's report."""
    from planner.plan import ValueChange

    return [
        ValueChange(
            item=item_id,
            kind=str(ws.items[item_id].kind),
            before=ws.items[item_id].value,
            after=learned.value,
            factor=learned.factor,
            posts=learned.posts,
        )
        for item_id, learned in sorted(ws.rules.learned_values.items())
        if item_id in ws.items
    ]
