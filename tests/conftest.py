"""Shared fixtures: the demo workspace, a scratch copy of it, and a CLI runner."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.workspace.resources import demo_workspace

# Ray finds a cluster for `--ray-address auto` under the temp dir: a private one keeps
# these tests from joining a Ray that another process on the machine runs (and being
# stopped by it). Set before Ray is imported; removed when the session ends.
PRIVATE_TMP = tempfile.mkdtemp(prefix="planner-tests-")
os.environ["TMPDIR"] = PRIVATE_TMP


def pytest_sessionfinish(session, exitstatus) -> None:
    shutil.rmtree(PRIVATE_TMP, ignore_errors=True)


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A writable copy of the demo workspace."""
    target = tmp_path / "demo"
    shutil.copytree(demo_workspace(), target)
    return target


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in text:
            return number
    raise AssertionError(f"{needle!r} not in {path}")
