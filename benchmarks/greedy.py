"""The baseline we compare against (not part of the product): the next-free-slot greedy of the
queue and SOP tools of this field, made to keep every rule the independent checker checks.

Per operator, first what is asked for (day one's opening kinds, each group-day's required
posts, each campaign's needs), then every (group, item, day, segment) candidate, each in
order of value x attention weight (the planner's own per-post value: item value x peak
weight x stage fit), is placed in the first slot of its segment where the rule catalogue's
own checks (greedy_guard.py) find nothing new broken. Quick tests of the counting rules
(caps per day and hour, gaps, kinds, promo share, reuse, lives, operator capacity) skip
most candidates before the catalogue is asked; they only refuse, never admit. It proves
nothing and explains nothing; what it cannot place of what is asked for, the checker
reports (as missed required posts or campaign needs). The result is a real Plan, so the
product's verifier and objective score it exactly as they score ours.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator

from greedy_guard import Guard

from planner.campaigns.build import playbook
from planner.campaigns.playbook import Playbook
from planner.plan import Plan, Post
from planner.rules.operator_daily_load import day_starts, operator_day
from planner.rules.required_post import counts
from planner.run.unit import posts_of
from planner.solver.problem import Candidate, Problem, build_problems, iso_week, week_start
from planner.solver.solve import Placement, Result
from planner.workspace.load import Workspace

# Refusals that no other slot of the same day can lift: the next candidate is tried instead.
DAY_WIDE = frozenset(
    {"per_day_cap", "kind_per_day", "kind_per_week", "promo_share", "item_reuse", "item_days"}
)


class _Group:
    """One group's posts so far: week minutes (sorted), and counts for the per-day rules."""

    def __init__(self) -> None:
        self.minutes: list[int] = []  # local minutes since the week's Monday 00:00
        self.day_posts: Counter = Counter()  # day -> posts
        self.day_promo: Counter = Counter()  # day -> promotional posts
        self.day_kind: Counter = Counter()  # (day, kind) -> posts
        self.week_kind: Counter = Counter()  # kind -> posts
        self.item_days: dict[str, set[int]] = defaultdict(set)
        self.lives: list[tuple[int, int]] = []  # (start, end) minutes of placed lives


class Greedy:
    """Places one operator problem's posts: what is asked for first, then by value."""

    def __init__(self, ws: Workspace, problem: Problem, book: Playbook):
        self.ws = ws
        self.problem = problem
        self.slot = problem.slot_minutes
        self.guard = Guard(ws, problem, book)
        self.groups = [_Group() for _ in problem.groups]
        self.operator: list[int] = []  # absolute minutes of the operator's posts, sorted
        self.day_starts = day_starts(problem)
        self.full_days: set[int] = set()  # the operator's days their daily load has filled
        self.placed: list[tuple[Candidate, int]] = []  # (candidate, slot)
        self.week_limits = {
            (g, kind): limit
            for g in range(len(problem.groups))
            for kind in _kinds(problem)
            if (limit := _week_limit(problem, g, kind)) is not None
        }

    def run(self) -> list[tuple[Candidate, int]]:
        for count, candidates, where in self.demands():
            found = sum(where(c, slot) for c, slot in self.placed)
            for candidate in sorted(candidates, key=_by_value):
                if found >= count:
                    break
                found += self.place(
                    candidate, [s for s in self.slots(candidate) if where(candidate, s)]
                )
        for candidate in sorted(self.problem.candidates, key=_by_value):
            self.place(candidate, self.slots(candidate))
        return self.placed

    def demands(self) -> Iterator[tuple[int, list[Candidate], Callable]]:
        """(how many, candidates, which (candidate, slot) count) of each thing asked for:
        day one's opening kinds, in their order, each required post, each campaign need."""
        problem, kind = self.problem, self.kind
        by_day: dict[tuple[int, int], list[Candidate]] = defaultdict(list)
        for c in problem.candidates:
            by_day[(c.group, c.day)].append(c)
        for (g, d), gd in sorted(problem.group_days.items()):
            here = by_day[(g, d)]
            for opening in gd.first_day_order:
                mine = [c for c in here if kind(c) == opening]
                yield (
                    1,
                    mine,
                    lambda c, s, g=g, d=d, k=opening: (c.group, c.day, kind(c)) == (g, d, k),
                )
            for need in gd.required:
                mine = [c for c in here if kind(c) in need.kinds]
                yield (
                    need.count,
                    mine,
                    lambda c, s, g=g, d=d, r=need: (
                        (c.group, c.day) == (g, d) and counts(r, kind(c), s * self.slot)
                    ),
                )
        index = {group.id: g for g, group in enumerate(problem.groups)}
        for need in problem.book.needs:
            g = index.get(need.group)
            mine = [c for c in problem.candidates if c.group == g and c.item in need.items]
            yield (
                need.low,
                mine,
                lambda c, s, g=g, n=need: (
                    c.group == g and c.item in n.items and n.start <= self.start(c, s) < n.end
                ),
            )

    def place(self, candidate: Candidate, slots: list[int]) -> bool:
        """Put the candidate in the first of these slots where it breaks nothing."""
        if not self.day_fits(candidate):
            return False
        for slot in slots:
            if not self.slot_fits(candidate, slot):
                continue
            post = self.post(candidate, slot)
            refused = self.guard.refuses(post)
            if not refused:
                self.guard.add(post)
                self.add(candidate, slot)
                return True
            if refused == {"operator_daily_load"}:  # full now, full for good
                self.full_days.add(self.operator_day(candidate, slot))
            if refused <= DAY_WIDE:
                return False
        return False

    def operator_day(self, c: Candidate, slot: int) -> int:
        return operator_day(self.day_starts, self.problem.absolute_minute(c.group, c.day, slot))

    def slots(self, c: Candidate) -> range:
        segment = self.problem.group_days[(c.group, c.day)].segments[c.segment]
        return range(segment.first, segment.last)

    def kind(self, c: Candidate) -> str:
        return self.problem.items[c.item].kind

    def start(self, c: Candidate, slot: int):
        return self.problem.start_of(c.group, c.day, slot)

    def post(self, c: Candidate, slot: int) -> Post:
        placement = Placement(c.group, c.item, c.day, slot)
        result = Result(self.problem.id, "feasible", placements=[placement])
        return posts_of(self.ws, self.problem, result)[0]

    def day_fits(self, c: Candidate) -> bool:
        """The rules that do not depend on the slot: caps per day, kinds, promo, reuse."""
        problem, mine = self.problem, self.groups[c.group]
        caps = problem.group_days[(c.group, c.day)].caps
        item = problem.items[c.item]
        posts = mine.day_posts[c.day]
        if posts >= caps.per_day:
            return False
        days = mine.item_days.get(c.item, set())
        if c.day in days or (days and item.repeat in ("once", "weekly")):
            return False
        if item.cooldown_days > 1 and any(abs(c.day - d) < item.cooldown_days for d in days):
            return False
        limit = caps.kinds.get(item.kind)
        if (
            limit
            and limit.per_day is not None
            and mine.day_kind[(c.day, item.kind)] >= (limit.per_day)
        ):
            return False
        week = self.week_limits.get((c.group, item.kind))
        if week is not None and mine.week_kind[item.kind] >= week:
            return False
        promo = mine.day_promo[c.day] + (c.item in problem.promotional)
        return 1000 * promo <= round(caps.promo_share_max * 1000) * (posts + 1)

    def slot_fits(self, c: Candidate, slot: int) -> bool:
        """The rules of the slot: one post a slot, min gap, per hour, lives, operator."""
        problem, mine = self.problem, self.groups[c.group]
        t = c.day * 1440 + slot * self.slot
        minutes = mine.minutes
        i = bisect_left(minutes, t)
        if i < len(minutes) and minutes[i] == t:
            return False
        # Minimum gap: the earlier post's day sets the gap to the next one (as the verifier).
        if i > 0 and t - minutes[i - 1] < self._caps(c.group, minutes[i - 1]).min_gap_minutes:
            return False
        if i < len(minutes) and minutes[i] - t < self._caps(c.group, t).min_gap_minutes:
            return False
        # Rolling hour: every window [p, p + 60) that holds t, and the one starting at t.
        starts = [p for p in minutes[bisect_left(minutes, t - 59) : i]] + [t]
        for start in starts:
            inside = bisect_left(minutes, start + 60) - bisect_left(minutes, start) + 1
            if inside > self._caps(c.group, start).per_hour:
                return False
        item = problem.items[c.item]
        if any(a < t < b for a, b in mine.lives):
            return False
        if item.kind == "live":
            end = t + (getattr(item, "duration_minutes", 0) or self.slot)
            if bisect_left(minutes, end) > bisect_right(minutes, t):
                return False
        if self.full_days and self.operator_day(c, slot) in self.full_days:
            return False
        return self._operator_fits(problem.absolute_minute(c.group, c.day, slot))

    def _operator_fits(self, at: int) -> bool:
        window, most = self.problem.operator.window_minutes, self.problem.operator.max_posts
        ops = self.operator
        first = bisect_left(ops, at - window + 1)
        for start in [*ops[first : bisect_right(ops, at)], at]:
            inside = bisect_left(ops, start + window) - bisect_left(ops, start) + 1
            if inside > most:
                return False
        return True

    def _caps(self, g: int, minute: int):
        return self.problem.group_days[(g, min(6, minute // 1440))].caps

    def add(self, c: Candidate, slot: int) -> None:
        problem, mine = self.problem, self.groups[c.group]
        item = problem.items[c.item]
        t = c.day * 1440 + slot * self.slot
        insort(mine.minutes, t)
        mine.day_posts[c.day] += 1
        mine.day_promo[c.day] += c.item in problem.promotional
        mine.day_kind[(c.day, item.kind)] += 1
        mine.week_kind[item.kind] += 1
        mine.item_days[c.item].add(c.day)
        if item.kind == "live":
            mine.lives.append((t, t + (getattr(item, "duration_minutes", 0) or self.slot)))
        insort(self.operator, problem.absolute_minute(c.group, c.day, slot))
        self.placed.append((c, slot))


def _kinds(problem: Problem) -> set[str]:
    return {item.kind for item in problem.items.values()}


def _week_limit(problem: Problem, g: int, kind: str) -> int | None:
    """The tightest per-week limit of a kind over the group's planned days (as the verifier)."""
    limits = [
        gd.caps.kinds[kind].per_week
        for (gg, _), gd in problem.group_days.items()
        if gg == g
        and gd.stage is not None
        and kind in gd.caps.kinds
        and gd.caps.kinds[kind].per_week is not None
    ]
    return min(limits) if limits else None


def _by_value(c: Candidate) -> tuple:
    return -c.value, c.group, c.day, c.segment, c.item


def greedy_plan(ws: Workspace, day) -> Plan:
    """The greedy's week for the whole workspace, as a Plan the verifier can check."""
    start = week_start(day)
    book = playbook(ws, start, None)
    posts = []
    for problem in build_problems(ws, day):
        placed = sorted(
            Greedy(ws, problem, book).run(), key=lambda cs: (cs[0].group, cs[0].day, cs[1])
        )
        placements = [Placement(c.group, c.item, c.day, slot) for c, slot in placed]
        posts += posts_of(ws, problem, Result(problem.id, "feasible", placements=placements))
    posts.sort(key=lambda p: (p.start, p.group, p.item))
    return Plan(
        workspace=ws.settings.name,
        week=iso_week(start),
        week_start=start,
        timezone=ws.settings.timezone,
        slot_minutes=ws.settings.slot_minutes,
        posts=posts,
        problems=[],
    )
