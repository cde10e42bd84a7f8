"""Executors: the same plan on every executor; crashes and lost workers never lose the run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import faults
import pytest
from tiny import build, group, items_of

from planner.cli import main
from planner.run import executors, week

ITEMS = items_of(
    ("ck", "checkin", {"repeat": "daily", "window": "07:00-09:00"}),
    ("q", "quiz", {"repeat": "daily", "window": "19:30-22:00"}),
    *[(f"a{n}", "article", {"repeat": "daily", "value": 3 + n}) for n in range(4)],
)


def _workspace(root: Path, groups: int, operators: int) -> Path:
    build(
        root,
        [
            group(f"g{n:02d}", gtype="fan", stage="activation", operator=f"op{n % operators}")
            for n in range(groups)
        ],
        ITEMS,
    )
    return root


def _files(week: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(week)): p.read_bytes() for p in sorted(week.rglob("*")) if p.is_file()
    }


def _plan(runner, ws: Path, out: Path, *extra: str):
    return runner.invoke(main, ["plan", str(ws), "--week", "2026-11-23", "--out", str(out), *extra])


def test_a_crashing_problem_is_reported_and_the_rest_written(tmp_path, runner, monkeypatch):
    ws = _workspace(tmp_path / "ws", groups=6, operators=3)
    monkeypatch.setattr(week, "plan_unit", faults.Crash("op1"))
    result = _plan(runner, ws, tmp_path / "out", "--workers", "2")
    assert result.exit_code == 3, result.output
    crash = "not planned: op1 (groups g01, g04): RuntimeError: injected crash in problem op1"
    assert crash + " (retried once)" in result.stderr
    folder = tmp_path / "out" / "2026-W48"
    assert "## Not planned" in (folder / "report.md").read_text("utf-8")
    assert "```post" in (folder / "scripts" / "g00.md").read_text("utf-8")  # op0 planned
    assert "```post" not in (folder / "scripts" / "g01.md").read_text("utf-8")


def test_a_unit_that_raises_in_its_worker_is_tried_once_more_in_the_driver():
    units = [f"u{n}" for n in range(8)]
    results = executors.LocalExecutor(2).map(faults.FailsInWorkers(), units, "context")
    assert dict(results) == {unit: unit for unit in units}


def test_a_killed_worker_does_not_lose_the_run(tmp_path, runner, monkeypatch):
    ws = _workspace(tmp_path / "ws", groups=6, operators=3)
    assert _plan(runner, ws, tmp_path / "calm", "--workers", "1").exit_code == 0
    monkeypatch.setattr(week, "plan_unit", faults.KillOnce("op2", str(tmp_path / "killed")))
    result = _plan(runner, ws, tmp_path / "out", "--workers", "2")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "killed").exists()  # a worker really died
    assert _files(tmp_path / "out" / "2026-W48") == _files(tmp_path / "calm" / "2026-W48")


def test_ray_not_installed_is_a_setup_error_not_a_crash(tmp_path, runner, monkeypatch):
    ws = _workspace(tmp_path / "ws", groups=2, operators=1)
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` fails as without the extra
    result = _plan(runner, ws, tmp_path / "out", "--executor", "ray")
    assert result.exit_code == 1, result.output
    assert "--executor ray: Ray is not installed; pip install" in result.stderr
    assert "internal error" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_no_ray_cluster_at_the_address_is_a_setup_error(tmp_path, runner):
    import ray

    assert not ray.is_initialized()  # runs before the module's local Ray starts
    ws = _workspace(tmp_path / "ws", groups=2, operators=1)
    result = _plan(runner, ws, tmp_path / "out", "--executor", "ray", "--ray-address", "auto")
    assert result.exit_code == 1, result.output
    assert "--ray-address auto: cannot join the Ray cluster" in result.stderr
    assert "internal error" not in result.stderr


@pytest.fixture(scope="module")
def ray_local():
    import ray

    # its workers import the tests' faults module, as forked local workers can
    environment = {"PYTHONPATH": faults.environment()["PYTHONPATH"]}
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={"env_vars": environment},
    )
    yield ray
    ray.shutdown()


def test_ray_and_local_give_identical_outputs(tmp_path, runner, ray_local):
    ws = _workspace(tmp_path / "ws", groups=50, operators=5)
    local = _plan(runner, ws, tmp_path / "local", "--workers", "2")
    assert local.exit_code == 0, local.output
    remote = _plan(runner, ws, tmp_path / "ray", "--executor", "ray")
    assert remote.exit_code == 0, remote.output
    assert _files(tmp_path / "ray" / "2026-W48") == _files(tmp_path / "local" / "2026-W48")
    # the next week reads each group's past from its week folder: the same on both
    for out, extra in (("local", ["--workers", "2"]), ("ray", ["--executor", "ray"])):
        args = ["plan", str(ws), "--week", "2026-11-30", "--out", str(tmp_path / out), *extra]
        assert runner.invoke(main, args).exit_code == 0
    following = _files(tmp_path / "ray" / "2026-W49")
    assert following == _files(tmp_path / "local" / "2026-W49")
    assert b'"streak":8' in following["plans/g00.json"]  # the check-ins went on


def test_ray_and_local_give_identical_outputs_for_crowded_operators(tmp_path, runner, ray_local):
    """Operators of eleven alike groups whose capacity binds, planned by the coupled steps
    (re-timing, group by group, the whole operator model): the same week on both executors,
    proven against a bound that knows the operator (the groups' own are 60% above it)."""
    crowded = {"max_posts": 2, "window_minutes": 60, "max_posts_per_day": 14}
    groups = [group(f"g{n:02d}", operator=f"op{n % 2}") for n in range(2 * 11)]
    articles = items_of(
        *[(f"a{n}", "article", {"repeat": "daily", "value": 5 + n}) for n in range(6)]
    )
    no_required = {"stages": {"stages": {"retention": {"required": []}}}}
    build(
        tmp_path / "ws",
        groups,
        articles,
        no_required,
        {"operators": {"op0": crowded, "op1": crowded}},
    )
    local = _plan(runner, tmp_path / "ws", tmp_path / "local", "--workers", "2")
    assert local.exit_code == 0, local.output
    remote = _plan(runner, tmp_path / "ws", tmp_path / "ray", "--executor", "ray")
    assert remote.exit_code == 0, remote.output
    files = _files(tmp_path / "ray" / "2026-W48")
    assert files == _files(tmp_path / "local" / "2026-W48")
    problems = json.loads(files["plan.json"])["problems"]
    assert len(problems) == 2, problems
    assert all(p["best_bound"] <= 1.1 * p["objective"] for p in problems), problems


def test_ray_survives_a_lost_worker(tmp_path, runner, ray_local, monkeypatch):
    ws = _workspace(tmp_path / "ws", groups=10, operators=2)
    calm = _plan(runner, ws, tmp_path / "calm", "--workers", "1")
    assert calm.exit_code == 0, calm.output
    marker = tmp_path / "killed"
    monkeypatch.setattr(week, "plan_unit", faults.KillOnce("op1", str(marker)))
    result = _plan(runner, ws, tmp_path / "ray", "--executor", "ray")
    assert result.exit_code == 0, result.output
    assert marker.exists()
    assert _files(tmp_path / "ray" / "2026-W48") == _files(tmp_path / "calm" / "2026-W48")


def test_workers_replaced_after_each_batch_give_the_same_week(tmp_path, runner, monkeypatch):
    """Worker memory stays bounded: the pool's processes are replaced after
    TASKS_PER_WORKER batches each (here 1: a new pool for every 2 operators on 2 workers),
    and the week is the same."""
    from concurrent.futures import ProcessPoolExecutor

    pools: list[int] = []

    class Recorded(ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(kwargs["max_workers"])
            super().__init__(*args, **kwargs)

    ws = _workspace(tmp_path / "ws", groups=10, operators=5)
    assert _plan(runner, ws, tmp_path / "calm", "--workers", "1").exit_code == 0
    monkeypatch.setattr(executors, "TASKS_PER_WORKER", 1)
    monkeypatch.setattr(executors, "ProcessPoolExecutor", Recorded)
    result = _plan(runner, ws, tmp_path / "out", "--workers", "2")
    assert result.exit_code == 0, result.output
    assert pools == [2, 2, 1]  # 5 operators, one batch each: rounds of 2, 2 and 1
    assert _files(tmp_path / "out" / "2026-W48") == _files(tmp_path / "calm" / "2026-W48")


def _read_ahead(executor) -> tuple[int, int, int]:
    """Map over 24 units; how many units' inputs the driver held at most (read for
    dispatch, result not yet back), the largest batch, and the units."""
    units = [f"u{n:02d}" for n in range(24)]
    held: set[str] = set()
    peak = 0

    def load(unit: str) -> str:
        nonlocal peak
        held.add(unit)
        peak = max(peak, len(held))
        return unit

    done = []
    for unit, value in executor.map(faults.echo, units, "context", load=load):
        assert value == ("context", unit)
        held.discard(unit)
        done.append(unit)
    assert sorted(done) == units
    return peak, max(len(b) for b in executors.batches(units, 2)), len(units)


def test_the_local_pool_reads_only_a_few_batches_past_ahead():
    """The driver reads a unit's inputs (for the planner: its past, the earlier weeks'
    files) when its batch is dispatched, at most AHEAD batches per worker before their
    results are back: never the whole week's history at once."""
    peak, batch, units = _read_ahead(executors.LocalExecutor(2))
    assert peak <= 2 * executors.AHEAD * batch < units


def test_ray_reads_only_a_few_batches_past_ahead(ray_local):
    peak, batch, units = _read_ahead(executors.RayExecutor(workers=2))
    assert peak <= 2 * executors.AHEAD * batch < units


def test_ray_replaces_its_workers_after_their_batches(tmp_path, runner, ray_local, monkeypatch):
    """Ray's worker processes are retired after TASKS_PER_WORKER batches (max_calls): at 1,
    every batch gets a fresh process; by default processes plan batch after batch; the
    week is the same either way."""
    ws = _workspace(tmp_path / "ws", groups=6, operators=6)
    processes = {}
    default = executors.TASKS_PER_WORKER
    for calls in (default, 1):
        seen = tmp_path / f"seen-{calls}"
        seen.mkdir()
        monkeypatch.setattr(executors, "TASKS_PER_WORKER", calls)
        monkeypatch.setattr(week, "plan_unit", faults.Record(str(seen)))
        result = _plan(runner, ws, tmp_path / f"out-{calls}", "--executor", "ray")
        assert result.exit_code == 0, result.output
        processes[calls] = [f.read_text("utf-8").split() for f in seen.iterdir()]
    assert sorted(len(planned) for planned in processes[1]) == [1] * 6  # one batch each
    assert len(processes[default]) < 6  # by default a process plans batch after batch
    assert _files(tmp_path / "out-1" / "2026-W48") == _files(
        tmp_path / f"out-{default}" / "2026-W48"
    )


def _interrupted(args: list[str], seen: Path, out: Path, whole_group: bool):
    """`planner ARGS` with each planning process recorded in SEEN, sent SIGINT once the
    first operator's files are staged (the run is under way); the process, its stderr."""
    run = subprocess.Popen(
        faults.command(seen, *args),
        env=faults.environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while run.poll() is None and time.monotonic() < deadline:
        if any(out.glob(".2026-W48-*/week/operators/*.md")):
            break
        time.sleep(0.01)
    assert run.poll() is None, "the run ended before it could be interrupted"
    if whole_group:
        os.killpg(run.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    else:
        os.kill(run.pid, signal.SIGINT)
    return run, run.communicate(timeout=120)[1]


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            os.kill(pid, 0)
            alive.append(pid)
        except ProcessLookupError:
            pass
    return alive


@pytest.mark.parametrize(
    ("workers", "whole_group"),
    [(2, True), (2, False), (1, True)],
    ids=["terminal", "driver-only", "one-process"],
)
def test_ctrl_c_mid_run_stops_every_process_and_keeps_the_last_week(
    tmp_path, workers, whole_group
) -> None:
    """Ctrl-C in a terminal reaches the planner and its workers alike (one process group);
    `kill -INT` reaches the planner only; with one worker the planner solves in its own
    process, mostly inside CP-SAT. Each way the run stops with exit status 130 and says so,
    without a traceback, before the week is planned; no worker is left running, no staging
    folder is left behind, and the week published before is untouched."""
    ws = _workspace(tmp_path / "ws", groups=60, operators=30)
    out = tmp_path / "out"
    args = ["plan", str(ws), "--week", "2026-11-23", "--out", str(out), "--workers", str(workers)]
    first = subprocess.run(
        [sys.executable, "-m", "planner.cli", *args], capture_output=True, text=True, timeout=600
    )
    assert first.returncode == 0, first.stderr
    before = _files(out / "2026-W48")
    (ws / "content_library" / "article" / "a3.md").unlink()  # the next week would differ

    seen = tmp_path / "workers"
    seen.mkdir()
    run, stderr = _interrupted(args, seen, out, whole_group)
    assert run.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr, stderr
    assert _files(out / "2026-W48") == before
    assert sorted(p.name for p in out.iterdir()) == ["2026-W48"]  # no staging left
    planned = [line for p in seen.iterdir() for line in p.read_text("utf-8").split()]
    assert len(planned) < 30, "every operator was planned: the interrupt came too late"
    time.sleep(1)
    pids = [int(p.name) for p in seen.iterdir()]
    assert not _alive(pids), f"workers still running after Ctrl-C: {_alive(pids)}"
    assert workers == 1 or set(pids) - {run.pid}, "no worker process planned anything"
