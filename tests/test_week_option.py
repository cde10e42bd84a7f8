"""Issue 17: `--week this` / `--week next`, from a clock only the CLI reads."""

from __future__ import annotations

import ast
import json
from datetime import date
from pathlib import Path

import pytest
from test_plan_command import _workspace

import planner.cli
from planner.cli import EXIT_USAGE, main

PLANNER = Path(__file__).resolve().parents[1] / "planner"


def _clock(monkeypatch, day: date) -> list:
    """Fix the CLI's today; return the time zones it was asked for."""
    zones: list = []

    def fixed(zone):
        zones.append(str(zone))
        return day

    monkeypatch.setattr(planner.cli, "today", fixed)
    return zones


@pytest.mark.parametrize(
    ("today", "word", "monday"),
    [
        (date(2026, 11, 25), "this", "2026-11-23"),
        (date(2026, 11, 25), "next", "2026-11-30"),
        (date(2026, 11, 29), "this", "2026-11-23"),  # Sunday still belongs to its week
        (date(2026, 12, 28), "next", "2027-01-04"),  # across the year
    ],
)
def test_this_and_next_week_count_from_today(
    tmp_path: Path, runner, monkeypatch, today: date, word: str, monday: str
) -> None:
    zones = _clock(monkeypatch, today)
    ws = _workspace(tmp_path)
    result = runner.invoke(main, ["plan", str(ws), "--week", word, "--time-limit", "2"])
    assert result.exit_code == 0, result.output
    assert f"({monday}): " in result.output
    assert zones == ["Asia/Shanghai"]  # the workspace's zone, not the machine's
    [folder] = (ws / "outputs").iterdir()
    assert json.loads((folder / "plan.json").read_text("utf-8"))["week_start"] == monday


def test_an_iso_date_does_not_read_the_clock(tmp_path: Path, runner, monkeypatch) -> None:
    zones = _clock(monkeypatch, date(2030, 1, 1))
    ws = _workspace(tmp_path)
    result = runner.invoke(main, ["plan", str(ws), "--week", "2026-11-26", "--time-limit", "2"])
    assert result.exit_code == 0, result.output
    assert "(2026-11-23): " in result.output and zones == []


@pytest.mark.parametrize(
    ("given", "monday"), [("2026-W48", "2026-11-23"), ("2027w1", "2027-01-04")]
)
def test_an_iso_week_names_its_monday(tmp_path: Path, runner, given: str, monday: str) -> None:
    """The name the output folders carry (outputs/2026-W48) is a week too."""
    ws = _workspace(tmp_path)
    result = runner.invoke(main, ["plan", str(ws), "--week", given, "--time-limit", "2"])
    assert result.exit_code == 0, result.output
    assert f"({monday}): " in result.output


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("soon", "'soon' is not a week"),
        ("2026-11-31", "'2026-11-31' does not exist"),
        ("2026-W54", "'2026-W54' does not exist"),
    ],
)
def test_a_week_that_is_not_one_is_a_usage_error(tmp_path: Path, runner, given, said) -> None:
    ws = _workspace(tmp_path)
    result = runner.invoke(main, ["plan", str(ws), "--week", given])
    assert result.exit_code == EXIT_USAGE
    assert said in result.output and "'this' or 'next'" in result.output


def test_only_the_cli_reads_the_clock() -> None:
    """The core gets time as input (STYLE.md): no now() / today() outside planner/cli.py."""
    calls = []
    for path in sorted(PLANNER.rglob("*.py")):
        if path.name == "cli.py" and path.parent == PLANNER:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            func = getattr(node, "func", None)
            if isinstance(func, ast.Attribute) and func.attr in ("now", "today", "utcnow"):
                calls.append(f"{path.relative_to(PLANNER)}:{node.lineno}")
    assert calls == []
