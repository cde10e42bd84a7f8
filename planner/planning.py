"""Plan a week: problems -> solutions (in parallel processes) -> plan -> verified.

The one-way flow of DESIGN.md: nothing here reaches back into the loaded files,
and writers only ever see the Plan.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner.executors import executor
from planner.explain import describe_conflict
from planner.history import History
from planner.plan import FollowUp, Plan, Post, ProblemResult
from planner.problem import Problem, build_problems, iso_week, peak_weight, week_start
from planner.solver.solve import Solution
from planner.templates import post_context, render_item
from planner.workspace import Workspace


class InfeasibleWeek(Exception):
    """The hard rules cannot all hold; `reasons` say which, in the user's words."""

    def __init__(self, reasons: list[str], plan: Plan):
        super().__init__("\n".join(reasons))
        self.reasons = reasons
        self.plan = plan


def solve_all(
    problems: list[Problem],
    library: dict,
    weights: dict[str, int],
    time_limit: float,
    workers: int | None,
    on_done: Callable[[Solution], None] | None = None,
    executor_name: str = "local",
    address: str | None = None,
) -> list[Solution]:
    """Solve independent problems on the chosen executor; solutions in the problems' order."""
    found: dict[str, Solution] = {}

    def done(solution: Solution) -> None:
        found[solution.problem] = solution
        if on_done:
            on_done(solution)

    executor(executor_name, workers, address).run(problems, library, weights, time_limit, done)
    return [
        found.get(p.id) or Solution(p.id, "error", message="no result came back") for p in problems
    ]


def post_uid(workspace: str, group: str, item: str, day: date) -> str:
    """The same workspace, group, item and date always give the same calendar UID."""
    key = f"{workspace}\x1f{group}\x1f{item}\x1f{day.isoformat()}"
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, 'community-planner:' + key)}@community-planner"


def next_deal(problem: Problem, solution: Solution, placement) -> str | None:
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


def follow_up(ws: Workspace, problem: Problem, task) -> FollowUp:
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
    ws: Workspace, problem: Problem, solution: Solution, earlier_streaks: dict | None = None
) -> list[Post]:
    """Turn placements into posts with their text rendered for their group and time."""
    campaigns = {c.id: c for c in ws.campaigns}
    posts = []
    # (group, item) -> (date, day number) of the latest check-in, from earlier weeks on
    streaks: dict[tuple[str, str], tuple[date, int]] = dict(earlier_streaks or {})
    base = ws.rules.peaks.base_weight
    for placement in solution.placements:
        group = problem.groups[placement.group]
        gd = problem.group_days[(placement.group, placement.day)]
        item = ws.items[placement.item]
        start = problem.start_of(placement.group, placement.day, placement.slot)
        duration = getattr(item, "duration_minutes", None) or problem.slot_minutes
        streak = 0
        if item.kind == "checkin":  # each series counts its own consecutive days
            key = (group.id, item.id)
            last = streaks.get(key)
            yesterday = start.date() - timedelta(days=1)
            streak = last[1] + 1 if last and last[0] == yesterday else 1
            streaks[key] = (start.date(), streak)
        weight = peak_weight(gd.peaks, placement.slot * problem.slot_minutes, base)
        campaign_id = problem.book.campaign_of.get((group.id, item.id))
        campaign = campaigns.get(campaign_id) if campaign_id else None
        following = next_deal(problem, solution, placement) if campaign_id else None
        posts.append(
            Post(
                group=group.id,
                item=item.id,
                kind=item.kind,
                title=item.title,
                stage=gd.stage,
                operator=group.operator,
                start=start,
                end=start + timedelta(minutes=duration),
                timezone=problem.zones[placement.group],
                campaign=campaign_id,
                text=render_item(
                    item,
                    group,
                    post_context(start, max(streak, 1), ws.settings.locale),
                    campaign.model_dump(mode="json") if campaign else None,
                    ws.items.get(following) if following else None,
                ),
                image=item.image,
                notes=item.notes,
                atmosphere=list(item.atmosphere),
                promo=item.id in problem.promotional,
                value=item.value * weight * gd.fits.get(item.kind, 1),
                streak=streak,
                uid=post_uid(ws.settings.name, group.id, item.id, start.date()),
            )
        )
    return posts


def plan_week(
    ws: Workspace,
    day: date,
    time_limit: float = 10.0,
    workers: int | None = None,
    on_problems: Callable[[list[Problem]], None] | None = None,
    on_done: Callable[[Solution], None] | None = None,
    history: History | None = None,
    executor_name: str = "local",
    address: str | None = None,
) -> Plan:
    """The week's plan; raises InfeasibleWeek (with a partial plan) when rules conflict.

    `history` (planner.history.load_history) carries cooldowns, streaks and the
    last plan of this week across runs.
    """
    problems = build_problems(ws, day, history)
    streaks = {
        (p.group, p.item): (p.start.astimezone(ZoneInfo(p.timezone)).date(), p.streak)
        for p in (history.earlier if history else [])
        if p.streak
    }
    if on_problems:
        on_problems(problems)
    weights = ws.rules.stages.objective.model_dump()
    solutions = solve_all(
        problems, ws.items, weights, time_limit, workers, on_done, executor_name, address
    )
    posts: list[Post] = []
    results: list[ProblemResult] = []
    reasons: list[str] = []
    failed: list[str] = []
    for problem, solution in zip(problems, solutions, strict=True):
        posts.extend(posts_of(ws, problem, solution, streaks))
        if solution.conflicts or solution.status == "infeasible":
            reasons.extend(describe_conflict(ws, problem, solution.conflicts))
        results.append(
            ProblemResult(
                problem=problem.id,
                groups=[g.id for g in problem.groups],
                status=solution.status,
                objective=solution.objective,
                best_bound=solution.best_bound,
                gap=round(solution.gap, 6),
                candidates=solution.candidates,
                variables=solution.variables,
                message=solution.message,
            )
        )
        if solution.status in ("error", "unknown"):
            failed.append(
                f"{problem.id} (groups {', '.join(g.id for g in problem.groups)}): "
                f"{solution.message or 'no plan within the time limit'}"
                + (" (retried once)" if solution.retried else "")
            )
    start = week_start(day)
    follow_ups = [
        follow_up(ws, problem, task) for problem in problems for task in problem.book.tasks
    ]
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
    )
    if reasons or any(r.status == "infeasible" for r in results):
        raise InfeasibleWeek(reasons or ["the week is infeasible"], plan)
    return plan
