"""Plan a week: units of work -> outcomes (built and solved in the workers) -> plan.

The one-way flow of DESIGN.md: nothing here reaches back into the loaded files,
and writers only ever see the Plan. The driver only splits the week into
operators and collects what the workers send back (planner.operator_week).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from zoneinfo import ZoneInfo

from planner.executors import executor
from planner.history import History
from planner.operator_week import Outcome, Unit, WeekContext, carried, finish, share_of
from planner.plan import Plan, Post, ProblemResult
from planner.playbooks import playbook
from planner.problem import iso_week, split, week_start
from planner.revisions import by_owner
from planner.workspace import GROUPS_FILE, Workspace, groups_doc_by_operator


class InfeasibleWeek(Exception):
    """The hard rules cannot all hold; `reasons` say which, in the user's words."""

    def __init__(self, reasons: list[str], plan: Plan):
        super().__init__("\n".join(reasons))
        self.reasons = reasons
        self.plan = plan


def units_of(
    ws: Workspace, start: date, history: History | None, render: bool = False
) -> tuple[list[Unit], dict[str, Plan]]:
    """One unit per operator (operators couple their groups), in sorted order, each with
    its groups, its part of the playbook and of the last run; and the last run's plans of
    operators who have no group left (their published posts are cancelled)."""
    owner = {g.id: g.operator for g in ws.groups}
    groups_docs = groups_doc_by_operator(ws)
    books = split(playbook(ws, start, history), owner)
    writer_books = split(playbook(ws, start), owner) if render else {}
    previous: dict[str, list[Post]] = defaultdict(list)
    before: dict[str, Plan] = {}
    if history is not None and history.previous:
        for post in history.previous.posts:
            previous[post.group].append(post)
        before = by_owner(ws, history.previous)
    streaks: dict[str, dict[tuple[str, str], tuple[date, int]]] = defaultdict(dict)
    for p in history.earlier if history else []:
        if p.streak:
            local = p.start.astimezone(ZoneInfo(p.timezone)).date()
            streaks[p.group][(p.group, p.item)] = (local, p.streak)
    units = [
        Unit(
            op,
            members=tuple(ws.group(g) for g in ids),
            book=books[op],
            writer_book=writer_books.get(op),
            previous=tuple(post for g in ids for post in previous.get(g, ())),
            before=before.get(op),
            streaks={key: value for g in ids for key, value in streaks[g].items()},
            groups_doc=groups_docs.get(op),
        )
        for op, ids in ws.operators().items()
    ]
    gone = {op: plan for op, plan in before.items() if op not in books}
    return units, gone


def context_of(ws: Workspace, start: date) -> WeekContext:
    """The week's shared inputs: everything but the groups, which travel with the units."""
    docs = {name: doc for name, doc in ws.docs.items() if name != GROUPS_FILE}
    return WeekContext(
        ws=replace(ws, groups=[], docs=docs),
        start=start,
        weights=ws.rules.stages.objective.model_dump(),
    )


def run_units(
    units: list[Unit],
    context: WeekContext,
    time_limit: float,
    workers: int | None,
    on_done: Callable[[Outcome], None] | None = None,
    executor_name: str = "local",
    address: str | None = None,
) -> list[Outcome]:
    """Every unit on the chosen executor; outcomes in the units' order. When the workers
    render, an outcome's files and posts go to `on_done` only and are not kept: the
    week's posts are never all in one process."""
    found: dict[str, Outcome] = {}
    by_id = {u.id: u for u in units}

    def done(outcome: Outcome) -> None:
        if not outcome.finished:  # failed in the executor: its groups' files still change
            finish(context, by_id[outcome.problem], outcome)
        if on_done:
            on_done(outcome)
        if outcome.rendered is not None:
            outcome.rendered = None
            outcome.posts, outcome.cancelled, outcome.follow_ups = [], [], []
        found[outcome.problem] = outcome

    executor(executor_name, workers, address).run(units, context, time_limit, done)
    for unit in units:
        if unit.id not in found:
            done(Outcome.failed(unit, "no result came back"))
    return [found[u.id] for u in units]


def plan_week(
    ws: Workspace,
    day: date,
    time_limit: float = 10.0,
    workers: int | None = None,
    on_problems: Callable[[list[Unit]], None] | None = None,
    on_done: Callable[[Outcome], None] | None = None,
    history: History | None = None,
    executor_name: str = "local",
    address: str | None = None,
    render: bool = False,
) -> Plan:
    """The week's plan; raises InfeasibleWeek (with a partial plan) when rules conflict.

    `history` (planner.history.load_history) carries cooldowns, streaks and the
    last plan of this week across runs (posts keep their calendar SEQUENCE, dropped
    ones come back cancelled). `render`: each operator's files are rendered where it
    is planned, checked by the verifier and handed to `on_done` (Outcome.rendered,
    Outcome.violations) as it finishes; the plan returned then holds no operator's posts
    (they are in the rendered pieces), only the cancelled posts of operators who have no
    group left.
    """
    start = week_start(day)
    units, gone = units_of(ws, start, history, render)
    context = context_of(ws, start)
    if on_problems:
        on_problems(units)
    outcomes = run_units(units, context, time_limit, workers, on_done, executor_name, address)
    posts: list[Post] = []
    results: list[ProblemResult] = []
    reasons: list[str] = []
    failed: list[str] = []
    follow_ups = []
    cancelled: list[Post] = []
    for outcome in outcomes:
        posts.extend(outcome.posts)
        cancelled.extend(outcome.cancelled)
        reasons.extend(outcome.reasons)
        follow_ups.extend(outcome.follow_ups)
        result = outcome.result
        results.append(result)
        if result.status in ("error", "unknown"):
            failed.append(
                f"{result.problem} (groups {', '.join(result.groups)}): "
                f"{result.message or 'no plan within the time limit'}"
                + (" (retried once)" if outcome.retried else "")
            )
    # Operators with no group left: what they published last time is cancelled.
    for operator in sorted(gone):
        cancelled.extend(carried(gone[operator], share_of(context)).cancelled)
    plan = Plan(
        workspace=ws.settings.name,
        week=iso_week(start),
        week_start=start,
        timezone=ws.settings.timezone,
        slot_minutes=ws.settings.slot_minutes,
        posts=sorted(posts, key=lambda p: (p.start, p.group, p.item)),
        problems=results,
        conflicts=reasons,
        failed=failed,
        follow_ups=sorted(follow_ups, key=lambda f: (f.date, f.operator, f.group, f.item)),
        cancelled=sorted(cancelled, key=lambda p: (p.start, p.group, p.item)),
    )
    if reasons or any(r.status == "infeasible" for r in results):
        raise InfeasibleWeek(reasons or ["the week is infeasible"], plan)
    return plan
