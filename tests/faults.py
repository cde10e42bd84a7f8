"""Faults the executor tests inject: planning functions that crash, kill their worker or
record which process ran them, each around the real planning function.

A test puts one in place of planner.run.week.plan_unit; the week sends it to the workers
through the executor, as it sends the real one. Workers must import this module: forked
local workers have it already; Ray's are given the tests folder on their PYTHONPATH
(TESTS); a planner started as a subprocess runs `python -c` with CLI (below).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from planner.run import unit as unit_module
from planner.run import week

TESTS = str(Path(__file__).parent)


@dataclass(frozen=True)
class Crash:
    """Raises in one unit, every time it is planned."""

    unit: str
    plan: object = unit_module.plan_unit

    def __call__(self, context, unit, time_limit):
        if unit.id == self.unit:
            raise RuntimeError(f"injected crash in problem {unit.id}")
        return self.plan(context, unit, time_limit)


@dataclass(frozen=True)
class KillOnce:
    """Kills the worker process that plans one unit, the first time only (`marker` records
    it); never the driver."""

    unit: str
    marker: str
    driver: int = field(default_factory=os.getpid)
    plan: object = unit_module.plan_unit

    def __call__(self, context, unit, time_limit):
        if unit.id == self.unit and os.getpid() != self.driver and not os.path.exists(self.marker):
            Path(self.marker).write_text(str(os.getpid()), encoding="utf-8")
            os._exit(17)
        return self.plan(context, unit, time_limit)


@dataclass(frozen=True)
class Record:
    """Leaves a file named after each process that plans, one unit a line, in `folder`."""

    folder: str
    plan: object = unit_module.plan_unit

    def __call__(self, context, unit, time_limit):
        with open(os.path.join(self.folder, str(os.getpid())), "a", encoding="utf-8") as handle:
            handle.write(unit.id + "\n")
        return self.plan(context, unit, time_limit)


def echo(context, unit):
    """Work for the executors that needs no planning: what it was given."""
    return context, unit


@dataclass(frozen=True)
class FailsInWorkers:
    """Raises in every process but the driver; gives back the unit in the driver."""

    driver: int = field(default_factory=os.getpid)

    def __call__(self, context, unit):
        if os.getpid() != self.driver:
            raise RuntimeError(f"{unit} failed in a worker")
        return unit


def cli() -> None:
    """`python -c "import faults; faults.cli()" FOLDER ARGS...`: the planner's command with
    each planning process recorded in FOLDER (Record)."""
    week.plan_unit = Record(sys.argv[1])
    from planner.cli import main

    main(sys.argv[2:], prog_name="planner")


def command(folder: Path, *args: str) -> list[str]:
    """The command line of `cli`, to run with `environment()`."""
    return [sys.executable, "-c", "import faults; faults.cli()", str(folder), *args]


def environment() -> dict[str, str]:
    """This process's environment with the tests folder importable."""
    paths = [TESTS, *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
