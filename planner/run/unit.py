"""One operator's week, start to finish: the work a worker process does.

A worker gets the week's shared inputs once (WeekContext: the content library,
rules and settings, none of the groups) and then units: an operator with their
groups and their past as the output folder holds it (planner.run.history.Record). For
each it reads that past, builds the operator's playbook once (the problem, the
verifier and the writers all read that one), builds the problem, solves it and turns
the solution into posts, results and reasons, verified and rendered. So a
worker holds what its own operators need, never the whole week's groups, and only the
plain outcome travels back.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from planner.campaigns.build import playbook
from planner.campaigns.playbook import Playbook
from planner.errors import PlannerError
from planner.models.groups import Group
from planner.plan import (
    Change,
    FollowUp,
    GroupDayFacts,
    LeftOut,
    Plan,
    Post,
    ResultSummary,
    Unplaced,
)
from planner.run.facts import hours_waivers, week_facts
from planner.run.history import History, Record
from planner.run.partial import kept_posts, solve_around
from planner.run.revisions import FAILED, LastRun, carry_sequences, kept
from planner.run.shortfall import shortfalls
from planner.run.streaks import Series
from planner.solver.problem import Problem, build_problem, iso_week, peak_weight
from planner.solver.solve import PLANNED, Result
from planner.verify.checker import Violation, verify
from planner.workspace.load import GROUPS_FILE, Workspace
from planner.workspace.templates import post_context, render_item
from planner.workspace.yamlio import YamlDoc
from planner.writers.publish import render_share
from planner.writers.week_files import UnitFiles


@dataclass(frozen=True, eq=False)
class Unit:
    """One independent problem: an operator and their groups, with what only this
    operator's week needs; it travels with the task, so no worker holds
    every group of the week."""

    id: str
    members: tuple[Group, ...]  # the groups themselves, in sorted order
    record: Record = field(default_factory=Record)  # their past (earlier weeks, last run)
    groups_doc: YamlDoc | None = None  # their entries of groups.yaml, with their lines

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.members)


@dataclass
class WeekContext:
    """What every problem of the week shares; sent to each worker once. Its workspace
    holds no groups: each unit brings its own (workspace_of)."""

    ws: Workspace
    start: date
    weights: dict[str, int]
    render: bool = False  # verify and render each share where it is planned
    group_grids: bool = True  # draw each group's week grid (writers.grid), not only operators'


def workspace_of(context: WeekContext, unit: Unit) -> Workspace:
    """The workspace as one operator's week sees it: the library and rules, their groups."""
    docs = context.ws.docs
    if unit.groups_doc is not None:
        docs = {**docs, GROUPS_FILE: unit.groups_doc}
    return replace(context.ws, groups=list(unit.members), docs=docs)


@dataclass
class UnitPlan:
    """One problem's share of the week's plan, as plain data."""

    result: ResultSummary
    posts: list[Post] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # conflicts, in the user's words
    retried: bool = False
    cancelled: list[Post] = field(default_factory=list)  # last run's posts this one dropped
    rendered: UnitFiles | None = None  # the operator's files, when the context asks for them
    violations: list[Violation] = field(default_factory=list)  # found where it was rendered
    finished: bool = False  # sequences carried (and files rendered): see finish()
    days: list[GroupDayFacts] = field(default_factory=list)  # what the writers show: finish()
    unplaced: list[Unplaced] = field(default_factory=list)
    changes: list[Change] | None = None  # against the week's last run (None: there was none)
    damaged: list[str] = field(default_factory=list)  # history files that stopped it (bad input)
    left_out: list[LeftOut] = field(default_factory=list)  # groups whose rules cannot all hold
    waivers: list[str] = field(default_factory=list)  # required posts outside the hours: finish()
    shortfalls: list[str] = field(default_factory=list)  # groups the library cannot fill

    @property
    def problem(self) -> str:
        return self.result.problem

    @property
    def status(self) -> str:
        return self.result.status

    @classmethod
    def failed(cls, unit: Unit, message: str) -> UnitPlan:
        result = ResultSummary(
            problem=unit.id,
            groups=list(unit.groups),
            status="error",
            objective=0,
            best_bound=0,
            gap=0.0,
            candidates=0,
            variables=0,
            message=message,
        )
        return cls(result)


def plan_unit(context: WeekContext, unit: Unit, time_limit: float) -> UnitPlan:
    """Build, solve and render one operator's week; its playbook is built here, once."""
    ws = workspace_of(context, unit)
    try:
        history = unit.record.history()
    except PlannerError as exc:  # a damaged history file: the unit keeps its last run
        outcome = UnitPlan.failed(unit, "; ".join(str(f) for f in exc.findings))
        outcome.damaged = [str(f) for f in exc.findings]
        return finish(context, unit, outcome)
    book = playbook(ws, context.start, history)
    previous = history.previous.posts if history.previous else []
    whole = build_problem(ws, unit.id, list(unit.members), context.start, book, previous)
    part = solve_around(ws, whole, context.weights, time_limit)
    problem, solution = part.problem, part.result
    outcome = UnitPlan(
        result=ResultSummary(
            problem=problem.id,
            groups=list(unit.groups),
            status=solution.status if problem.groups else "infeasible",
            objective=solution.objective,
            best_bound=solution.best_bound,
            gap=round(solution.gap, 6),
            candidates=solution.candidates,
            variables=solution.variables,
            message=solution.message,
        ),
        posts=posts_of(ws, problem, solution, history.streaks()) + kept_posts(previous, part),
        follow_ups=[follow_up(ws, task) for task in problem.book.tasks],
        reasons=part.reasons,
        left_out=part.entries(unit.id),
    )
    outcome.shortfalls = shortfalls(whole, outcome.posts)
    return finish(context, unit, outcome, history, book)


def finish(
    context: WeekContext,
    unit: Unit,
    outcome: UnitPlan,
    history: History | None = None,
    book: Playbook | None = None,
) -> UnitPlan:
    """Sequences carried from the last run (calendar apps update an event only when it
    rises), the dropped posts cancelled, and, when asked, the share checked by the
    independent verifier and the operator's files rendered: the driver never holds the
    week's posts. `history` and `book`: the unit's, when the caller has them already (a
    unit that failed in its worker has neither: its book is built here, once)."""
    if history is None:  # a unit that failed, finished without its damaged files
        history = unit.record.history(strict=False)
    ws = workspace_of(context, unit)
    book = book if book is not None else playbook(ws, context.start, history)
    failed = outcome.status in FAILED
    if failed and history.previous is not None:
        outcome.posts = list(history.previous.posts)
    outcome.days, outcome.unplaced = week_facts(
        ws, context.start, book, unit.members, outcome.posts
    )
    outcome.waivers = hours_waivers(outcome.days)
    share = share_of(context, outcome)
    share = kept(history.previous, share) if failed else carried(history.previous, share)
    outcome.posts, outcome.cancelled, outcome.changes = share.posts, share.cancelled, share.changes
    if context.render:
        if outcome.status in PLANNED:
            outcome.violations = verify(ws, share, book=book)
        outcome.rendered = render_share(ws, share, unit.id, unit.groups, context.group_grids)
    outcome.finished = True
    return outcome


def carried(before: LastRun | None, share: Plan) -> Plan:
    """An operator's share with what the last run published for them carried forward."""
    return carry_sequences(share, before) if before is not None else share


def share_of(context: WeekContext, outcome: UnitPlan | None = None) -> Plan:
    """The operator's part of the week's plan, as a Plan the writers take (empty without
    an outcome: an operator who has no group left)."""
    settings = context.ws.settings
    return Plan(
        workspace=settings.name,
        week=iso_week(context.start),
        week_start=context.start,
        timezone=settings.timezone,
        slot_minutes=settings.slot_minutes,
        posts=sorted(outcome.posts, key=lambda p: (p.start, p.group, p.item)) if outcome else [],
        problems=[outcome.result] if outcome else [],
        follow_ups=sorted(outcome.follow_ups, key=lambda f: (f.date, f.operator, f.group, f.item))
        if outcome
        else [],
        days=outcome.days if outcome else [],
        unplaced=outcome.unplaced if outcome else [],
        left_out=outcome.left_out if outcome else [],
    )


def post_uid(workspace: str, group: str, item: str, day: date) -> str:
    """The same workspace, group, item and date always give the same calendar UID."""
    key = f"{workspace}\x1f{group}\x1f{item}\x1f{day.isoformat()}"
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, 'community-planner:' + key)}@community-planner"


def next_deal(problem: Problem, solution: Result, placement) -> str | None:
    """In a seven-day retention, the deal placed the next day (its sample is announced today)."""
    group = problem.groups[placement.group].id
    series = problem.book.deal_series.get(group, ())
    if placement.item not in series:
        return None
    tomorrow = sorted(
        (p.slot, p.item)
        for p in solution.placements
        if p.group == placement.group and p.day == placement.day + 1 and p.item in series
    )
    return tomorrow[0][1] if tomorrow else None


def follow_up(ws: Workspace, task) -> FollowUp:
    """A training camp's one-to-one task, its private message rendered for the group."""
    group = ws.group(task.group)
    item = ws.items[task.item]
    campaign = next((c for c in ws.campaigns if c.id == task.campaign), None)
    moment = datetime.combine(task.day, time(9, 0))
    text = render_item(
        item,
        group,
        post_context(moment, 1, ws.settings.locale),
        campaign.model_dump(mode="json") if campaign else None,
    )
    return FollowUp(
        group=group.id,
        item=item.id,
        campaign=task.campaign,
        operator=group.operator,
        date=task.day,
        title=item.title,
        text=text,
    )


def posts_of(
    ws: Workspace, problem: Problem, solution: Result, earlier_streaks: dict | None = None
) -> list[Post]:
    """Turn placements into posts with their text rendered for their group and time."""
    campaigns = {c.id: c for c in ws.campaigns}
    series = Series(ws, problem.book.days_off, earlier_streaks)
    posts = []
    checkins = series_starts(problem, solution)
    for placement in solution.placements:
        group = problem.groups[placement.group]
        item = ws.items[placement.item]
        start = problem.start_of(placement.group, placement.day, placement.slot)
        streak = 0
        if item.kind in problem.daily_kinds:
            streak = series.number(group, start.date())
        campaign_id = problem.book.campaign_of.get((group.id, item.id))
        following = next_deal(problem, solution, placement) if campaign_id else None
        text = render_item(
            item,
            group,
            post_context(
                start,
                max(streak, 1),
                ws.settings.locale,
                problem.book.anchors.get((group.id, item.id)),
                next((t for t in checkins[placement.group] if t > start), None),
            ),
            campaigns[campaign_id].model_dump(mode="json") if campaign_id in campaigns else None,
            ws.items.get(following) if following else None,
        )
        posts.append(_post(ws, problem, placement, start, text, streak, campaign_id))
    return posts


def series_starts(problem: Problem, solution: Result) -> dict[int, list]:
    """Each group's daily-series posts (check-ins) in time order, for `post.next_checkin`."""
    starts: dict[int, list] = {g: [] for g in range(len(problem.groups))}
    for p in solution.placements:
        if problem.items[p.item].kind in problem.daily_kinds:
            starts[p.group].append(problem.start_of(p.group, p.day, p.slot))
    return {g: sorted(times) for g, times in starts.items()}


def _post(ws: Workspace, problem: Problem, placement, start, text: str, streak: int, campaign):
    group = problem.groups[placement.group]
    gd = problem.group_days[(placement.group, placement.day)]
    item = ws.items[placement.item]
    duration = getattr(item, "duration_minutes", None) or problem.slot_minutes
    weight = peak_weight(
        gd.peaks, placement.slot * problem.slot_minutes, ws.rules.peaks.base_weight
    )
    return Post(
        group=group.id,
        item=item.id,
        kind=item.kind,
        title=item.title,
        stage=gd.stage,
        operator=group.operator,
        start=start,
        end=start + timedelta(minutes=duration),
        timezone=problem.zones[placement.group],
        campaign=campaign,
        text=text,
        image=item.image,
        notes=item.notes,
        atmosphere=list(item.atmosphere),
        promo=item.id in problem.promotional,
        value=item.value * weight * gd.fits.get(item.kind, 1),
        streak=streak,
        uid=post_uid(ws.settings.name, group.id, item.id, start.date()),
        group_name=group.name,
        alarm_minutes=ws.settings.alarm_minutes,
    )
