"""The CLI: help with examples, exit codes, one-line messages, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import planner.workspace.check
from planner.cli import main

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help_with_an_example(runner, command: str) -> None:
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and f"planner {command}" in result.output


def test_missing_workspace_is_bad_input(runner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["check", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "workspace folder not found" in result.stderr
    assert "Traceback" not in result.output


def test_empty_folder_names_both_missing_files(runner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'planner.yaml'}: missing planner.yaml" in result.stderr
    assert f"{tmp_path / 'groups.yaml'}: missing groups.yaml" in result.stderr


def test_internal_error_exits_3_without_traceback(
    runner, monkeypatch, demo_copy: Path, tmp_path: Path
) -> None:
    def boom(root):
        raise RuntimeError("kaput")

    monkeypatch.setattr(planner.workspace.check, "check_workspace", boom)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = runner.invoke(main, ["check", str(demo_copy)])
    assert result.exit_code == 3
    assert "internal error: RuntimeError: kaput" in result.stderr
    assert "Traceback" not in result.stderr
    [report] = tmp_path.glob("planner-crash-*.txt")
    assert str(report) in result.stderr and "RuntimeError: kaput" in report.read_text("utf-8")
    result = runner.invoke(main, ["--debug", "check", str(demo_copy)])
    assert result.exit_code == 3 and "Traceback" in result.stderr


def test_override_of_builtin_item_is_noted(runner, demo_copy: Path) -> None:
    from planner.workspace.resources import builtin_library

    builtin = sorted(builtin_library().rglob("*.md"))[0]
    mine = demo_copy / "content_library" / builtin.parent.name / builtin.name
    mine.parent.mkdir(parents=True)
    mine.write_text(builtin.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(main, ["check", str(demo_copy)])
    assert result.exit_code == 0, result.output
    assert f"{mine}:2: note: item '{builtin.stem}' overrides the built-in item" in result.stderr


def test_console_script_runs() -> None:
    """The installed `planner` entry point works as a program, not only under CliRunner."""
    result = subprocess.run(
        [sys.executable, "-m", "planner.cli", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "planner" in result.stdout


def test_code_style() -> None:
    """ruff check and ruff format --check are clean (CI runs this)."""
    if not (REPO / "pyproject.toml").is_file():
        pytest.fail("tests must run from a source checkout")
    for args in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *args], cwd=REPO, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
