"""What the explainer tests share: a registry of them by rule, and where a sentence should
say a setting was written, found by searching the file the test wrote (or the built-in
pack), never a line number written in a test."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tiny import items_of

from planner.cli import main
from planner.workspace.resources import builtin_rules

# rule -> the tests that put it in a conflict (tests/test_catalogue.py checks every rule has one)
CONFLICTS: dict[str, list[Callable]] = {}
MONDAY = "group g, Mon 2026-11-23"
WEDNESDAY = "group g, Wed 2026-11-25"
CHECKINS = items_of(
    ("ck1", "checkin", {"repeat": "daily"}), ("ck2", "checkin", {"repeat": "daily"})
)


def conflict(*rules: str) -> Callable[[Callable], Callable]:
    """Register the decorated test as one that puts each of `rules` in a conflict."""

    def register(test: Callable) -> Callable:
        for rule in rules:
            CONFLICTS.setdefault(rule, []).append(test)
        return test

    return register


def line_of(path: Path, *needles: str) -> int:
    """1-based line of the last needle, each found after the one before (comments skipped):
    ("group_types:", "fan:", "per_day:") is fan's per_day, in block or flow style."""
    text = re.sub(r"#[^\n]*", lambda m: " " * len(m.group()), path.read_text("utf-8"))
    position = found = 0
    for needle in needles:
        found = text.find(needle, position)
        assert found >= 0, f"{needle!r} (after {needles}) not in {path}"
        position = found + len(needle)
    return text.count("\n", 0, found) + 1


def cited(path: Path, *needles: str) -> str:
    """How a sentence cites a line of a workspace file."""
    return f"{path}:{line_of(path, *needles)}"


def builtin(name: str, *needles: str) -> str:
    """How a sentence cites a line of a built-in rule pack."""
    return f"built-in rules/{name}:{line_of(builtin_rules() / name, *needles)}"


def source_of(ws: Path, file: str, *needles: str) -> str:
    """`cited` for a file of the workspace, `builtin` for "built-in <pack>"."""
    if file.startswith("built-in "):
        return builtin(file.removeprefix("built-in "), *needles)
    return cited(ws / file, *needles)


def activation_only_on(day: str, next_day: str) -> list[dict]:
    """A group's stages: retention, but activation on `day` alone (only it asks for posts
    when the workspace's retention asks for none)."""
    return [
        {"from": "2026-11-01", "stage": "retention"},
        {"from": day, "stage": "activation"},
        {"from": next_day, "stage": "retention"},
    ]


def requiring(stage: str, *required: dict) -> dict:
    """A workspace rules/stages.yaml in which `stage` requires exactly these posts."""
    return {"stages": {"stages": {stage: {"required": list(required)}}}}


def sentences(runner, root: Path, week: str = "2026-11-23") -> list[str]:
    """`planner plan`, which must fail as infeasible: its sentences, one per conflict."""
    result = runner.invoke(main, ["plan", str(root), "--week", week])
    assert result.exit_code == 2, result.output
    assert "cannot be planned" in result.stderr
    return [line.strip() for line in result.stderr.splitlines() if line.startswith("  ")]


def said(found: list[str], where: str) -> str:
    """The sentence about `where` (a group-day, a group, or an operator)."""
    about = [s for s in found if s.startswith(f"{where}: ")]
    assert about, "\n".join(found)
    return about[0]


def explained(runner, root: Path, where: str, *words: str) -> str:
    """The sentence about `where`, which must hold each of `words`."""
    sentence = said(sentences(runner, root), where)
    for part in words:
        assert part in sentence, f"{part!r} not in:\n{sentence}"
    return sentence
