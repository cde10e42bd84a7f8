"""Where independent units of work run: a local process pool or a Ray cluster.

`map(function, units, context)` calls `function(context, unit)` for every unit and
yields each unit with what it returned, as the units finish: the caller keys the
results by unit, so what it makes of them does not depend on the executor or on the
number of workers. (Yielding in the units' order would hold every finished result
behind a slow one.) The shared context travels to each worker once (a pool
initializer, or Ray's object store); each unit's own inputs are read (`load`) only when
its batch is dispatched, and at most AHEAD batches per worker are dispatched and
unfinished at once, so the driver holds a bounded part of the work however many units
there are. A unit whose function raises is tried once more, in the driver, then
yielded as Failed; a lost worker process is replaced and its units run again; every
worker is replaced after TASKS_PER_WORKER batches, so its memory stays bounded however
long the run. Ctrl-C is the driver's alone: local workers ignore it, and the driver
stops them and leaves (a worker's own KeyboardInterrupt would print a traceback per
process).
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from planner.errors import Finding, PlannerError

U = TypeVar("U")
C = TypeVar("C")
R = TypeVar("R")
# What the outputs depend on, passed on to Ray's workers (a running cluster's workers do
# not see this process's environment): SOURCE_DATE_EPOCH sets the calendars' DTSTAMP.
PASSED_ON = ("SOURCE_DATE_EPOCH",)
# A worker process is replaced after this many batches (each one operator's week, a few
# seconds): what a long run leaves behind in a process (the allocator's fragments, the
# solver's caches) cannot grow without bound. Locally the pool is rebuilt after each
# round of workers x 64 batches, which idles a core for at most the last batch of a
# round: well under 1% of a round's minutes.
TASKS_PER_WORKER = 64
# Batches in flight per worker: one running, one queued so no worker waits for the driver.
AHEAD = 2
# A round's pool is rebuilt at most this many times when a worker dies.
POOLS_PER_ROUND = 3
_CONTEXT: Any = None


@dataclass(frozen=True)
class Failed:
    """A unit whose function raised (in its worker, then again in the driver: `retried`),
    or whose worker kept dying."""

    message: str
    retried: bool = False


@dataclass
class _Sent(Generic[U]):
    """A dispatched batch: the units as given, and as sent (loaded)."""

    units: list[U]
    loaded: list[U]


def _install_context(context: Any) -> None:
    """The shared context, once per worker process."""
    global _CONTEXT
    _CONTEXT = context


def _local_worker(context: Any) -> None:
    """Pool initializer. A local worker ignores Ctrl-C (it was forked with it blocked, see
    _ctrl_c_blocked): the driver stops the pool. (Ray's workers are Ray's to stop.)"""
    _install_context(context)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextlib.contextmanager
def _ctrl_c_blocked() -> Iterator[None]:
    """Worker processes forked meanwhile (a pool forks on submit) start with Ctrl-C blocked
    until their initializer ignores it; the driver's own Ctrl-C arrives right after."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Ctrl-C: drop the queued batches and end the workers now, not after their batches.
    (ProcessPoolExecutor has no public way to end its workers before Python 3.14.) A
    worker ended while sending its result leaves half a message in the result pipe, on
    which the pool's manager thread would wait for ever, and the interpreter for it at
    exit: closing the pipe's sending end, held here too, ends that wait."""
    results = getattr(pool, "_result_queue", None)
    terminate = getattr(pool, "terminate_workers", None)
    if terminate is not None:
        terminate()
    else:
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(timeout=10)
    writer = getattr(results, "_writer", None)
    if writer is not None:
        writer.close()


def attempt(function: Callable[[C, U], R], context: C, unit: U) -> R | Failed:
    """The function's result for one unit; if it raises, Failed with the exception named,
    and the other units go on."""
    try:
        return function(context, unit)
    except Exception as exc:
        return Failed(f"{type(exc).__name__}: {exc}")


def run_batch(function: Callable[[Any, U], R], batch: list[U]) -> list[R | Failed]:
    """A batch in a worker, with the context its process was given."""
    return [attempt(function, _CONTEXT, unit) for unit in batch]


def settle(function, context, sent: _Sent, values: list) -> Iterator[tuple[Any, Any]]:
    """Each unit of a batch with its value; a unit that failed in its worker is tried once
    more here, in the driver."""
    for unit, loaded, value in zip(sent.units, sent.loaded, values, strict=True):
        if isinstance(value, Failed):
            value = attempt(function, context, loaded)
            if isinstance(value, Failed):
                value = Failed(value.message, retried=True)
        yield unit, value


def _one(unit: Any) -> int:
    return 1


def _as_is(unit: U) -> U:
    return unit


def batches(units: list[U], workers: int, size: Callable[[U], int] = _one, most: int = 20):
    """Units grouped so each task carries enough work to be worth shipping (at most `most`
    by `size`: one operator of 20 groups is seconds of work, far more than a task's
    overhead), yet there are a few tasks per worker to balance the load."""
    total = sum(size(u) for u in units)
    per_batch = max(1, min(most, total // max(1, workers * 4)))
    out: list[list[U]] = []
    current: list[U] = []
    filled = 0
    for unit in units:
        current.append(unit)
        filled += size(unit)
        if filled >= per_batch:
            out.append(current)
            current, filled = [], 0
    if current:
        out.append(current)
    return out


def _failed_batch(exc: BaseException, sent: _Sent) -> list[Failed]:
    return [Failed(f"{type(exc).__name__}: {exc}")] * len(sent.loaded)


class Executor:
    """Maps a function over units on some workers (LocalExecutor, RayExecutor)."""

    workers: int

    def map(
        self,
        function: Callable[[C, U], R],
        units: list[U],
        context: C,
        load: Callable[[U], U] = _as_is,
        size: Callable[[U], int] = _one,
    ) -> Iterator[tuple[U, R | Failed]]:
        """Each unit with `function(context, unit)` (or Failed), as they finish. `function`
        must be picklable (a module's function, or a partial of one); `load` gives a unit
        its own inputs just before it is dispatched; `size` weighs a unit for batching."""
        return self._run(function, batches(units, self.workers, size), context, load)

    def _run(self, function, work: list[list], context, load) -> Iterator[tuple[Any, Any]]:
        raise NotImplementedError


class LocalExecutor(Executor):
    """A process pool over the local cores (or in-process with one worker)."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1

    def _run(self, function, work: list[list], context, load) -> Iterator[tuple[Any, Any]]:
        if self.workers <= 1 or len(work) <= 1:
            for unit in (unit for batch in work for unit in batch):
                loaded = load(unit)
                value = attempt(function, context, loaded)
                yield from settle(function, context, _Sent([unit], [loaded]), [value])
            return
        # Fresh worker processes every TASKS_PER_WORKER batches each: a new pool per round.
        # (The pool's own max_tasks_per_child deadlocks on Python 3.11-3.13 once a worker
        # retires with tasks still queued: CPython gh-115634.)
        per_round = self.workers * TASKS_PER_WORKER
        for first in range(0, len(work), per_round):
            pending = work[first : first + per_round]
            for _ in range(POOLS_PER_ROUND):  # a broken pool (a killed worker) is rebuilt
                if pending:
                    pending = yield from self._pool_round(function, pending, context, load)
            for unit in (unit for batch in pending for unit in batch):
                yield unit, Failed("its worker kept dying")

    def _pool_round(self, function, work: list[list], context, load):
        """Run batches, AHEAD per worker in flight; return those lost with a dead worker."""
        queue = iter(work)
        workers = min(self.workers, len(work))
        with ProcessPoolExecutor(
            max_workers=workers, initializer=_local_worker, initargs=(context,)
        ) as pool:
            futures: dict[Future, _Sent] = {}
            try:
                lost = _submit(pool, function, queue, load, futures, workers * AHEAD)
                while futures:
                    done, _ = wait(futures, return_when=FIRST_COMPLETED)
                    for future in done:
                        sent = futures.pop(future)
                        try:
                            values = future.result()
                        except BrokenProcessPool:
                            lost.append(sent.units)
                            continue
                        except Exception as exc:  # the whole batch raised: retry its units
                            values = _failed_batch(exc, sent)
                        yield from settle(function, context, sent, values)
                    lost += _submit(pool, function, queue, load, futures, workers * AHEAD)
            except BaseException:  # Ctrl-C, or the caller stopped listening
                _stop(pool)
                raise
        return lost


def _submit(pool, function, queue: Iterator[list], load, futures: dict, most: int):
    """Batches dispatched, each unit loaded just before, until `most` are in flight;
    returns the batches a broken pool refused."""
    for batch in _take(queue, most - len(futures)):
        sent = _Sent(batch, [load(unit) for unit in batch])
        try:
            with _ctrl_c_blocked():
                future = pool.submit(run_batch, function, sent.loaded)
        except BrokenProcessPool:
            return [batch, *queue]
        futures[future] = sent
    return []


def _ray_task(function, batch: list, context, passed: dict[str, str]) -> list:
    """A batch in a Ray worker, in the environment the driver passed on."""
    for name in PASSED_ON:
        os.environ.pop(name, None)
    os.environ.update(passed)
    _install_context(context)
    return run_batch(function, batch)


class RayExecutor(Executor):
    """Batches as Ray tasks; the shared context goes into the object store once."""

    def __init__(self, address: str | None = None, workers: int | None = None):
        self.ray = _ray()
        if not self.ray.is_initialized():
            _join(self.ray, address, workers)
        self.workers = workers or int(self.ray.cluster_resources().get("CPU", 1))

    def _run(self, function, work: list[list], context, load) -> Iterator[tuple[Any, Any]]:
        """A task whose worker was lost is rerun by Ray (max_retries)."""
        ray = self.ray
        context_ref = ray.put(context)
        passed = {k: v for k, v in os.environ.items() if k in PASSED_ON}
        task = ray.remote(max_retries=3, retry_exceptions=False, max_calls=TASKS_PER_WORKER)(
            _ray_task
        )
        queue = iter(work)
        refs: dict[Any, _Sent] = {}

        def dispatch() -> None:
            for batch in _take(queue, self.workers * AHEAD - len(refs)):
                sent = _Sent(batch, [load(unit) for unit in batch])
                refs[task.remote(function, sent.loaded, context_ref, passed)] = sent

        dispatch()
        while refs:
            done, _ = ray.wait(list(refs), num_returns=1)
            for ref in done:
                sent = refs.pop(ref)
                try:
                    values = ray.get(ref)
                except Exception as exc:  # the task failed for good: retry its units here
                    values = _failed_batch(exc, sent)
                yield from settle(function, context, sent, values)
            dispatch()


def _take(queue: Iterator[list], count: int) -> Iterable[list]:
    """Up to `count` batches, each taken from the queue only when the caller asks."""
    for _ in range(count):
        batch = next(queue, None)
        if batch is None:
            return
        yield batch


def _ray():
    """The ray module; not installed is the user's setup, not our crash."""
    try:
        import ray
    except ImportError as exc:  # an optional extra
        raise PlannerError(
            Finding(
                "--executor ray",
                0,
                "Ray is not installed",
                'pip install "community-planner[ray]", or --executor local',
            )
        ) from exc
    return ray


def _join(ray, address: str | None, workers: int | None) -> None:
    """Join the cluster at `address`, or start a local Ray of `workers` CPUs."""
    if not address:
        ray.init(num_cpus=workers or os.cpu_count() or 1, log_to_driver=False)
        return
    try:
        ray.init(address=address, log_to_driver=False)
    except ConnectionError as exc:
        raise PlannerError(
            Finding(
                f"--ray-address {address}",
                0,
                f"cannot join the Ray cluster: {exc}",
                "a running cluster (`ray start --head`), or no --ray-address for a local Ray",
            )
        ) from exc


def executor(name: str, workers: int | None, address: str | None = None) -> Executor:
    if name == "ray":
        return RayExecutor(address, workers)
    return LocalExecutor(workers)
