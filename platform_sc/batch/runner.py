"""Run every grid point of a scenario file: parallel, resumable, crash-safe.

Workers receive descriptors (factor dicts), never models: each generates its instance,
solves it with one HiGHS thread and returns a row plus its solution tables. Only this
(submitting) process writes the :class:`~platform_sc.batch.store.ResultsStore`. Local
workers are spawned processes; ``dask_scheduler`` sends the same tasks to a Dask cluster.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import signal
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import dataclass, replace
from multiprocessing.util import Finalize

from tqdm import tqdm

from ..decomposition import keep_workers, stop_now
from ..pipeline import solve_instance
from ..result import SolveOptions
from ..scenarios import instance_for, point_id
from .store import ResultsStore

log = logging.getLogger(__name__)


def run_point(point: dict, opts: SolveOptions) -> tuple[dict, dict]:
    """Generate and solve one grid point; never raises (errors become the row's status)."""
    t0 = time.perf_counter()
    row = {"id": point_id(point), "factors": {k: v for k, v in point.items() if k != "id"}}
    try:
        res = solve_instance(instance_for(point), replace(opts, threads=1))
    except Exception as exc:  # recorded in the store, retried only with --retry-failed
        row.update(status="error", error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}",
                   wall_seconds=time.perf_counter() - t0)
        return row, {}
    row.update({k: getattr(res, k) for k in ("status", "objective", "lower_bound", "gap", "certificate",
                                             "method", "build_seconds", "solve_seconds",
                                             "cost_breakdown", "metrics", "details")})
    row["wall_seconds"] = time.perf_counter() - t0
    return row, (res.solution.tables() if res.solution is not None else {})


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

    def overhead(self, workers: int) -> float | None:
        """Share of the worker capacity not spent inside scenarios (scheduling, start-up, idle tail)."""
        capacity = workers * self.wall_seconds
        return None if capacity <= 0 or not self.done + self.failed else max(0.0, 1 - self.busy_seconds / capacity)


_kept = ExitStack()  # in a worker process: its module processes, kept until it exits


def _start_worker(module_workers: int) -> None:
    """Ctrl-C is the submitting process's to handle; the scenarios of this worker share
    ``module_workers`` processes for their module problems (see ``_run_in_process``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _kept.enter_context(keep_workers(module_workers))
    # at exit a worker process joins its children before concurrent.futures stops its pools,
    # so the kept processes would wait for work forever: stop them first, and before the
    # pool's queues stop the threads that send them (multiprocessing finalizers, priority 10)
    Finalize(None, _kept.close, exitpriority=100)


def _pending(points: list[dict], store: ResultsStore, retry_failed: bool) -> list[dict]:
    finished = store.ids(exclude_status="error") if retry_failed else store.ids()
    todo = [p for p in points if point_id(p) not in finished]
    return sorted(todo, key=expected_work, reverse=True)


def run_batch(points: list[dict], db, opts: SolveOptions | None = None, workers: int = 1,
              retry_failed: bool = False, dask_scheduler: str | None = None,
              progress: bool = True) -> BatchSummary:
    """Solve every point not yet in ``db``; returns counts (Ctrl-C stops cleanly)."""
    opts = opts or SolveOptions()
    t0 = time.perf_counter()
    with ResultsStore(db) as store:
        store.same_parameter_files(points)
        todo = _pending(points, store, retry_failed)
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
    return BatchSummary(len(points), len(points) - len(todo), counts["done"], counts["failed"], interrupted,
                        time.perf_counter() - t0, counts["busy"])


def _run_in_process(todo, opts, finish) -> None:
    """One scenario after another; with ``opts.workers`` > 1 their module problems share
    processes started once (on 20 GG scenarios with 2 processes, 1.8 s less per scenario at
    the median: benchmarks/README.md)."""
    with keep_workers(opts.workers):
        for p in todo:
            finish(*run_point(p, opts))


def _run_local(todo, opts, workers, finish) -> None:
    ctx = mp.get_context("spawn")  # never fork after HiGHS has started threads
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_start_worker,
                               initargs=(opts.workers,))
    try:
        queue = iter(todo)
        running = set()
        for p in queue:  # keep only a few tasks in flight, so Ctrl-C cancels quickly
            running.add(pool.submit(run_point, p, opts))
            if len(running) >= 2 * workers:
                break
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                finish(*fut.result())
                nxt = next(queue, None)
                if nxt is not None:
                    running.add(pool.submit(run_point, nxt, opts))
    except KeyboardInterrupt:
        stop_now(pool)
        raise
    pool.shutdown()


def _run_dask(todo, opts, address, finish) -> None:
    try:
        from dask.distributed import Client, as_completed
    except ImportError:
        raise RuntimeError("the Dask path needs the optional extra: pip install 'platform-sc[dask]'") from None
    with Client(address) as client:
        futures = [client.submit(run_point, p, opts, pure=False) for p in todo]
        try:
            for fut in as_completed(futures):
                finish(*fut.result())
        except KeyboardInterrupt:
            client.cancel(futures)
            raise
