"""The demo week under outputs/ is exactly what the planner writes: regenerated and compared.

After a deliberate change to the library, rules, demo or writers, regenerate it
from the repository root with `planner plan` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.cli import main

GOLDEN = Path(__file__).resolve().parents[1] / "outputs" / "2026-W48"


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_demo_week_is_the_golden_week(
    tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    result = runner.invoke(main, ["plan", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    fresh = _files(tmp_path / "2026-W48")
    golden = _files(GOLDEN)
    assert sorted(fresh) == sorted(golden), "files differ; regenerate with `planner plan`"
    changed = [name for name in sorted(fresh) if fresh[name] != golden[name]]
    assert not changed, f"regenerate with `planner plan` from the repo root and review: {changed}"
