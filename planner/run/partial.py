"""An operator's week without the groups whose rules cannot all hold.

One impossible group must not cost the others their week, nor hide the next impossible
group: each is found and left out, its conflict said in the user's words, and the rest is
solved as usual. Cheapest first: demands no candidate can meet (planner.solver.unmet, no
model); then each remaining group's own model, which the solver explains when it is
infeasible; the operator's coupled model only once every group holds on its own, so
the operator is blamed only when the coupling is the cause.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from planner.campaigns.playbook import restrict
from planner.plan import LeftOut, Post
from planner.solver.answers import Built
from planner.solver.cores import each
from planner.solver.explain import describe_conflict
from planner.solver.model import Guard
from planner.solver.problem import Problem
from planner.solver.solve import Result, solve, solve_single
from planner.solver.unmet import unmet_demands
from planner.workspace.load import Workspace


@dataclass
class Partial:
    """The planned part of an operator's week and the groups left out of it."""

    problem: Problem  # the groups planned (all of them when none is left out)
    result: Result
    left_out: dict[str, list[str]] = field(default_factory=dict)  # group -> its conflict

    @property
    def reasons(self) -> list[str]:
        """Every left-out group's conflict, each sentence once (a coupling names them all)."""
        return list(dict.fromkeys(r for reasons in self.left_out.values() for r in reasons))

    def entries(self, operator: str) -> list[LeftOut]:
        return [LeftOut(group=g, operator=operator, reasons=r) for g, r in self.left_out.items()]


def solve_around(ws: Workspace, problem: Problem, weights: dict, time_limit: float) -> Partial:
    """Solve `problem`, leaving out each group that cannot be planned, and say why."""
    left_out = unmet_reasons(ws, problem)
    parts, built = {}, Built()  # the groups' own results and models
    if len(problem.groups) - len(left_out) > 1:
        parts = _alone(problem, set(left_out), weights, time_limit, built)
        left_out |= {
            group: describe_conflict(ws, replace(single, id=problem.id), result.conflicts)
            for group, (single, result) in parts.items()
            if result.status == "infeasible"
        }
    kept = without(problem, set(left_out))
    if not kept.groups:
        return Partial(kept, Result(problem.id, "infeasible"), left_out)
    solved = [parts[g.id][1] for g in kept.groups] if parts else None
    result = solve(kept, weights, time_limit, solved, built)
    if result.status == "infeasible":  # every group holds alone: their coupling is the cause
        reasons = describe_conflict(ws, result.conflicts_of or kept, result.conflicts)
        left_out |= {group.id: reasons for group in kept.groups}
        kept = without(problem, set(left_out))
    return Partial(kept, result, dict(sorted(left_out.items())))


def unmet_reasons(ws: Workspace, problem: Problem) -> dict[str, list[str]]:
    """Groups with a demand no candidate can meet, found without a model; a reason that
    recurs day after day is said once, on its first day."""
    by_group: dict[int, list[Guard]] = defaultdict(list)
    for guard in unmet_demands(problem):
        by_group[guard.group].append(guard)
    return {
        problem.groups[g].id: _once(describe_conflict(ws, problem, guards))
        for g, guards in sorted(by_group.items())
    }


def _once(sentences: list[str]) -> list[str]:
    """Each sentence whose words after its place ("group g, Mon 2026-11-23: ") were not
    said already."""
    seen: dict[str, str] = {}
    for sentence in sentences:
        seen.setdefault(sentence.split(": ", 1)[-1], sentence)
    return list(seen.values())


def _alone(
    problem: Problem, out: set[str], weights: dict, time_limit: float, built: Built
) -> dict[str, tuple[Problem, Result]]:
    """Each group's own week (but those already out), solved: an infeasible one comes
    with the solver's explanation; the feasible ones are the operator's first step. Their
    models are kept in `built`."""
    singles = [single for single in problem.singles() if single.groups[0].id not in out]
    results = each(lambda single: solve_single(single, weights, time_limit, built), singles)
    pairs = zip(singles, results, strict=True)
    return {single.groups[0].id: (single, result) for single, result in pairs}


def without(problem: Problem, groups: set[str]) -> Problem:
    """`problem` without these groups, the others renumbered in order."""
    if not groups:
        return problem
    keep = [g for g, group in enumerate(problem.groups) if group.id not in groups]
    index = {g: n for n, g in enumerate(keep)}
    members = [problem.groups[g] for g in keep]
    return replace(
        problem,
        groups=members,
        zones=[problem.zones[g] for g in keep],
        group_days={
            (index[g], d): replace(gd, group=index[g])
            for (g, d), gd in problem.group_days.items()
            if g in index
        },
        candidates=[
            replace(c, group=index[c.group]) for c in problem.candidates if c.group in index
        ],
        book=restrict(problem.book, members),
        previous=frozenset((index[g], *rest) for g, *rest in problem.previous if g in index),
    )


def kept_posts(previous: list[Post], part: Partial) -> list[Post]:
    """What the last run published for the groups left out, as it was: their calendars
    keep those events untouched (same UID, same SEQUENCE) instead of cancelling them."""
    return [post for post in previous if post.group in part.left_out]
