"""Issue 17: a usage error has its own exit code (64), not 2, which means an infeasible week."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_plan_command import _workspace

from planner.cli import EXIT_INFEASIBLE, EXIT_USAGE, main

REPO = Path(__file__).resolve().parents[1]


def test_a_missing_week_is_a_usage_error(tmp_path: Path, runner) -> None:
    ws = _workspace(tmp_path)
    result = runner.invoke(main, ["plan", str(ws)])
    assert result.exit_code == EXIT_USAGE == 64
    assert "--week is required" in result.output
    assert not (ws / "outputs").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["plan", "--week"],  # an option without its value
        ["plan", "--weeks", "2026-11-23"],  # an unknown option
        ["plan", "--time-limit", "soon"],  # a malformed value
        ["no-such-command"],
        ["--no-such-flag", "check"],  # the group's own options
    ],
)
def test_every_usage_error_exits_64(runner, args: list[str]) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == EXIT_USAGE, result.output
    assert result.exit_code != EXIT_INFEASIBLE
    assert "Error: " in result.output


def test_the_usage_code_is_documented_in_plan_help_and_readme(runner) -> None:
    help_text = runner.invoke(main, ["plan", "--help"]).output
    assert re.search(r"64\s+usage\s+error", help_text), help_text
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^\| 64 \| usage error", readme, re.MULTILINE)
