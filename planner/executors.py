"""Where independent problems are solved: a local process pool or a Ray cluster.

Both take the same batches and give back the same solutions, in any order; the
planner sorts them, so outputs are byte-identical whatever the executor and the
number of workers. The content library travels to each worker once (a pool
initializer, or Ray's object store), not with every problem. A problem that
crashes is retried once, then reported by name; a lost worker process is
replaced and its problems solved again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

from planner.errors import PlannerError
from planner.errors import Problem as InputProblem
from planner.models.items import ItemBase
from planner.problem import Problem
from planner.solver.solve import Solution, solve

Batch = list[Problem]
_LIBRARY: dict[str, ItemBase] = {}
_IN_WORKER = False


def _install_library(items: dict[str, ItemBase], worker: bool = True) -> None:
    """Pool initializer: the library arrives once per worker process."""
    global _LIBRARY, _IN_WORKER
    _LIBRARY = items
    _IN_WORKER = worker


def solve_batch(batch: Batch, weights: dict[str, int], time_limit: float) -> list[Solution]:
    """Solve each problem of a batch; a problem that raises becomes an 'error' solution."""
    out = []
    for problem in batch:
        try:
            _injected_faults(problem.id)
            ready = replace(problem, items=_LIBRARY) if not problem.items else problem
            out.append(solve(ready, weights, time_limit))
        except Exception as exc:  # reported by name; the other problems go on
            out.append(Solution(problem.id, "error", message=f"{type(exc).__name__}: {exc}"))
    return out


def _injected_faults(problem: str) -> None:
    """Fault injection for the tests of crash handling (environment variables, never set
    in normal use): PLANNER_TEST_CRASH=<problem> raises in that problem every time;
    PLANNER_TEST_KILL_ONCE=<problem>:<marker file> kills the worker process the first time."""
    if os.environ.get("PLANNER_TEST_CRASH") == problem:
        raise RuntimeError(f"injected crash in problem {problem}")
    kill = os.environ.get("PLANNER_TEST_KILL_ONCE", "")
    if _IN_WORKER and kill.partition(":")[0] == problem:
        marker = kill.partition(":")[2]
        if marker and not os.path.exists(marker):
            with open(marker, "w", encoding="utf-8") as handle:
                handle.write(str(os.getpid()))
            os._exit(17)


def batches(problems: list[Problem], workers: int, most: int = 40) -> list[Batch]:
    """Problems grouped so each task carries enough groups to be worth shipping (at most
    `most` groups), yet there are a few tasks per worker to balance the load."""
    total = sum(len(p.groups) for p in problems)
    groups_per_batch = max(1, min(most, total // max(1, workers * 4)))
    out: list[Batch] = []
    current: Batch = []
    size = 0
    for problem in problems:
        current.append(replace(problem, items={}))
        size += len(problem.groups)
        if size >= groups_per_batch:
            out.append(current)
            current, size = [], 0
    if current:
        out.append(current)
    return out


class LocalExecutor:
    """A process pool over the local cores (or in-process with one worker)."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1

    def run(
        self,
        problems: list[Problem],
        library: dict[str, ItemBase],
        weights: dict[str, int],
        time_limit: float,
        on_done: Callable[[Solution], None],
    ) -> None:
        work = batches(problems, self.workers)
        if self.workers <= 1 or len(work) <= 1:
            _install_library(library, worker=False)
            for batch in work:
                for solution in self.retrying(batch, weights, time_limit):
                    on_done(solution)
            return
        pending = list(work)
        attempts = 0
        while pending and attempts < 3:  # a broken pool (a killed worker) is rebuilt
            attempts += 1
            pending = self._pool_round(pending, library, weights, time_limit, on_done)
        for batch in pending:
            for problem in batch:
                on_done(Solution(problem.id, "error", message="its worker kept dying"))

    def _pool_round(self, work, library, weights, time_limit, on_done) -> list[Batch]:
        """Run batches; return those lost with a dead worker, to run again."""
        lost: list[Batch] = []
        with ProcessPoolExecutor(
            max_workers=min(self.workers, len(work)),
            initializer=_install_library,
            initargs=(library,),
        ) as pool:
            futures = {pool.submit(solve_batch, b, weights, time_limit): b for b in work}
            while futures:
                done, _ = wait(futures, return_when=FIRST_COMPLETED)
                for future in done:
                    batch = futures.pop(future)
                    try:
                        solutions = future.result()
                    except BrokenProcessPool:
                        lost.append(batch)
                        continue
                    except Exception:  # the whole batch raised: retry its problems singly
                        solutions = [
                            s for p in batch for s in self.retrying([p], weights, time_limit)
                        ]
                    for solution in self.retry_errors(batch, solutions, weights, time_limit):
                        on_done(solution)
        return lost

    def retrying(self, batch, weights, time_limit) -> Iterator[Solution]:
        try:
            solutions = solve_batch(batch, weights, time_limit)
        except Exception as exc:
            solutions = [Solution(p.id, "error", message=str(exc)) for p in batch]
        yield from self.retry_errors(batch, solutions, weights, time_limit)

    def retry_errors(self, batch, solutions, weights, time_limit) -> Iterator[Solution]:
        """Problems that errored or found nothing in time get one more try, with twice the time."""
        by_id = {p.id: p for p in batch}
        for solution in solutions:
            if solution.status in ("error", "unknown") and solution.problem in by_id:
                try:
                    again = solve_batch([by_id[solution.problem]], weights, time_limit * 2)[0]
                except Exception as exc:
                    again = Solution(solution.problem, "error", message=str(exc))
                if again.status in ("error", "unknown"):
                    again.message = again.message or solution.message or "no plan within the limit"
                    again.retried = True
                yield again
            else:
                yield solution


class RayExecutor:
    """Batches as Ray tasks; the library goes into the object store once."""

    def __init__(self, address: str | None = None, workers: int | None = None):
        try:
            import ray
        except ImportError as exc:  # an optional extra: the user's setup, not our crash
            raise PlannerError(
                InputProblem(
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
                        InputProblem(
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

    def run(self, problems, library, weights, time_limit, on_done) -> None:
        ray = self.ray
        library_ref = ray.put(library)

        # Workers of a running cluster do not see this process's environment: pass on the
        # fault-injection switches of the tests (empty in normal use).
        faults = {k: v for k, v in os.environ.items() if k.startswith("PLANNER_TEST_")}

        @ray.remote(max_retries=3, retry_exceptions=False)
        def task(batch, library, weights, time_limit, faults):
            for name in ("PLANNER_TEST_CRASH", "PLANNER_TEST_KILL_ONCE"):
                os.environ.pop(name, None)
            os.environ.update(faults)
            _install_library(library)
            return solve_batch(batch, weights, time_limit)

        work = batches(problems, self.workers)
        refs = {task.remote(b, library_ref, weights, time_limit, faults): b for b in work}
        local = LocalExecutor(1)
        _install_library(library, worker=False)
        while refs:
            done, _ = ray.wait(list(refs), num_returns=1)
            for ref in done:
                batch = refs.pop(ref)
                try:
                    solutions = ray.get(ref)
                except Exception:  # the task failed for good: retry its problems here
                    for problem in batch:
                        for solution in local.retrying([problem], weights, time_limit):
                            on_done(solution)
                    continue
                for solution in local.retry_errors(batch, solutions, weights, time_limit):
                    on_done(solution)


def executor(name: str, workers: int | None, address: str | None = None):
    if name == "ray":
        return RayExecutor(address, workers)
    return LocalExecutor(workers)
