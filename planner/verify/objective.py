"""The objective in plain Python, recomputed from a plan and the workspace's rules.

Each objective term of the catalogue (planner/rules/) scores itself from the plan; a
test asserts the sum equals the solver's objective, so the model cannot drift from
what the documentation says the planner optimises.
"""

from __future__ import annotations

from planner.campaigns.playbook import Playbook
from planner.plan import Plan
from planner.rules.catalogue import TERMS
from planner.verify.checker import Checker
from planner.workspace.load import Workspace


def objective_of(ws: Workspace, plan: Plan, history=None, book: Playbook | None = None) -> int:
    """What the solver maximised (first pass), from the plan alone."""
    scorer = Checker(ws, plan, history, book)
    if plan.left_out:  # their posts, if any, are the last run's
        scorer.skip({entry.group for entry in plan.left_out})
    weights = ws.rules.stages.objective
    total = 0
    for term in TERMS:
        weight = getattr(weights, term.weight) if term.weight else 1
        if not term.second_pass and weight > 0:
            total += term.score(scorer, weight)
    return total
