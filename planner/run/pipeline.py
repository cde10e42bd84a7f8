"""`planner plan` end to end: plan the week, stream each operator's verified files as it
finishes, assemble the week's own files, then publish the week at once (or nothing, on
any failure).

The command line and the scale benchmark both run this, so the benchmark measures what
users run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from planner.errors import Finding, PlannerError
from planner.plan import Plan
from planner.run.history import Past
from planner.run.revisions import FAILED
from planner.run.unit import Unit, UnitPlan
from planner.run.week import plan_week
from planner.solver.problem import iso_week, week_start
from planner.verify.checker import Violation
from planner.workspace.load import Workspace
from planner.writers.lock import Busy
from planner.writers.output import CannotWrite, OutputFolder
from planner.writers.week_files import Tally, WeekFiles


class PlanViolatesRules(Exception):
    """The independent verifier found the plan broken: an internal error, nothing written."""

    def __init__(self, violations: list[Violation]):
        super().__init__(f"{len(violations)} violations")
        self.violations = violations


@dataclass
class WrittenWeek:
    """A published week: its plan without the posts (those are in the files), the counts."""

    plan: Plan
    tally: Tally
    folder: Path
    warnings: list[str] = field(default_factory=list)  # about the output folder
    damaged: set[str] = field(default_factory=set)  # problems stopped by a damaged history file

    def failed_on_input(self) -> bool:
        """Whether every problem without a plan failed on a damaged history file."""
        failed = {r.problem for r in self.plan.problems if r.status in FAILED}
        return bool(failed) and failed <= self.damaged


def plan_and_publish(
    ws: Workspace,
    day: date,
    out: Path,
    past: Past | None,
    time_limit: float,
    workers: int | None,
    executor_name: str = "local",
    address: str | None = None,
    on_problems: Callable[[list[Unit]], None] | None = None,
    on_done: Callable[[UnitPlan], None] | None = None,
) -> WrittenWeek:
    """The verified week, published into OUT/<ISO week>/. Raises InfeasibleWeek or
    PlanViolatesRules with the previous outputs untouched. Each operator's share is
    verified and rendered where it is planned; the driver keeps its files and pieces on
    disk, not its posts."""
    folder = OutputFolder(out / iso_week(week_start(day)))
    files = WeekFiles(folder)
    violations: list[Violation] = []
    damaged: set[str] = set()

    def done(outcome: UnitPlan) -> None:
        if on_done:
            on_done(outcome)
        if outcome.rendered is not None:
            files.add(outcome.problem, outcome.rendered, keep=outcome.status in FAILED)
        violations.extend(outcome.violations)
        if outcome.damaged:
            damaged.add(outcome.problem)

    with _output_errors(), folder:
        plan = plan_week(
            ws,
            day,
            time_limit,
            workers,
            on_problems=on_problems,
            on_done=done,
            past=past,
            executor_name=executor_name,
            address=address,
            render=True,
        )
        if violations:
            raise PlanViolatesRules(sorted(violations))
        files.write(ws, plan)
        folder.publish()
    warnings = [*(past.warnings if past else []), *folder.warnings]
    return WrittenWeek(plan, files.tally, folder.target, warnings, damaged)


@contextmanager
def _output_errors() -> Iterator[None]:
    """An output folder that cannot be written or is busy, as the user's one-line error."""
    try:
        yield
    except CannotWrite as exc:
        raise PlannerError(
            Finding(
                str(exc.folder),
                0,
                f"cannot write the week: {exc.reason}",
                "a writable folder with free space (--out); nothing was written, the "
                "previous week is unchanged",
            )
        ) from exc
    except Busy as exc:
        raise PlannerError(
            Finding(
                str(exc.folder),
                0,
                f"another `planner plan` ({exc.holder}) is writing this output folder",
                "wait for it to finish, then plan again; nothing was written",
            )
        ) from exc
