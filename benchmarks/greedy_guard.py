"""The greedy's referee: would one more post break a rule the independent checker checks?

It runs the rule catalogue's own checks (planner/rules/, through planner.verify's Checker)
on the posts placed so far, with and without the new post, and refuses the post when it
adds a violation. So the greedy keeps exactly the rules the checker checks, and a rule
added to the catalogue reaches it with no change here. Demands (required posts, campaign
needs) are violated until their posts are placed: for them a post may only lower the
count of what is missing.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import Counter
from datetime import timedelta

from planner.campaigns.playbook import Playbook
from planner.plan import Plan, Post
from planner.rules.catalogue import BY_NAME, RULES
from planner.solver.problem import Problem, iso_week
from planner.verify.checker import Checker, Violation
from planner.workspace.load import Workspace

# The only checks that read more than one group's posts: the operator's capacity and daily
# load. Each looks at most a day around a post (a window of minutes, an operator's day).
OPERATOR_WIDE = frozenset({"operator_capacity", "operator_daily_load"})
AROUND = timedelta(days=1, minutes=1)


def _key(violation: Violation) -> tuple:
    """A demand's violation is the same one however much is still missing."""
    rule = BY_NAME.get(violation.rule)
    if rule is not None and rule.demand:
        return violation.rule, violation.group, violation.when
    return violation.rule, violation.group, violation.when, violation.message


class Guard:
    """The posts of one operator placed so far, and the catalogue's verdict on one more."""

    def __init__(self, ws: Workspace, problem: Problem, book: Playbook):
        empty = Plan(
            workspace=ws.settings.name,
            week=iso_week(problem.week_start),
            week_start=problem.week_start,
            timezone=ws.settings.timezone,
            slot_minutes=problem.slot_minutes,
            posts=[],
            problems=[],
        )
        self.checker = Checker(ws, empty, None, book)
        _remember_days(self.checker)
        self.groups = {g.id: g for g in problem.groups}
        self.posts: dict[str, list[Post]] = {g: [] for g in self.groups}
        self.timeline: list[Post] = []  # the operator's posts in time order
        self.starts: list = []  # their starts
        self.group_rules = tuple(r for r in RULES if r.name not in OPERATOR_WIDE)
        self.operator_rules = tuple(r for r in RULES if r.name in OPERATOR_WIDE)
        self._before: dict[str, Counter] = {}  # group -> its violations now

    def refuses(self, post: Post) -> set[str]:
        """The rules the plan so far breaks with `post` and did not break without it (none:
        the post may stay)."""
        group = post.group
        if group not in self._before:
            self._before[group] = self._found(self.group_rules, {group: self.posts[group]})
        mine = sorted([*self.posts[group], post], key=lambda p: p.start)
        added = self._found(self.group_rules, {group: mine}) - self._before[group]
        if not added:
            near = self._near(post)
            before = self._found(self.operator_rules, self._by_group(near))
            after = self._found(self.operator_rules, self._by_group(sorted([*near, post], key=_at)))
            added = after - before
        return {key[0] for key in added}

    def add(self, post: Post) -> None:
        insort(self.posts[post.group], post, key=_at)
        at = bisect_right(self.starts, post.start)
        self.starts.insert(at, post.start)
        self.timeline.insert(at, post)
        self._before.pop(post.group, None)

    def _near(self, post: Post) -> list[Post]:
        low = bisect_left(self.starts, post.start - AROUND)
        return self.timeline[low : bisect_right(self.starts, post.start + AROUND)]

    def _by_group(self, posts: list[Post]) -> dict[str, list[Post]]:
        by_group: dict[str, list[Post]] = {}
        for post in posts:
            by_group.setdefault(post.group, []).append(post)
        return by_group

    def _found(self, rules, by_group: dict[str, list[Post]]) -> Counter:
        checker = self.checker
        checker.groups = {g: self.groups[g] for g in by_group}
        checker.by_group = by_group
        checker.out = []
        for rule in rules:
            rule.check(checker)
        return Counter(_key(v) for v in checker.out)


def _remember_days(checker: Checker) -> None:
    """A group's stage and caps on a day, worked out once: the checks ask for them on
    every post, and the greedy asks the checks once per slot it tries."""
    stage, caps = checker.stage, checker.caps
    stages, caps_of = {}, {}

    def remembered_stage(group, day):
        if (group.id, day) not in stages:
            stages[(group.id, day)] = stage(group, day)
        return stages[(group.id, day)]

    def remembered_caps(group_id, day):
        if (group_id, day) not in caps_of:
            caps_of[(group_id, day)] = caps(group_id, day)
        return caps_of[(group_id, day)]

    checker.stage, checker.caps = remembered_stage, remembered_caps


def _at(post: Post):
    return post.start
