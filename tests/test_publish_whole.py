"""A week is published whole or not at all (issue 22, item 5): a run killed at any moment
leaves the previous week or the new one, byte for byte, and the next run removes what the
killed one left; only staging folders the planner made, never a user's."""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import sys
import time
from pathlib import Path

from click.testing import CliRunner
from tiny import build, group, items_of

from planner.cli import main
from planner.writers import swap
from planner.writers.output import OutputFolder

ITEMS = items_of(
    ("ck", "checkin", {"repeat": "daily", "window": "07:00-09:00"}),
    *[(f"a{n}", "article", {"repeat": "daily", "value": 3 + n}) for n in range(4)],
)
KILLS = 20


def _workspace(root: Path) -> Path:
    groups = [group("tea"), group("yoga", gtype="fan"), group("run", operator="op2")]
    build(root, groups, ITEMS)
    return root


def _args(ws: Path, out: Path) -> list[str]:
    return ["plan", str(ws), "--week", "2026-11-23", "--out", str(out), "--workers", "1"]


def _plan(ws: Path, out: Path) -> None:
    quiet = os.open(os.devnull, os.O_WRONLY)  # the test's output is not the child's
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (the child's to the end)
    main(_args(ws, out))


def _start(ws: Path, out: Path) -> multiprocessing.Process:
    """`planner plan` in a forked process (the imports are done once, in the test)."""
    process = multiprocessing.get_context("fork").Process(target=_plan, args=(ws, out))
    process.start()
    return process


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _staging(out: Path) -> list[Path]:
    return [p for p in out.iterdir() if p.name.startswith(".2026-W48-")]


def _publishing(out: Path) -> bool:
    """Whether a run has written its manifest into its staging folder (either layout)."""
    try:
        return any(out.glob(".2026-W48-*/**/.planner-files.json"))
    except FileNotFoundError:  # the staging folder went while it was read
        return False


def _kill_in_publish(process: multiprocessing.Process, out: Path, rng: random.Random) -> None:
    """SIGKILL a few milliseconds after the run wrote its manifest: while it switches."""
    while process.is_alive() and not _publishing(out):
        time.sleep(0.0002)
    time.sleep(rng.uniform(0, 0.003))
    process.kill()


def test_a_run_killed_at_any_moment_leaves_a_whole_week(tmp_path: Path) -> None:
    ws, out = _workspace(tmp_path / "ws"), tmp_path / "out"
    week = out / "2026-W48"
    first = CliRunner().invoke(main, _args(ws, out))  # here: the forks find it all imported
    assert first.exit_code == 0, first.output
    (week / "notes.txt").write_text("mine", "utf-8")  # a user's file is part of each week
    previous = _files(week)
    (ws / "content_library" / "article" / "a3.md").unlink()  # the re-plan differs
    reference = tmp_path / "reference"
    shutil.copytree(out, reference)
    started = time.monotonic()
    full = _start(ws, reference)
    full.join()
    took = time.monotonic() - started
    new = _files(reference / "2026-W48")
    assert full.exitcode == 0 and new != previous and new["notes.txt"] == b"mine"

    rng = random.Random(48)
    outcomes = []
    for kill in range(KILLS):
        shutil.rmtree(week)
        _restore(previous, week)
        run = _start(ws, out)
        if kill % 2:
            _kill_in_publish(run, out, rng)
        else:
            time.sleep(rng.uniform(0, took))
            run.kill()
        run.join()
        now = _files(week)
        assert now in (previous, new), f"kill {kill}: a week mixed of two runs"
        outcomes.append(now == new)
    print(f"one run: {took:.2f}s; kills after the switch: {sum(outcomes)}/{KILLS}")
    assert False in outcomes  # some kills came before the switch ...
    shutil.rmtree(week)
    _restore(previous, week)
    last = _start(ws, out)
    last.join()
    assert last.exitcode == 0
    assert _files(week) == new
    assert not _staging(out)  # ... and what they left is gone


def _restore(files: dict[str, bytes], week: Path) -> None:
    for name, data in files.items():
        (week / name).parent.mkdir(parents=True, exist_ok=True)
        (week / name).write_bytes(data)


def _published(target: Path, files: dict[str, str]) -> None:
    with OutputFolder(target) as folder:
        for name, text in files.items():
            folder.add(name, text)
        folder.publish()


def test_only_marked_staging_folders_of_dead_runs_are_removed(tmp_path: Path) -> None:
    week = tmp_path / "2026-W48"
    _published(week, {"a.txt": "old"})
    dead = OutputFolder(week)
    dead.add("a.txt", "never published")  # a run that died: its staging stays behind
    users = tmp_path / ".2026-W48-mine"  # looks like one, but the user made it
    users.mkdir()
    (users / "keep.txt").write_text("mine", "utf-8")
    assert len(swap.leftovers(tmp_path)) == 1
    _published(week, {"a.txt": "new"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [".2026-W48-mine", "2026-W48"]
    assert (users / "keep.txt").read_text("utf-8") == "mine"
    assert (week / "a.txt").read_text("utf-8") == "new"


def test_without_an_atomic_exchange_two_renames_switch_and_a_kill_between_is_undone(
    tmp_path: Path, monkeypatch
) -> None:
    """Where the system cannot exchange two folders, the previous week is renamed aside
    first; a run killed right then leaves no week folder, and the next run puts the
    previous week back before it does anything else."""
    week = tmp_path / "2026-W48"
    _published(week, {"a.txt": "old", "sub/b.txt": "old"})
    monkeypatch.setattr(swap, "exchange", lambda first, second: False)
    _published(week, {"a.txt": "new"})
    assert _files(week) == {".planner-files.json": b'[\n "a.txt"\n]\n', "a.txt": b"new"}

    dying = OutputFolder(week)  # killed between the renames: the previous week is aside
    dying.add("a.txt", "newer")
    week.rename(dying._staged() / swap.ASIDE)
    assert not week.exists() and len(swap.leftovers(tmp_path)) == 1
    with OutputFolder(week):  # the next run
        assert (week / "a.txt").read_text("utf-8") == "new"
    assert not swap.leftovers(tmp_path)


def _hold_lock(out: Path, held, release) -> None:
    from planner.writers.lock import OutputLock

    with OutputLock(out):
        held.set()
        release.wait(60)


def test_a_second_run_on_the_same_output_folder_is_told_and_writes_nothing(
    tmp_path: Path, runner
) -> None:
    ws, out = _workspace(tmp_path / "ws"), tmp_path / "out"
    fork = multiprocessing.get_context("fork")
    held, release = fork.Event(), fork.Event()
    first = fork.Process(target=_hold_lock, args=(out, held, release))
    first.start()
    assert held.wait(60)
    args = ["plan", str(ws), "--week", "2026-11-23", "--out", str(out), "--workers", "1"]
    second = runner.invoke(main, args)
    assert second.exit_code == 1, second.output
    assert f"another `planner plan` (process {first.pid}) is writing" in second.stderr
    assert str(out) in second.stderr and not (out / "2026-W48").exists()
    first.kill()  # dies holding it: its lock file stays, but the lock went with it
    first.join()
    assert (out / ".planner.lock").read_text("utf-8").strip() == str(first.pid)
    third = runner.invoke(main, args)
    assert third.exit_code == 0, third.output
    assert sorted(p.name for p in out.iterdir()) == ["2026-W48"]
