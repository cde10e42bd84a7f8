"""`planner plan` end to end: plan the week, stream each operator's files as it finishes,
verify the whole plan, then publish the week at once (or nothing, on any failure).

The command line and the scale benchmark both run this, so the benchmark measures what
users run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from planner.history import History
from planner.operator_week import Outcome, Unit
from planner.plan import Plan
from planner.planning import plan_week
from planner.problem import iso_week, week_start
from planner.verify import Violation, verify
from planner.workspace import Workspace
from planner.writers.output import OutputFolder
from planner.writers.publish import write_week


class PlanViolatesRules(Exception):
    """The independent verifier found the plan broken: an internal error, nothing written."""

    def __init__(self, violations: list[Violation]):
        super().__init__(f"{len(violations)} violations")
        self.violations = violations


def plan_and_publish(
    ws: Workspace,
    day: date,
    out: Path,
    history: History,
    time_limit: float,
    workers: int | None,
    executor_name: str = "local",
    address: str | None = None,
    on_problems: Callable[[list[Unit]], None] | None = None,
    on_done: Callable[[Outcome], None] | None = None,
) -> tuple[Plan, Path]:
    """The verified week, published into OUT/<ISO week>/. Raises InfeasibleWeek or
    PlanViolatesRules with the previous outputs untouched."""
    folder = OutputFolder(out / iso_week(week_start(day)))
    sections: list[dict] = []

    def done(outcome: Outcome) -> None:
        if on_done:
            on_done(outcome)
        if outcome.rendered is not None:
            for name, data in outcome.rendered.files.items():
                folder.add(name, data)
            sections.extend(outcome.rendered.sections)

    with folder:
        plan = plan_week(
            ws,
            day,
            time_limit,
            workers,
            on_problems=on_problems,
            on_done=done,
            history=history,
            executor_name=executor_name,
            address=address,
            render=True,
        )
        violations = verify(ws, plan, history)
        if violations:
            raise PlanViolatesRules(violations)
        write_week(ws, plan, out, folder, sections)
    return plan, folder.target
