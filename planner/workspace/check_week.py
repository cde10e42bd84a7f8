"""`planner check --week`: the week's demands no item can meet, found as `plan` finds them
first (planner.run.partial), without a model: a required post whose window the quiet
hours close, a campaign's need no item fits. `plan` would leave those groups out; `check`
names them before anyone waits for a plan. Also the required posts the stage does not ask
for because their window lies wholly outside the operator's hours (required_post.waived)."""

from __future__ import annotations

from datetime import date

from planner.workspace.load import Workspace


def unmet_in_week(ws: Workspace, day: date) -> list[str]:
    """One sentence per group's unmet demand in the week of `day`, with file:line."""
    from planner.rules.required_post import waived_reason, waived_warnings
    from planner.run.partial import unmet_reasons
    from planner.solver.problem import build_problems

    reasons, waivers = [], []
    for problem in build_problems(ws, day):
        for said in unmet_reasons(ws, problem).values():
            reasons += said
        for (g, _), gd in sorted(problem.group_days.items()):
            group = problem.groups[g]
            waivers += [
                (group.id, gd.date, waived_reason(ws, group, gd.date, gd.stage, n))
                for n in gd.waived
            ]
    return [*reasons, *waived_warnings(waivers)]
