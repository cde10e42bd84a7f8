"""`planner plan`: safe output folder, byte-identical reruns, ortools only in the solver."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tiny import build, group, items_of

from planner.cli import main
from planner.writers.output import MANIFEST, OutputFolder

ITEMS = items_of(
    ("ck", "checkin", {"repeat": "daily", "window": "07:00-09:00"}),
    *[(f"a{n}", "article", {"repeat": "daily", "value": 3 + n}) for n in range(4)],
    ("q", "quiz", {"repeat": "daily", "window": "19:30-22:00"}),
)


def _workspace(tmp_path: Path) -> Path:
    build(tmp_path / "ws", [group("tea"), group("yoga", gtype="fan", stage="activation")], ITEMS)
    return tmp_path / "ws"


def test_plan_writes_and_repeats_byte_for_byte(tmp_path: Path, runner) -> None:
    ws = _workspace(tmp_path)
    result = runner.invoke(main, ["plan", str(ws), "--week", "2026-11-25"])
    assert result.exit_code == 0, result.output
    week = ws / "outputs" / "2026-W48"
    first = {str(p.relative_to(week)): p.read_bytes() for p in week.rglob("*") if p.is_file()}
    assert {"plan.json", "report.md", MANIFEST, "calendar.ics", "index.html"} <= set(first)
    assert {"scripts/tea.md", "groups/yoga.ics", "operators/op.md", "operators/op.ics"} <= set(
        first
    )
    assert "verified: no rule violated" in result.stdout
    again = runner.invoke(main, ["plan", str(ws), "--week", "2026-11-23", "--workers", "1"])
    assert again.exit_code == 0
    assert {
        str(p.relative_to(week)): p.read_bytes() for p in week.rglob("*") if p.is_file()
    } == first


def test_user_files_in_outputs_are_never_touched(tmp_path: Path) -> None:
    target = tmp_path / "outputs" / "2026-W48"
    target.mkdir(parents=True)
    (target / "my-notes.md").write_text("mine", "utf-8")
    folder = OutputFolder(target)
    folder.add("plan.json", "{}")
    folder.add("old.txt", "stale soon")
    folder.publish()
    again = OutputFolder(target)
    again.add("plan.json", "{}\n")
    again.publish()
    assert (target / "my-notes.md").read_text("utf-8") == "mine"
    assert not (target / "old.txt").exists()  # ours, and no longer written: removed
    assert (target / "plan.json").read_text("utf-8") == "{}\n"
    assert not [p for p in tmp_path.joinpath("outputs").iterdir() if p.name.startswith(".")]


def test_week_is_required_for_a_workspace(tmp_path: Path, runner) -> None:
    ws = _workspace(tmp_path)
    result = runner.invoke(main, ["plan", str(ws)])
    assert result.exit_code == 64 and "--week is required" in result.output


def test_bad_input_exits_1_before_planning(tmp_path: Path, runner) -> None:
    ws = _workspace(tmp_path)
    (ws / "planner.yaml").write_text("name: x\nslot_minutes: 7\n", "utf-8")
    result = runner.invoke(main, ["plan", str(ws), "--week", "2026-11-23"])
    assert result.exit_code == 1
    assert "planner.yaml:2: slot_minutes 7 does not divide a day" in result.stderr
    assert not (ws / "outputs").exists()


def test_only_the_solver_imports_ortools() -> None:
    code = (
        "import sys, planner.verify.checker, planner.verify.objective, planner.writers.publish,"
        " planner.solver.problem;"
        "print('ortools' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    source = Path(__file__).resolve().parents[1] / "planner"
    importers = sorted(
        str(p.relative_to(source))
        for p in source.rglob("*.py")
        if re.search(r"^\s*(from|import)\s+ortools", p.read_text("utf-8"), re.M)
    )
    assert all(name.startswith("solver/") for name in importers), importers
