"""Plan a week: units of work -> outcomes (built and solved in the workers) -> plan.

The one-way flow of DESIGN.md: nothing here reaches back into the loaded files,
and writers only ever see the Plan. The driver only splits the week into
operators and collects what the workers send back (planner.run.unit).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from datetime import date
from functools import partial

from planner.learn.engagement import value_changes
from planner.plan import Change, Plan
from planner.run.executors import Failed, executor
from planner.run.history import Past
from planner.run.revisions import LastRun
from planner.run.unit import Unit, UnitPlan, WeekContext, carried, finish, plan_unit, share_of
from planner.solver.cores import solving_at_once
from planner.solver.problem import holiday_warnings, iso_week, week_start
from planner.workspace.load import GROUPS_FILE, Workspace, groups_doc_by_operator

PlanUnit = Callable[[WeekContext, Unit, float], UnitPlan]


class InfeasibleWeek(Exception):
    """The hard rules cannot all hold; `reasons` say which, in the user's words."""

    def __init__(self, reasons: list[str], plan: Plan):
        super().__init__("\n".join(reasons))
        self.reasons = reasons
        self.plan = plan


def units_of(ws: Workspace, past: Past | None) -> tuple[list[Unit], dict[str, LastRun]]:
    """One unit per operator (operators couple their groups), in sorted order, each with
    its groups and their groups.yaml entries; and the last run's posts of groups no longer
    in the workspace, by the operator who posted them. A unit's past is read only when it
    is dispatched (`load`), so the driver never holds the whole week's history."""
    groups_docs = groups_doc_by_operator(ws)
    units = [
        Unit(op, members=tuple(ws.group(g) for g in ids), groups_doc=groups_docs.get(op))
        for op, ids in ws.operators().items()
    ]
    left = past.left_behind({g.id for g in ws.groups}) if past is not None else {}
    return units, left


def loader(past: Past | None, left: dict[str, LastRun]) -> Callable[[Unit], Unit]:
    """A unit with its past read from the output folder: called just before dispatch."""

    def load(unit: Unit) -> Unit:
        if past is None:
            return unit
        return replace(unit, record=past.record(unit.groups, left.get(unit.id)))

    return load


def context_of(ws: Workspace, start: date, render: bool = False) -> WeekContext:
    """The week's shared inputs: everything but the groups, which travel with the units."""
    docs = {name: doc for name, doc in ws.docs.items() if name != GROUPS_FILE}
    return WeekContext(
        ws=replace(ws, groups=[], docs=docs),
        start=start,
        weights=ws.rules.stages.objective.model_dump(),
        render=render,
        group_grids=len(ws.groups) <= ws.settings.group_grids_max_groups,
    )


def plan_patiently(
    plan: PlanUnit, context: WeekContext, unit: Unit, time_limit: float, at_once: int = 1
) -> UnitPlan:
    """One operator's week by `plan` (planner.run.unit.plan_unit, or a test's own); when
    that finds no plan in time, once more with twice the time. `at_once`: the operator's
    independent solves run this many at a time (cores.each)."""
    with solving_at_once(at_once):
        return _patiently(plan, context, unit, time_limit)


def _patiently(plan: PlanUnit, context: WeekContext, unit: Unit, time_limit: float) -> UnitPlan:
    outcome = plan(context, unit, time_limit)
    if outcome.status not in ("error", "unknown") or outcome.damaged:  # damaged stays so
        return outcome
    again = plan(context, unit, time_limit * 2)
    if again.status in ("error", "unknown"):
        message = again.result.message or outcome.result.message
        again.result.message = message or "no plan within the limit"
        again.retried = True
    return again


def failed(unit: Unit, failure: Failed) -> UnitPlan:
    """What a unit the executor could not run becomes: an 'error' outcome, named."""
    outcome = UnitPlan.failed(unit, failure.message)
    outcome.retried = failure.retried
    return outcome


def run_units(
    units: list[Unit],
    context: WeekContext,
    time_limit: float,
    workers: int | None,
    on_done: Callable[[UnitPlan], None] | None = None,
    executor_name: str = "local",
    address: str | None = None,
    load: Callable[[Unit], Unit] | None = None,
) -> list[UnitPlan]:
    """Every unit on the chosen executor; outcomes in the units' order. When the workers
    render, an outcome's files and posts go to `on_done` only and are not kept: the
    week's posts are never all in one process. `load` reads a unit's past just before it
    is dispatched (loader)."""
    load = load or _as_is
    found: dict[str, UnitPlan] = {}

    def done(unit: Unit, outcome: UnitPlan) -> None:
        if not outcome.finished:  # failed in the executor: its groups' files still change
            finish(context, load(unit), outcome)
        if on_done:
            on_done(outcome)
        if outcome.rendered is not None:
            outcome.rendered = None
            outcome.posts, outcome.cancelled, outcome.follow_ups = [], [], []
            outcome.days, outcome.unplaced = [], []
        found[outcome.problem] = outcome

    # plan_unit is looked up when the week runs: a test may put its own in its place
    runner = executor(executor_name, workers, address)
    # Fewer operators than workers: each operator's solves share the idle cores.
    at_once = max(1, runner.workers // max(1, len(units)))
    work = partial(plan_patiently, plan_unit, time_limit=time_limit, at_once=at_once)
    results = runner.map(work, units, context, load, _groups)
    with closing(results):  # left early (Ctrl-C), the executor stops its workers at once
        for unit, value in results:
            done(unit, failed(unit, value) if isinstance(value, Failed) else value)
    for unit in units:
        if unit.id not in found:
            done(unit, UnitPlan.failed(unit, "no result came back"))
    return [found[u.id] for u in units]


def _as_is(unit: Unit) -> Unit:
    return unit


def _groups(unit: Unit) -> int:
    """A unit's share of the work, for batching: its groups."""
    return len(unit.groups)


def plan_week(
    ws: Workspace,
    day: date,
    time_limit: float = 10.0,
    workers: int | None = None,
    on_problems: Callable[[list[Unit]], None] | None = None,
    on_done: Callable[[UnitPlan], None] | None = None,
    past: Past | None = None,
    executor_name: str = "local",
    address: str | None = None,
    render: bool = False,
) -> Plan:
    """The week's plan, without the groups whose rules cannot all hold (Plan.left_out);
    raises InfeasibleWeek when that leaves out every group.

    `past` (planner.run.history.Past: the output folder's earlier runs) carries cooldowns,
    streaks and the last plan of this week across runs (posts keep their calendar SEQUENCE, dropped
    ones come back cancelled). `render`: each operator's files are rendered where it
    is planned, checked by the verifier and handed to `on_done` (UnitPlan.rendered,
    UnitPlan.violations) as it finishes; the plan returned then holds no operator's posts
    (they are in the rendered pieces), only the cancelled posts of operators who have no
    group left.
    """
    start = week_start(day)
    units, left = units_of(ws, past)
    context = context_of(ws, start, render)
    if on_problems:
        on_problems(units)
    load = loader(past, left)
    outcomes = run_units(units, context, time_limit, workers, on_done, executor_name, address, load)
    # Operators with no group left: what they published last time is cancelled.
    operators = {unit.id for unit in units}
    gone = [carried(run, share_of(context)) for op, run in left.items() if op not in operators]
    plan = assemble(ws, start, outcomes, gone)
    if ws.groups and len(plan.left_out) == len(ws.groups):  # nothing could be planned
        raise InfeasibleWeek(plan.conflicts or ["the week is infeasible"], plan)
    return plan


def assemble(ws: Workspace, start: date, outcomes: list[UnitPlan], gone: list[Plan]) -> Plan:
    """The week's plan from its units' outcomes, in the units' order, and `gone`: what the
    last run published for operators who have no group left, now cancelled."""
    posts = [post for outcome in outcomes for post in outcome.posts]
    cancelled = [post for outcome in outcomes for post in outcome.cancelled]
    cancelled += [post for share in gone for post in share.cancelled]
    follow_ups = [follow_up for outcome in outcomes for follow_up in outcome.follow_ups]
    return Plan(
        workspace=ws.settings.name,
        week=iso_week(start),
        week_start=start,
        timezone=ws.settings.timezone,
        slot_minutes=ws.settings.slot_minutes,
        posts=sorted(posts, key=lambda p: (p.start, p.group, p.item)),
        problems=[outcome.result for outcome in outcomes],
        conflicts=[reason for outcome in outcomes for reason in outcome.reasons],
        failed=[_failure(o) for o in outcomes if o.status in ("error", "unknown")],
        left_out=[entry for outcome in outcomes for entry in outcome.left_out],
        follow_ups=sorted(follow_ups, key=lambda f: (f.date, f.operator, f.group, f.item)),
        cancelled=sorted(cancelled, key=lambda p: (p.start, p.group, p.item)),
        days=[day for outcome in outcomes for day in outcome.days],
        unplaced=[entry for outcome in outcomes for entry in outcome.unplaced],
        warnings=holiday_warnings(ws, start),
        waivers=[waiver for outcome in outcomes for waiver in outcome.waivers],
        shortfalls=[line for outcome in outcomes for line in outcome.shortfalls],
        value_changes=value_changes(ws),
        changes=_changes([*outcomes, *gone]),
    )


def _changes(parts: list[UnitPlan | Plan]) -> list[Change] | None:
    """The week's changes, group by group; None when no part had a last run to compare."""
    found = [part.changes for part in parts if part.changes is not None]
    if not found:
        return None
    return sorted((change for changes in found for change in changes), key=Change.order)


def _failure(outcome: UnitPlan) -> str:
    """A unit without a plan, as the user reads it: which groups, and why."""
    result = outcome.result
    return (
        f"{result.problem} (groups {', '.join(result.groups)}): "
        f"{result.message or 'no plan within the time limit'}"
        + (" (retried once)" if outcome.retried else "")
    )
