"""Fuzzing what a run reads back from its output folder (issue 23): the manifest
(.planner-files.json) and the history (plans/<group>.json, this week's and the week
before). Whatever they hold, a run ends with a documented exit code (0, or 1 with a
message naming the file), never 3, and writes nothing outside the output folder."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tiny import build, group, items_of

from planner.cli import main

ITEMS = items_of(
    ("ck", "checkin", {"repeat": "daily", "window": "07:00-09:00"}),
    *[(f"a{n}", "article", {"repeat": "daily", "value": 3 + n}) for n in range(3)],
)
WEEKS = {"2026-W47": "2026-11-16", "2026-W48": "2026-11-23"}
# what a planted file may name: outside the week, the output folder, the machine
PATHS = [
    "../victim.txt",
    "../../victim.txt",
    "{victim}",
    "plans/../../../victim.txt",
    "/etc/passwd",
    "",
    ".",
    "..",
    "plans",
    "calendar.ics",
    "scripts/tea.md",
    "a\\..\\..\\victim.txt",
    "C:/victim.txt",
    "x\x00y",
    "\u2028",
    "../../../x",
    "tea",
    "TEA",
]
NAMES = st.one_of(st.sampled_from(PATHS), st.text(max_size=12))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | NAMES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(NAMES, inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A workspace with two weeks planned into root/out; each example works on a copy."""
    root = tmp_path_factory.mktemp("fuzz-history")
    build(root / "ws", [group("tea"), group("yoga", operator="op2")], ITEMS)
    for day in WEEKS.values():
        result = _plan(root, day)
        assert result.exit_code == 0, result.output
    return root


def _plan(root: Path, day: str):
    from click.testing import CliRunner

    args = ["plan", str(root / "ws"), "--week", day, "--out", str(root / "out"), "--workers", "1"]
    return CliRunner().invoke(main, args)


@st.composite
def mutations(draw) -> list[tuple[str, bytes]]:
    """Some files of the output folder, each given new bytes."""
    files = []
    for _ in range(draw(st.integers(1, 3))):
        week = draw(st.sampled_from(sorted(WEEKS)))
        name = draw(st.sampled_from([".planner-files.json", "plans/tea.json", "plans/ghost.json"]))
        files.append((f"{week}/{name}", draw(_content(name))))
    return files


def _content(name: str):
    def dumped(doc) -> bytes:
        return json.dumps(doc).encode()

    raw = st.binary(max_size=64)
    as_json = JSON.map(lambda value: json.dumps(value).encode())
    if name.endswith("files.json"):
        return st.one_of(raw, as_json, st.lists(NAMES, max_size=6).map(dumped))
    posts = st.lists(st.fixed_dictionaries({"group": NAMES}), max_size=2)
    planted = st.fixed_dictionaries({"group": NAMES, "week": NAMES, "posts": posts})
    return st.one_of(raw, as_json, planted.map(dumped))


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and "out" not in p.relative_to(root).parts[:1]
    }


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=mutations())
def test_damaged_manifests_and_history_never_crash_or_reach_outside(published, files) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        shutil.copytree(published, root, dirs_exist_ok=True)
        (root / "victim.txt").write_text("not the planner's", "utf-8")
        for name, data in files:
            path = root / "out" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.replace(b"{victim}", str(root / "victim.txt").encode()))
        before = _snapshot(root)
        result = _plan(root, WEEKS["2026-W48"])
        assert result.exit_code in (0, 1), result.output
        if result.exit_code == 1:
            assert "/out/2026-W4" in result.stderr and "Traceback" not in result.stderr
        assert _snapshot(root) == before  # nothing outside the output folder changed
        assert sorted(p.name for p in (root / "out").iterdir()) == sorted(WEEKS)
