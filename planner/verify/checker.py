"""The independent checker: a plan against the workspace's rules, rule by rule.

It reads the inputs (groups, items, rule packs), never the solver's model, and
imports no ortools. Every solve runs it before anything is written. The rules are the
catalogue's (planner/rules/): each checks itself through the helpers of `Checker`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from planner.campaigns.build import playbook
from planner.campaigns.playbook import Playbook, restrict
from planner.campaigns.timeline import stage_on
from planner.models.common import Stage
from planner.models.rules import Caps
from planner.plan import Plan, Post
from planner.rules.catalogue import RULES
from planner.workspace.load import Workspace
from planner.workspace.rulepacks import resolve_caps


@dataclass(frozen=True, order=True)
class Violation:
    rule: str
    group: str
    when: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: group {self.group}, {self.when}: {self.message}"


class Checker:
    """A plan with the inputs it is checked against, indexed for the rules' checks."""

    def __init__(self, ws: Workspace, plan: Plan, history=None, book: Playbook | None = None):
        self.ws = ws
        self.plan = plan
        self.out: list[Violation] = []
        self.all_groups = {g.id: g for g in ws.groups}
        self.groups = dict(self.all_groups)
        self.days = [plan.week_start + timedelta(days=d) for d in range(7)]
        self.history = history
        self.book = book or playbook(ws, plan.week_start, history)
        self.by_group: dict[str, list[Post]] = {}

    def skip(self, groups: set[str]) -> None:
        """Leave out groups whose problem failed: reported as such, not as broken rules."""
        self.groups = {k: v for k, v in self.groups.items() if k not in groups}
        self.ws = replace(self.ws, groups=[g for g in self.ws.groups if g.id not in groups])
        self.book = restrict(self.book, list(self.groups.values()))

    def index(self) -> None:
        """Each known group's posts of known items, in time order."""
        by_group: dict[str, list[Post]] = defaultdict(list)
        for post in self.plan.posts:
            if post.group in self.groups and post.item in self.ws.items:
                by_group[post.group].append(post)
        self.by_group = {
            g: sorted(posts, key=lambda p: p.start) for g, posts in sorted(by_group.items())
        }

    def each_post(self, every_day: bool = False) -> Iterator[tuple]:
        """(post, group, item, local start) of every indexed post inside the week (with
        `every_day`, outside it too)."""
        for group_id, posts in self.by_group.items():
            group = self.groups[group_id]
            for post in posts:
                start = self.local(post)
                if every_day or start.date() in self.days:
                    yield post, group, self.ws.items[post.item], start

    def stage(self, group, day: date) -> Stage | None:
        return stage_on(group, day, self.book)

    def bound(self, post: Post) -> bool:
        """Does a campaign bind this post's item to its group?"""
        return (post.group, post.item) in self.book.windows

    def caps(self, group_id: str, day: date) -> Caps:
        group = self.groups[group_id]
        stage = self.stage(group, day)
        return resolve_caps(self.ws.rules.caps, group.type, stage or Stage.retention, group.caps)

    def local(self, post: Post) -> datetime:
        group = self.all_groups[post.group]
        return post.start.astimezone(ZoneInfo(group.timezone or self.ws.settings.timezone))

    @staticmethod
    def minute(moment: datetime) -> int:
        return moment.hour * 60 + moment.minute

    def add(self, rule: str, post_or_group, when, message: str) -> None:
        group = post_or_group.group if isinstance(post_or_group, Post) else post_or_group
        self.out.append(Violation(rule, group, str(when), message))


def verify(
    ws: Workspace, plan: Plan, history=None, book: Playbook | None = None
) -> list[Violation]:
    """Every violation of every rule; an empty list means the plan is valid.

    `history` (earlier weeks' posts) adds the rules that reach across weeks; `book`, the
    week's playbook built with that history, when the caller has it (a worker checking
    its operator's share against a workspace of that operator's groups).
    """
    checker = Checker(ws, plan, history, book)
    unplanned = {g for r in plan.problems if r.status in ("error", "unknown") for g in r.groups}
    unplanned |= {entry.group for entry in plan.left_out}  # their posts are the last run's
    if unplanned:
        checker.skip(unplanned)
    checker.index()
    for rule in RULES:
        rule.check(checker)
    return sorted(checker.out)
