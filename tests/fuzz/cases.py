"""One fuzz case: a mutated copy of the base workspace through `planner check`, then (when
check passes) `planner plan`, in this process; and what makes an outcome a bug."""

from __future__ import annotations

import random
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from planner.cli import EXIT_INFEASIBLE, EXIT_INPUT, EXIT_LEFT_OUT, EXIT_OK, EXIT_USAGE, main
from tests.fuzz.base import input_files, write_base
from tests.fuzz.mutate import WEEKS, mutate_workspace

ALLOWED = (EXIT_OK, EXIT_INPUT, EXIT_INFEASIBLE, EXIT_LEFT_OUT, EXIT_USAGE)
_FILE_LINE = re.compile(r"^\S[^\n]*?(:\d+)?: ", re.MULTILINE)


@dataclass
class Outcome:
    command: str
    exit_code: int
    output: str
    seconds: float

    def bug(self) -> str | None:
        """Why this outcome breaks the property, or None: an allowed exit code, no
        traceback, and bad input named as `file:line: ...`."""
        if self.exit_code not in ALLOWED:
            return f"{self.command} exited {self.exit_code}"
        if "Traceback" in self.output:
            return f"{self.command} printed a traceback"
        if self.exit_code == EXIT_INPUT and not _FILE_LINE.search(self.output):
            return f"{self.command} exited 1 without a file:line message"
        return None


def run_case(rng: random.Random, plan: bool = True) -> tuple[list, list]:
    """(what was mutated, outcomes) of one case in a fresh temporary folder: one or two
    mutations, `check`, then `plan` when check passed (plan checks the same way first)."""
    runner = CliRunner()
    with tempfile.TemporaryDirectory(prefix="planner-fuzz-") as folder:
        root = write_base(Path(folder) / "ws")
        done = mutate_workspace(input_files(root), rng, rng.choice([1, 1, 2]))
        week = rng.choice(WEEKS)
        outcomes = [_invoke(runner, "check", [str(root)])]
        if plan and outcomes[0].exit_code == EXIT_OK:
            args = [str(root), "--week", week, "--out", f"{folder}/out"]
            outcomes.append(_invoke(runner, "plan", [*args, "--workers", "1", "--time-limit", "1"]))
        return [*done, f"week {week}"], outcomes


def _invoke(runner: CliRunner, command: str, args: list[str]) -> Outcome:
    started = time.perf_counter()
    result = runner.invoke(main, [command, *args])
    output = result.output + (f"\n{result.exception!r}" if result.exit_code not in ALLOWED else "")
    return Outcome(command, result.exit_code, output, time.perf_counter() - started)
