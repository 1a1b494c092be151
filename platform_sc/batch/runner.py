"""Run every grid point of a scenario file: parallel, resumable, crash-safe.

Workers receive descriptors (factor dicts), never models: each generates its instance,
solves it with one HiGHS thread and returns a row plus its solution tables. Only this
(submitting) process writes the :class:`~platform_sc.batch.store.ResultsStore`. Local
workers are spawned processes; ``dask_scheduler`` sends the same tasks to a Dask cluster.
"""
from __future__ import annotations

import json
import logging
import multiprocessing as mp
import os
import signal
import time
import traceback
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from multiprocessing.util import Finalize

from tqdm import tqdm

from ..decomposition import ignore_ctrl_c, keep_workers, stop_now
from ..pipeline import solve_instance
from ..result import SolveOptions
from ..scenarios import instance_for, point_id
from .store import ResultsStore

log = logging.getLogger(__name__)


def _head(point: dict) -> dict:
    return {"id": point_id(point), "factors": {k: v for k, v in point.items() if k != "id"}}


def error_row(point: dict, error: str, seconds: float = 0.0) -> dict:
    """The row of a scenario that failed: kept, re-run only with --retry-failed."""
    return {**_head(point), "status": "error", "error": error, "wall_seconds": seconds}


def run_point(point: dict, opts: SolveOptions) -> tuple[dict, dict]:
    """Generate and solve one grid point; never raises (errors become the row's status)."""
    t0 = time.perf_counter()
    try:
        res = solve_instance(instance_for(point), replace(opts, threads=1))
    except Exception as exc:
        return error_row(point, f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}",
                         time.perf_counter() - t0), {}
    row = _head(point)
    row.update({k: getattr(res, k) for k in ("status", "objective", "lower_bound", "gap", "certificate",
                                             "method", "build_seconds", "solve_seconds",
                                             "cost_breakdown", "metrics")})
    row["details"] = {**res.details, "options": options_of(opts)}
    row["wall_seconds"] = time.perf_counter() - t0
    return row, (res.solution.tables() if res.solution is not None else {})


def options_of(opts: SolveOptions) -> dict:
    """The solve options that change a result (kept in each row's details)."""
    return {k: getattr(opts, k) for k in ("method", "solver", "time_limit", "gap", "solver_options")}


def expected_work(point: dict) -> float:
    """Rough size used to start the longest scenarios first."""
    arcs = {"LL": 1, "CC": 1, "CG": 3, "LG": 3, "GG": 9}.get(point.get("config"), 3)
    return point.get("segments", 1) * arcs * (2 if point.get("capability") == "high" else 1)


@dataclass
class BatchSummary:
    total: int
    skipped: int
    done: int
    failed: int
    interrupted: bool
    wall_seconds: float
    busy_seconds: float = 0.0  # summed wall time of the scenarios inside their workers
    statuses: dict = field(default_factory=dict)  # status → count over the grid's rows in the store

    def overhead(self, workers: int) -> float | None:
        """Share of the worker capacity not spent inside scenarios (scheduling, start-up, idle tail)."""
        capacity = workers * self.wall_seconds
        return None if capacity <= 0 or not self.done + self.failed else max(0.0, 1 - self.busy_seconds / capacity)


_kept = ExitStack()  # in a worker process: its module processes, kept until it exits


def _start_worker(module_workers: int) -> None:
    """Ctrl-C is the submitting process's to handle; the scenarios of this worker share
    ``module_workers`` processes for their module problems (see ``_run_in_process``). The
    worker leads its own process group, so that on Ctrl-C the submitting process stops it
    and its module processes at once (:func:`_stop_groups`), even mid-solve."""
    ignore_ctrl_c()
    if hasattr(os, "setpgrp"):  # POSIX
        os.setpgrp()
    _kept.enter_context(keep_workers(module_workers))
    # at exit a worker process joins its children before concurrent.futures stops its pools,
    # so the kept processes would wait for work forever: stop them first, and before the
    # pool's queues stop the threads that send them (multiprocessing finalizers, priority 10)
    Finalize(None, _kept.close, exitpriority=100)


def _stop_groups(pool: ProcessPoolExecutor) -> None:
    """SIGTERM to each worker's process group: the worker and the module processes it
    started (terminating the worker alone left those solving on, orphaned)."""
    for proc in list(getattr(pool, "_processes", {}).values()):
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError, AttributeError):  # already gone, or not yet its group's leader
            pass


def _pending(points: list[dict], store: ResultsStore, retry: tuple[str, ...]) -> list[dict]:
    finished = store.ids(exclude=retry)
    todo = [p for p in points if point_id(p) not in finished]
    return sorted(todo, key=expected_work, reverse=True)


def run_batch(points: list[dict], db, opts: SolveOptions | None = None, workers: int = 1,
              retry: tuple[str, ...] = (), dask_scheduler: str | None = None,
              progress: bool = True) -> BatchSummary:
    """Solve every point not yet in ``db``; returns counts (Ctrl-C stops cleanly)."""
    opts = opts or SolveOptions()
    t0 = time.perf_counter()
    with ResultsStore(db) as store:
        store.same_parameter_files(points)
        todo = _pending(points, store, tuple(retry))
        _other_options(store, {point_id(p) for p in points} - {point_id(p) for p in todo}, opts)
        bar = tqdm(total=len(todo), disable=not progress, unit="scenario", dynamic_ncols=True)
        counts = {"done": 0, "failed": 0, "busy": 0.0}

        def finish(row, tables):
            store.record(row, tables)
            counts["done" if row["status"] != "error" else "failed"] += 1
            counts["busy"] += row.get("wall_seconds") or 0.0
            bar.set_postfix(failed=counts["failed"], refresh=False)
            bar.update()

        interrupted = False
        try:
            if dask_scheduler:
                _run_dask(todo, opts, dask_scheduler, finish)
            elif workers <= 1:
                _run_in_process(todo, opts, finish)
            else:
                _run_local(todo, opts, workers, finish)
        except KeyboardInterrupt:
            interrupted = True
            log.warning("interrupted: finished results are kept; rerun the same command to resume")
        finally:
            bar.close()
        statuses = store.statuses({point_id(p) for p in points})
    return BatchSummary(len(points), len(points) - len(todo), counts["done"], counts["failed"], interrupted,
                        time.perf_counter() - t0, counts["busy"], statuses)


def _other_options(store: ResultsStore, kept: set[str], opts: SolveOptions) -> None:
    """Warn when scenarios kept from earlier runs were solved with other options than this
    run's (each row keeps its own in its details)."""
    now = json.dumps(options_of(opts), sort_keys=True, default=str)
    other = {k: n for k, n in store.solved_with(kept).items() if k != now}
    if other:
        log.warning("%d scenario(s) kept in %s were solved with other options (%s); this run uses %s",
                    sum(other.values()), store.path, "; ".join(other), now)


def _run_in_process(todo, opts, finish) -> None:
    """One scenario after another; with ``opts.workers`` > 1 their module problems share
    processes started once (on 20 GG scenarios with 2 processes, 1.8 s less per scenario at
    the median: benchmarks/README.md)."""
    with keep_workers(opts.workers):
        for p in todo:
            finish(*run_point(p, opts))


def _run_local(todo, opts, workers, finish, task=run_point) -> None:
    """Scenarios on ``workers`` spawned processes, a few in flight. A process that dies (out
    of memory, a solver crash) breaks the pool: the scenarios then in flight run again one
    at a time in a new pool, and one that breaks it alone is recorded as an error."""
    queue, suspects = deque(todo), deque()
    while queue or suspects:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"),  # never fork
                                   initializer=_start_worker, initargs=(opts.workers,))  # after HiGHS started
        try:
            _until_broken(pool, queue, suspects, lambda p: pool.submit(task, p, opts), 2 * workers, finish)
        except KeyboardInterrupt:
            _stop_groups(pool)
            stop_now(pool)
            raise
        pool.shutdown(wait=not pool._broken)


def _until_broken(pool, queue: deque, suspects: deque, submit, most: int, finish) -> None:
    """Run ``queue`` (at most ``most`` in flight; ``suspects`` first, alone) until done or
    the pool breaks; then the points in flight go to ``suspects``, or to the store as
    errors if they were alone."""
    running: dict = {}

    def refill():
        while len(running) < most and (queue or suspects):
            if suspects and running:
                return
            alone = bool(suspects)
            p = (suspects or queue).popleft()
            running[submit(p)] = (p, alone, time.perf_counter())
            if alone:
                return

    refill()
    while running:
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for fut in done:
            p, alone, t0 = running.pop(fut)
            try:
                finish(*fut.result())
            except BrokenProcessPool:
                if alone:
                    finish(error_row(p, "the worker process died while solving this scenario alone (out of "
                                        "memory? a solver crash?)", time.perf_counter() - t0), {})
                else:
                    suspects.append(p)
        if pool._broken:
            log.warning("a worker process died; %d scenario(s) in flight run again, one at a time", len(suspects))
            for p, _, _ in running.values():
                suspects.append(p)
            return
        refill()


def _run_dask(todo, opts, address, finish) -> None:
    try:
        from dask.distributed import Client, as_completed
    except ImportError:
        raise RuntimeError("the Dask path needs the optional extra: pip install 'platform-sc[dask]'") from None
    try:
        client = Client(address, timeout="30s")
    except (OSError, TimeoutError) as exc:
        raise RuntimeError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
    with client:
        futures = {client.submit(run_point, p, opts, pure=False): p for p in todo}
        try:
            for fut in as_completed(futures):
                try:
                    finish(*fut.result())
                except Exception as exc:  # e.g. KilledWorker: the other scenarios go on
                    finish(error_row(futures[fut], f"{type(exc).__name__}: {exc}"), {})
        except KeyboardInterrupt:
            client.cancel(list(futures))
            raise
