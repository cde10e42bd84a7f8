"""The independent checker: a plan against the workspace's rules, rule by rule.

It reads the inputs (groups, items, rule packs), never the solver's model, and
imports no ortools. Every solve runs it before anything is written; each rule's
name matches the model method that enforces it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from planner.campaigns.build import playbook
from planner.campaigns.playbook import Playbook, restrict
from planner.campaigns.timeline import stage_on
from planner.models.common import Stage
from planner.models.rules import Caps
from planner.plan import Plan, Post
from planner.rules.eligibility import campaign_only, fits_group_type, item_stages
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


def _minute(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


class _Checker:
    def __init__(self, ws: Workspace, plan: Plan, history=None, book: Playbook | None = None):
        self.ws = ws
        self.plan = plan
        self.out: list[Violation] = []
        self.groups = {g.id: g for g in ws.groups}
        self.days = [plan.week_start + timedelta(days=d) for d in range(7)]
        self.book = book or playbook(ws, plan.week_start, history)

    def skip(self, groups: set[str]) -> None:
        self.groups = {k: v for k, v in self.groups.items() if k not in groups}
        self.ws = _without_groups(self.ws, groups)
        self.book = restrict(self.book, list(self.groups.values()))

    def stage(self, group, day: date):
        return stage_on(group, day, self.book)

    def add(self, rule: str, post_or_group, when, message: str) -> None:
        group = post_or_group.group if isinstance(post_or_group, Post) else post_or_group
        self.out.append(Violation(rule, group, str(when), message))

    def caps(self, group_id: str, day: date) -> Caps:
        group = self.groups[group_id]
        stage = self.stage(group, day)
        return resolve_caps(self.ws.rules.caps, group.type, stage or Stage.retention, group.caps)

    def local(self, post: Post) -> datetime:
        group = self.groups[post.group]
        return post.start.astimezone(ZoneInfo(group.timezone or self.ws.settings.timezone))


def _without_groups(ws: Workspace, groups: set[str]) -> Workspace:
    from dataclasses import replace

    return replace(ws, groups=[g for g in ws.groups if g.id not in groups])


def verify(
    ws: Workspace, plan: Plan, history=None, book: Playbook | None = None
) -> list[Violation]:
    """Every violation of every rule; an empty list means the plan is valid.

    `history` (earlier weeks' posts) adds the rules that reach across weeks; `book`, the
    week's playbook built with that history, when the caller has it (a worker checking
    its operator's share against a workspace of that operator's groups).
    """
    checker = _Checker(ws, plan, history, book)
    unplanned = {
        g for r in plan.problems if r.status in ("error", "unknown") for g in r.groups
    }  # problems that failed are reported as such, not as broken rules
    if unplanned:
        checker.skip(unplanned)
    by_group: dict[str, list[Post]] = defaultdict(list)
    for post in plan.posts:
        if post.group not in checker.groups:
            checker.add("unknown_group", post.group, post.start, "group not in groups.yaml")
            continue
        if post.item not in ws.items:
            checker.add("unknown_item", post, post.start, f"item '{post.item}' not in the library")
            continue
        by_group[post.group].append(post)
    for _, posts in sorted(by_group.items()):
        posts.sort(key=lambda p: p.start)
        _per_post(checker, posts)
        _one_post_per_slot(checker, posts)
        _per_day_cap(checker, posts)
        _per_hour_cap(checker, posts)
        _min_gap(checker, posts)
        _kind_limits(checker, posts)
        _promo_share(checker, posts)
        _item_reuse(checker, posts)
    _required_posts(checker, by_group)
    _operator_capacity(checker)
    _campaign_need(checker, by_group)
    _campaign_ban(checker)
    _campaign_order(checker, by_group)
    _campaign_window(checker)
    _live_overlap(checker, by_group)
    return sorted(checker.out)


def _per_post(c: _Checker, posts: list[Post]) -> None:
    """Stage, group type, validity, windows, quiet hours, slot grid: rules of a single post."""
    slot = c.ws.settings.slot_minutes
    for post in posts:
        group = c.groups[post.group]
        item = c.ws.items[post.item]
        start = c.local(post)
        day = start.date()
        if day not in c.days:
            c.add("outside_week", post, start, f"{day} is not in week {c.plan.week}")
            continue
        stage = c.stage(group, day)
        if stage is None:
            c.add("stage", post, start, "the group has no stage on this day yet")
        elif stage not in item_stages(item, c.ws.rules) and (
            (post.group, item.id) not in c.book.windows  # a campaign binds it: any stage
        ):
            c.add("stage", post, start, f"item {item.id} ({item.kind}) is not for stage {stage}")
        elif post.stage != stage:
            c.add("stage", post, start, f"post says stage {post.stage}, the timeline says {stage}")
        if campaign_only(item) and (post.group, item.id) not in c.book.windows:
            c.add("campaign_only", post, start, f"item {item.id} goes out only in a campaign")
        if not fits_group_type(item, group, c.ws.rules):
            c.add("group_type", post, start, f"item {item.id} does not fit a {group.type} group")
        if item.festival and item.festival not in c.ws.rules.holidays.festivals_on(day):
            c.add("festival", post, start, f"item {item.id} is for {item.festival}, not on {day}")
        if (item.valid_from and day < item.valid_from) or (
            item.valid_until and day > item.valid_until
        ):
            c.add("validity", post, start, f"item {item.id} is not valid on {day}")
        minute = _minute(start)
        if item.window is not None and not item.window.contains(minute):
            c.add("item_window", post, start, f"item {item.id} only goes out {item.window}")
        caps = c.caps(post.group, day)
        if caps.quiet_hours is not None and caps.quiet_hours.contains(minute):
            c.add(
                "quiet_hours",
                post,
                start,
                f"{start:%H:%M} is inside quiet hours {caps.quiet_hours}",
            )
        if minute % slot or start.second:
            c.add("slot_grid", post, start, f"{start:%H:%M} is not on the {slot}-minute grid")
        if not post.text.strip():
            c.add("empty_text", post, start, f"item {item.id} rendered to an empty post")


def _one_post_per_slot(c: _Checker, posts: list[Post]) -> None:
    """At most one post per group per slot."""
    for start, count in Counter(p.start for p in posts).items():
        if count > 1:
            c.add("one_post_per_slot", posts[0], start, f"{count} posts start at the same time")


def _per_day_cap(c: _Checker, posts: list[Post]) -> None:
    """At most caps.per_day posts a day."""
    for day, count in Counter(c.local(p).date() for p in posts).items():
        cap = c.caps(posts[0].group, day).per_day
        if count > cap:
            c.add("per_day_cap", posts[0], day, f"{count} posts, caps.per_day is {cap}")


def _rolling(c: _Checker, posts: list[Post], minutes_of, limit_of, rule: str, unit: str) -> None:
    """For each post p: the posts in [p, p + window) must not exceed the limit of p's day."""
    starts = [c.local(p) for p in posts]
    for i, first in enumerate(starts):
        caps = c.caps(posts[i].group, first.date())
        window = timedelta(minutes=minutes_of(caps))
        inside = sum(1 for other in starts[i:] if other - first < window)
        if inside > limit_of(caps):
            c.add(
                rule,
                posts[i],
                first,
                f"{inside} posts within {minutes_of(caps)} minutes, {unit} {limit_of(caps)}",
            )


def _per_hour_cap(c: _Checker, posts: list[Post]) -> None:
    """At most caps.per_hour posts in any 60 minutes, across midnight too."""
    _rolling(
        c, posts, lambda caps: 60, lambda caps: caps.per_hour, "per_hour_cap", "caps.per_hour is"
    )


def _min_gap(c: _Checker, posts: list[Post]) -> None:
    """Consecutive posts at least caps.min_gap_minutes apart, across midnight too."""
    starts = [c.local(p) for p in posts]
    for i in range(1, len(starts)):
        gap = c.caps(posts[i - 1].group, starts[i - 1].date()).min_gap_minutes
        apart = (starts[i] - starts[i - 1]).total_seconds() / 60
        if apart < gap:
            c.add(
                "min_gap",
                posts[i],
                starts[i],
                f"{apart:.0f} minutes after the previous post, caps.min_gap_minutes is {gap}",
            )


def _kind_limits(c: _Checker, posts: list[Post]) -> None:
    """Per-kind limits a day and a week (the tightest per-week limit of the week's days)."""
    per_day = Counter((c.local(p).date(), c.ws.items[p.item].kind) for p in posts)
    for (day, kind), count in sorted(per_day.items()):
        limit = c.caps(posts[0].group, day).kinds.get(kind)
        if limit and limit.per_day is not None and count > limit.per_day:
            c.add(
                "kind_per_day", posts[0], day, f"{count} {kind} posts, the limit is {limit.per_day}"
            )
    per_week = Counter(c.ws.items[p.item].kind for p in posts)
    group = c.groups[posts[0].group]
    for kind, count in sorted(per_week.items()):
        limits = []
        for day in c.days:
            if c.stage(group, day) is None:
                continue
            limit = c.caps(group.id, day).kinds.get(kind)
            if limit and limit.per_week is not None:
                limits.append(limit.per_week)
        if limits and count > min(limits):
            c.add(
                "kind_per_week",
                posts[0],
                c.plan.week,
                f"{count} {kind} posts, the weekly limit is {min(limits)}",
            )


def _promo_share(c: _Checker, posts: list[Post]) -> None:
    """Promotional posts at most promo_share_max of the day's posts."""
    promotional = set(c.ws.rules.caps.promotional_kinds)
    days: dict[date, list[Post]] = defaultdict(list)
    for post in posts:
        days[c.local(post).date()].append(post)
    for day, todays in sorted(days.items()):
        share = c.caps(posts[0].group, day).promo_share_max
        promo = 0
        for post in todays:
            item = c.ws.items[post.item]
            promo += bool(item.promo if item.promo is not None else item.kind in promotional)
        if 1000 * promo > round(share * 1000) * len(todays):
            c.add(
                "promo_share",
                posts[0],
                day,
                f"{promo} of {len(todays)} posts promote, promo_share_max is {share}",
            )


def _item_reuse(c: _Checker, posts: list[Post]) -> None:
    """Once a day at most; once/weekly items once a week; cooldown days between reuses."""
    by_item: dict[str, list[date]] = defaultdict(list)
    for post in posts:
        by_item[post.item].append(c.local(post).date())
    for item_id, days in sorted(by_item.items()):
        item = c.ws.items[item_id]
        for day, count in Counter(days).items():
            if count > 1:
                c.add("item_reuse", posts[0], day, f"item {item_id} posted {count} times in a day")
        if item.repeat in ("once", "weekly") and len(days) > 1:
            c.add(
                "item_reuse",
                posts[0],
                c.plan.week,
                f"item {item_id} ({item.repeat}) posted {len(days)} times",
            )
        ordered = sorted(set(days))
        for earlier, later in pairwise(ordered):
            if item.cooldown_days > 1 and (later - earlier).days < item.cooldown_days:
                c.add(
                    "item_reuse",
                    posts[0],
                    later,
                    f"item {item_id} again after {(later - earlier).days} days, "
                    f"cooldown_days is {item.cooldown_days}",
                )


def _required_posts(c: _Checker, by_group: dict[str, list[Post]]) -> None:
    """Each stage's required posts per day, inside their window."""
    for group in c.ws.groups:
        posts = by_group.get(group.id, [])
        for day in c.days:
            stage = c.stage(group, day)
            if stage is None or (group.id, day) in c.book.days_off:
                continue
            todays = [p for p in posts if c.local(p).date() == day]
            for required in c.ws.rules.stages.stages[stage].required:
                found = sum(
                    1
                    for p in todays
                    if c.ws.items[p.item].kind in required.kinds
                    and (required.window is None or required.window.contains(_minute(c.local(p))))
                )
                if found < required.count:
                    where = f" in {required.window}" if required.window else ""
                    c.add(
                        "required_post",
                        group.id,
                        day,
                        f"stage {stage} needs {required.count} {'/'.join(required.kinds)}{where}, "
                        f"found {found}",
                    )


def _operator_capacity(c: _Checker) -> None:
    """An operator posts at most max_posts in any window_minutes across their groups."""
    default = c.ws.rules.caps.operator
    by_operator: dict[str, list[Post]] = defaultdict(list)
    for post in c.plan.posts:
        if post.group in c.groups:
            by_operator[c.groups[post.group].operator].append(post)
    for operator, posts in sorted(by_operator.items()):
        own = c.ws.settings.operators.get(operator)
        limit = (own.max_posts if own and own.max_posts else None) or default.max_posts
        minutes = (
            own.window_minutes if own and own.window_minutes else None
        ) or default.window_minutes
        starts = sorted(p.start for p in posts)
        for i, first in enumerate(starts):
            inside = bisect_left(starts, first + timedelta(minutes=minutes), lo=i) - i
            if inside > limit:
                c.add(
                    "operator_capacity",
                    f"(operator {operator})",
                    first,
                    f"{inside} posts within {minutes} minutes, the limit is {limit}",
                )


def _campaign_need(c: _Checker, by_group: dict[str, list[Post]]) -> None:
    """Each campaign role: between its low and high count of posts inside its window."""
    for need in c.book.needs:
        found = sum(
            1
            for p in by_group.get(need.group, [])
            if p.item in need.items and need.start <= p.start < need.end
        )
        if found < need.low or (need.high is not None and found > need.high):
            c.add(
                need.rule,
                need.group,
                need.start.date(),
                f"campaign {need.campaign} needs {need.label}: found {found}",
            )


def _campaign_ban(c: _Checker) -> None:
    """Nothing a campaign forbids: after a deadline or a dissolve notice, during a live."""
    for ban in c.book.bans:
        for post in c.plan.posts:
            if (
                post.group == ban.group
                and (ban.items is None or post.item in ban.items)
                and post.item not in ban.keep
                and ban.start <= post.start < ban.end
            ):
                c.add(ban.rule, post, post.start, f"{ban.label} ({post.item})")


def _campaign_order(c: _Checker, by_group: dict[str, list[Post]]) -> None:
    """On a campaign's day, its first posts come before the ones that must follow."""
    for rule in c.book.order:
        todays = [p for p in by_group.get(rule.group, []) if c.local(p).date() == rule.day]
        firsts = [p.start for p in todays if p.item in rule.first and p.item not in rule.then]
        thens = [p.start for p in todays if p.item in rule.then]
        if firsts and thens and max(firsts) >= min(thens):
            c.add("campaign_order", rule.group, rule.day, rule.label)


def _campaign_window(c: _Checker) -> None:
    """A campaign's item goes out in its targeted groups only inside the campaign's windows."""
    for post in c.plan.posts:
        if not c.book.allowed(post.group, post.item, post.start):
            campaign = c.book.campaign_of.get((post.group, post.item))
            c.add(
                "campaign_window",
                post,
                post.start,
                f"item {post.item} is outside campaign {campaign}'s windows",
            )


def _live_overlap(c: _Checker, by_group: dict[str, list[Post]]) -> None:
    """No other post of the group starts while a live runs."""
    for posts in by_group.values():
        for live in (p for p in posts if p.kind == "live"):
            for other in posts:
                if other is not live and live.start < other.start < live.end:
                    c.add("live_overlap", other, other.start, f"starts during live {live.item}")
