"""Where independent problems are solved: a local process pool or a Ray cluster.

Both take the same batches of units (an operator's id and groups) and give back
the same outcomes, in any order; the planner sorts them, so outputs are
byte-identical whatever the executor and the number of workers. The week's shared
inputs (library, rules, settings; no groups) travel to each worker once (a pool
initializer, or Ray's object store); each unit brings its operator's groups and their
past, read from the output folder (`load`) only when its batch is dispatched. At most
AHEAD batches per worker are dispatched and unfinished at once, so the driver holds a
bounded part of the week's history however many groups there are. The workers build,
solve, verify and render. A problem that crashes
is retried once, then reported by name; a lost worker process is replaced and its
problems solved again; every worker is replaced after TASKS_PER_WORKER batches, so
its memory stays bounded however long the run. Ctrl-C is the driver's alone: local
workers ignore it, and the driver stops them and leaves (a worker's own
KeyboardInterrupt would print a traceback per process).
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from planner.errors import Finding, PlannerError
from planner.run.unit import Unit, UnitPlan, WeekContext, plan_unit

Batch = list[Unit]
Load = Callable[[Unit], Unit]
_PASSED_ON = (
    "SOURCE_DATE_EPOCH",
    "PLANNER_TEST_CRASH",
    "PLANNER_TEST_KILL_ONCE",
    "PLANNER_TEST_WORKERS",
)
# A worker process is replaced after this many batches (each one operator's week, a few
# seconds): what a long run leaves behind in a process (the allocator's fragments, the
# solver's caches) cannot grow without bound. Locally the pool is rebuilt after each
# round of workers x 64 batches, which idles a core for at most the last batch of a
# round: well under 1% of a round's minutes.
TASKS_PER_WORKER = 64
# Batches in flight per worker: one running, one queued so no worker waits for the driver.
AHEAD = 2
_CONTEXT: WeekContext | None = None
_IN_WORKER = False


def _install_context(context: WeekContext, worker: bool = True) -> None:
    """The week's shared inputs, once per worker process."""
    global _CONTEXT, _IN_WORKER
    _CONTEXT = context
    _IN_WORKER = worker


def _local_worker(context: WeekContext) -> None:
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


def run_batch(batch: Batch, time_limit: float) -> list[UnitPlan]:
    """Plan each unit of a batch; a unit that raises becomes an 'error' outcome."""
    assert _CONTEXT is not None, "the week's context is installed before any batch"
    out = []
    for unit in batch:
        try:
            _injected_faults(unit.id)
            out.append(plan_unit(_CONTEXT, unit, time_limit))
        except Exception as exc:  # reported by name; the other problems go on
            out.append(UnitPlan.failed(unit, f"{type(exc).__name__}: {exc}"))
    return out


def _injected_faults(problem: str) -> None:
    """Fault injection for the tests of crash handling (environment variables, never set
    in normal use): PLANNER_TEST_CRASH=<problem> raises in that problem every time;
    PLANNER_TEST_KILL_ONCE=<problem>:<marker file> kills the worker process the first time;
    PLANNER_TEST_WORKERS=<folder> leaves a file named after each process that plans."""
    seen = os.environ.get("PLANNER_TEST_WORKERS")
    if seen and _IN_WORKER:
        with open(os.path.join(seen, str(os.getpid())), "a", encoding="utf-8") as handle:
            handle.write(problem + "\n")
    if os.environ.get("PLANNER_TEST_CRASH") == problem:
        raise RuntimeError(f"injected crash in problem {problem}")
    kill = os.environ.get("PLANNER_TEST_KILL_ONCE", "")
    if _IN_WORKER and kill.partition(":")[0] == problem:
        marker = kill.partition(":")[2]
        if marker and not os.path.exists(marker):
            with open(marker, "w", encoding="utf-8") as handle:
                handle.write(str(os.getpid()))
            os._exit(17)


def batches(units: list[Unit], workers: int, most: int = 20) -> list[Batch]:
    """Findings grouped so each task carries enough groups to be worth shipping (at most
    `most` groups: one operator of 20 groups is seconds of work, far more than a task's
    overhead), yet there are a few tasks per worker to balance the load."""
    total = sum(len(u.groups) for u in units)
    groups_per_batch = max(1, min(most, total // max(1, workers * 4)))
    out: list[Batch] = []
    current: Batch = []
    size = 0
    for unit in units:
        current.append(unit)
        size += len(unit.groups)
        if size >= groups_per_batch:
            out.append(current)
            current, size = [], 0
    if current:
        out.append(current)
    return out


def _as_is(unit: Unit) -> Unit:
    return unit


class LocalExecutor:
    """A process pool over the local cores (or in-process with one worker)."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1

    def run(
        self,
        units: list[Unit],
        context: WeekContext,
        time_limit: float,
        on_done: Callable[[UnitPlan], None],
        load: Load = _as_is,
    ) -> None:
        work = batches(units, self.workers)
        if self.workers <= 1 or len(work) <= 1:
            _install_context(context, worker=False)
            for batch in work:
                for outcome in retrying([load(u) for u in batch], time_limit):
                    on_done(outcome)
            return
        # Fresh worker processes every TASKS_PER_WORKER batches each: a new pool per round.
        # (The pool's own max_tasks_per_child deadlocks on Python 3.11-3.13 once a worker
        # retires with tasks still queued: CPython gh-115634.)
        per_round = self.workers * TASKS_PER_WORKER
        for first in range(0, len(work), per_round):
            pending = work[first : first + per_round]
            attempts = 0
            while pending and attempts < 3:  # a broken pool (a killed worker) is rebuilt
                attempts += 1
                pending = self._pool_round(pending, context, time_limit, on_done, load)
            for batch in pending:
                for unit in batch:
                    on_done(UnitPlan.failed(unit, "its worker kept dying"))

    def _pool_round(self, work, context, time_limit, on_done, load) -> list[Batch]:
        """Run batches, AHEAD per worker in flight; return those lost with a dead worker."""
        lost: list[Batch] = []
        _install_context(context, worker=False)  # retries run here, in the driver
        queue = iter(work)
        workers = min(self.workers, len(work))
        with ProcessPoolExecutor(
            max_workers=workers, initializer=_local_worker, initargs=(context,)
        ) as pool:
            futures: dict = {}  # future -> (the batch, as sent: with its past)

            def dispatch() -> None:
                while len(futures) < workers * AHEAD:
                    batch = next(queue, None)
                    if batch is None:
                        return
                    sent = [load(u) for u in batch]
                    try:
                        with _ctrl_c_blocked():
                            future = pool.submit(run_batch, sent, time_limit)
                        futures[future] = (batch, sent)
                    except BrokenProcessPool:
                        lost.append(batch)
                        lost.extend(queue)
                        return

            try:
                dispatch()
                while futures:
                    done, _ = wait(futures, return_when=FIRST_COMPLETED)
                    for future in done:
                        batch, sent = futures.pop(future)
                        try:
                            outcomes = future.result()
                        except BrokenProcessPool:
                            lost.append(batch)
                            continue
                        except Exception:  # the whole batch raised: retry its units singly
                            outcomes = [o for u in sent for o in retrying([u], time_limit)]
                        else:
                            outcomes = list(retry_errors(sent, outcomes, time_limit))
                        for outcome in outcomes:
                            on_done(outcome)
                    dispatch()
            except KeyboardInterrupt:
                _stop(pool)
                raise
        return lost


def retrying(batch: Batch, time_limit: float) -> Iterator[UnitPlan]:
    """A batch planned in this process, its failures retried once."""
    try:
        outcomes = run_batch(batch, time_limit)
    except Exception as exc:
        outcomes = [UnitPlan.failed(u, str(exc)) for u in batch]
    yield from retry_errors(batch, outcomes, time_limit)


def retry_errors(batch: Batch, outcomes: list[UnitPlan], time_limit: float) -> Iterator[UnitPlan]:
    """Units that errored or found nothing in time get one more try, with twice the time."""
    by_id = {u.id: u for u in batch}
    for outcome in outcomes:
        if outcome.status in ("error", "unknown") and outcome.problem in by_id:
            unit = by_id[outcome.problem]
            try:
                again = run_batch([unit], time_limit * 2)[0]
            except Exception as exc:
                again = UnitPlan.failed(unit, str(exc))
            if again.status in ("error", "unknown"):
                again.result.message = (
                    again.result.message or outcome.result.message or "no plan within the limit"
                )
                again.retried = True
            yield again
        else:
            yield outcome


class RayExecutor:
    """Batches as Ray tasks; the week's context goes into the object store once."""

    def __init__(self, address: str | None = None, workers: int | None = None):
        try:
            import ray
        except ImportError as exc:  # an optional extra: the user's setup, not our crash
            raise PlannerError(
                Finding(
                    "--executor ray",
                    0,
                    "Ray is not installed",
                    'pip install "community-planner[ray]", or --executor local',
                )
            ) from exc
        self.ray = ray
        if not ray.is_initialized():
            if address:
                try:
                    ray.init(address=address, log_to_driver=False)
                except ConnectionError as exc:
                    raise PlannerError(
                        Finding(
                            f"--ray-address {address}",
                            0,
                            f"cannot join the Ray cluster: {exc}",
                            "a running cluster (`ray start --head`), or no --ray-address "
                            "for a local Ray",
                        )
                    ) from exc
            else:
                ray.init(num_cpus=workers or os.cpu_count() or 1, log_to_driver=False)
        self.workers = workers or int(ray.cluster_resources().get("CPU", 1))

    def run(self, units, context, time_limit, on_done, load: Load = _as_is) -> None:
        ray = self.ray
        context_ref = ray.put(context)

        # Workers of a running cluster do not see this process's environment: pass on what
        # the outputs depend on (SOURCE_DATE_EPOCH, the calendars' DTSTAMP) and the
        # fault-injection switches of the tests (empty in normal use).
        passed = {k: v for k, v in os.environ.items() if k in _PASSED_ON}

        @ray.remote(max_retries=3, retry_exceptions=False, max_calls=TASKS_PER_WORKER)
        def task(batch, context, time_limit, passed):
            for name in _PASSED_ON:
                os.environ.pop(name, None)
            os.environ.update(passed)
            _install_context(context)
            return run_batch(batch, time_limit)

        queue = iter(batches(units, self.workers))
        refs: dict = {}  # task -> its batch, as sent (with its past)

        def dispatch() -> None:
            while len(refs) < self.workers * AHEAD:
                batch = next(queue, None)
                if batch is None:
                    return
                sent = [load(u) for u in batch]
                refs[task.remote(sent, context_ref, time_limit, passed)] = sent

        _install_context(context, worker=False)
        dispatch()
        while refs:
            done, _ = ray.wait(list(refs), num_returns=1)
            for ref in done:
                sent = refs.pop(ref)
                try:
                    outcomes = ray.get(ref)
                except Exception:  # the task failed for good: retry its units here
                    for unit in sent:
                        for outcome in retrying([unit], time_limit):
                            on_done(outcome)
                    continue
                for outcome in retry_errors(sent, outcomes, time_limit):
                    on_done(outcome)
            dispatch()


def executor(name: str, workers: int | None, address: str | None = None):
    if name == "ray":
        return RayExecutor(address, workers)
    return LocalExecutor(workers)
