"""`planner check --week`: the week's demands no item can meet, found as `plan` finds them
first (planner.run.partial), without a model: a required post whose window the operator's
hours or the quiet hours close, a campaign's need no item fits. `plan` would leave those
groups out; `check` names them before anyone waits for a plan."""

from __future__ import annotations

from datetime import date

from planner.workspace.load import Workspace


def unmet_in_week(ws: Workspace, day: date) -> list[str]:
    """One sentence per group's unmet demand in the week of `day`, with file:line."""
    from planner.run.partial import unmet_reasons
    from planner.solver.problem import build_problems

    reasons = []
    for problem in build_problems(ws, day):
        for said in unmet_reasons(ws, problem).values():
            reasons += said
    return reasons
