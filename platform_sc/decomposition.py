"""Per-module decomposition (paper §2, Theorems 2.1 and 2.2; spec §6).

1. Fix the manufacturing configuration: forced when every segment has one allowed plant,
   else pre-processed from plant costs alone (:mod:`platform_sc.manufacturing`).
2. Solve Z''(j) for every module j independently: module j alone with the fixed finished-unit
   flows and 1/|J| of the manufacturing cost (Theorem 2.2). Together they give a feasible
   solution of the full model, assembled and re-checked against (2)–(13) by the pipeline.
3. Lower bound: with forced manufacturing the decomposition is exact, so Σ_j bound(Z''(j))
   bounds the full model. Otherwise the larger of Σ_j bound(Z(j)), Z(j) being module j with
   free manufacturing, 1/|J| of its costs and no assembly link (Theorem 2.1), and the
   freight-exchange bound (:func:`platform_sc.manufacturing.exchange_bound`), which costs one
   small MILP on top of the Z''(j).

Certificate: ``exact`` (forced manufacturing, every subproblem proven), ``bounded`` (a
Theorem 2.1 bound), or ``none`` (a subproblem's bound is missing).
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import pickle
import signal
import threading
import time
import uuid
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, replace

from .extract import combine, manufacturing_tables, sourcing_tables
from .highs import solution_of
from .manufacturing import exchange_bound, forced_flows, manufacturing_cost, preprocessed_flows
from .model import build_model
from .result import RunResult
from .rules import has_coupling_rules
from .sets import Sets
from .solve import largest_bound, relative_gap, solve_model

log = logging.getLogger(__name__)


@dataclass
class ModuleResult:
    module: str | tuple  # a module, or a block of modules (see solve_module)
    kind: str                 # "Z''" (fixed manufacturing) or "Z" (Theorem 2.1 relaxation)
    status: str
    objective: float | None
    lower_bound: float | None
    build_seconds: float
    solve_seconds: float
    tables: dict | None = None
    flows: dict | None = None  # Z(j): the manufacturing configuration module j chose
    values: dict | None = None  # its solution, a MIP start for module j's next problems
    found: list | None = None  # Z(j), option SAVE: [(objective less the prices, flows)] of each incumbent met

    def row(self) -> dict:
        return {k: getattr(self, k) for k in ("module", "kind", "status", "objective", "lower_bound",
                                              "build_seconds", "solve_seconds")}


def _kind(flows: dict | None) -> str:
    """Z''(j) with the manufacturing flows fixed, Z(j) with them free."""
    return "Z''" if flows is not None else "Z"


def solve_module(S: Sets, module: str | tuple, flows: dict | None, opts, open_set=None, prices: dict | None = None,
                 start: dict | None = None) -> ModuleResult:
    """Z''(j) when ``flows`` is given, else Z(j) (with exactly the plants ``open_set`` set up,
    if given); both with 1/|J| of manufacturing costs. ``prices`` {(plant, segment): λ} adds
    Σ λ·fin[p,m] to Z(j)'s objective (the Lagrangian problem of :mod:`platform_sc.lagrangian`);
    ``start``: a MIP start (``values`` of an earlier Z(j) of this module). ``module`` may be a
    tuple of modules, solved as one problem with their share of manufacturing costs (a block
    of :mod:`platform_sc.lagrangian`: its modules' manufacturing flows agree)."""
    t0 = time.perf_counter()
    members = list(module) if isinstance(module, tuple) else [module]
    model = build_model(S, modules=members, manufacturing_scale=len(members) / len(S.modules), fixed_flows=flows,
                        open_set=open_set)
    if prices:
        model.total_cost.set_value(model.total_cost.expr + sum(v * model.fin[a] for a, v in prices.items()))
    build = time.perf_counter() - t0
    res = solve_model(model, opts.solver, opts.time_limit, opts.gap, opts.threads, opts.tee, opts.solver_options,
                      start)
    out = ModuleResult(module, _kind(flows), res.status, res.objective, res.lower_bound, build, res.solve_seconds)
    if res.has_solution:
        out.values = solution_of(model)
        if flows is not None:
            out.tables = sourcing_tables(model)
        else:
            out.flows = configuration(S, {a: v.value for a, v in model.fin.items()})
            out.found = [(z - sum(v * x.get(model.fin[a], 0.0) for a, v in (prices or {}).items()),
                          {a: x.get(var, 0.0) for a, var in model.fin.items()}) for z, x in res.found]
    return out


def configuration(S: Sets, fin: dict) -> dict:
    """{(plant, segment): units} from solver values: solver noise dropped and each segment's
    flows summing exactly to its demand (the largest arc takes the difference)."""
    flows = {a: float(u) for a, u in fin.items() if u is not None and u > 1e-6}
    by_segment: dict = {}
    for p, m in flows:
        by_segment.setdefault(m, []).append((p, m))
    for m, arcs in by_segment.items():
        top = max(arcs, key=flows.get)
        flows[top] = S.demand[m] - sum(flows[a] for a in arcs if a != top)
    return flows


def time_left(deadline: float | None) -> float | None:
    """Seconds until ``deadline`` (None: no limit; at least 0.1 s, a solve's useful minimum)."""
    return None if deadline is None else max(0.1, deadline - time.perf_counter())


def out_of_time(deadline: float | None) -> bool:
    """No step starts after the deadline."""
    return deadline is not None and time.perf_counter() >= deadline


def solve_module_until(S: Sets, module: str | tuple, flows: dict | None, opts, deadline: float | None,
                       open_set=None, prices: dict | None = None, start: dict | None = None) -> ModuleResult:
    """:func:`solve_module` with the time left until ``deadline`` (or ``opts.time_limit`` if
    shorter); not started after it."""
    if out_of_time(deadline):
        return ModuleResult(module, _kind(flows), "time_limit", None, None, 0.0, 0.0)
    limit = min((t for t in (opts.time_limit, time_left(deadline)) if t is not None), default=None)
    return solve_module(S, module, flows, replace(opts, time_limit=limit), open_set, prices, start)


@dataclass
class Problem:
    """One module problem for :func:`map_problems`: Z''(j) at ``flows``, else Z(j) (see
    :func:`solve_module`), solved with ``opts``; ``expected``: the seconds it is expected to
    take (e.g. the last similar one), to balance the processes."""
    module: str | tuple  # a module, or a block of modules (see solve_module)
    opts: object
    flows: dict | None = None
    open_set: frozenset | None = None
    prices: dict | None = None
    start: dict | None = None
    expected: float | None = None


RESERVE = 0.3  # the most of a decomposition's time kept back for its problems not yet started


def map_problems(S: Sets, problems: list[Problem], deadline: float | None, workers: int,
                 reserve: float = 0.0) -> list[ModuleResult]:
    """Solve ``problems`` over ``workers`` processes, each within the time left until
    ``deadline`` (at most its ``opts.time_limit``); results in the given order. Mixing the
    problems of several steps (a decomposition's Z''(j) and a Lagrangian iteration's Z(j))
    in one call balances the processes better than one call each.

    ``reserve`` > 0: every problem starts before ``deadline``, which keeps back at most
    ``reserve`` of the call's time for the problems waiting. On several processes the first
    (the longest expected) runs until the deadline; any other, started while u problems
    wait, stops ⌈u / l⌉ · h before it, l = workers − 1 (1 on one process, where the shortest
    expected go first and the longest gets the time they leave) and h = ``reserve`` · T /
    ⌈(n − 1) / l⌉ for n problems and T seconds: each group of l waiting problems starts
    at least h before the next must stop. A time-limited decomposition then has a
    solution of every module, a feasible incumbent: on GG/72/3M/high/dev-low/pb4 the
    interior and the chassis had taken the whole minute and the body, whose first
    solution takes 0.4 s, never started."""
    workers = workers if _may_spawn(workers) else 1
    order = _longest_first(problems)[::1 if workers > 1 else -1]
    lanes = max(1, workers - 1)  # the processes other than the first problem's
    rounds = max(1, -(-(len(order) - 1) // lanes))
    keep = 0.0 if deadline is None else reserve * max(0.0, deadline - time.perf_counter()) / rounds

    def args(n):
        q, waiting = problems[order[n]], len(order) - n - 1
        first = n == 0 and workers > 1
        until = None if deadline is None else deadline - (0 if first else keep * -(-waiting // lanes))
        return q.module, q.flows, q.opts, until, q.open_set, q.prices, q.start

    results: dict = {}
    if workers <= 1 or len(problems) <= 1:
        for n, i in enumerate(order):
            results[i] = solve_module_until(S, *args(n))
        return [results[i] for i in range(len(problems))]
    # spawned processes (never fork after HiGHS has started threads) take the problems in
    # turn as they free up, the longest expected first: a long problem never holds back the
    # ones behind it while another process idles, as a fixed share per process did (the
    # engine's 58 s left the body unstarted, the other process idle after 18 s)
    with shared_workers(S, workers) as pool:
        running: set = set()
        for n, i in enumerate(order):
            if len(running) >= workers:
                _, running = wait(running, return_when=FIRST_COMPLETED)
            results[i] = pool.submit(*args(n))
            running.add(results[i])
        return [results[i].result() for i in range(len(problems))]


def _longest_first(problems: list[Problem]) -> list[int]:
    """Indices of ``problems``, the longest expected first (list scheduling in LPT order);
    in the given order unless every time is known."""
    if any(q.expected is None for q in problems):
        return list(range(len(problems)))
    return sorted(range(len(problems)), key=lambda i: -problems[i].expected)


class Workers:
    """Spawned processes solving the module problems of instance ``S``:
    ``submit(*args)`` runs :func:`solve_module_until` on ``S`` in one of them. ``S`` goes
    with every problem, pickled once (73 kB and 1 ms for GG with 72 segments); a process
    unpickles it only when its previous problem was of another instance."""

    def __init__(self, S: Sets, pool: ProcessPoolExecutor):
        self.S, self.pool = S, pool
        self.token, self.blob = uuid.uuid4().hex, pickle.dumps(S)

    def submit(self, *args):
        return self.pool.submit(_solve_held, self.token, self.blob, *args)


_shared = threading.local()  # .workers: the Workers of this thread's open shared_workers block
# (per thread: a Dask worker runs several scenarios at once in threads)
_kept: list | None = None  # [processes, how many] while a keep_workers block is open
_held: tuple = (None, None)  # in a spawned process: (token, Sets) of the instance it served last


def _spawn(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"), initializer=ignore_ctrl_c)


def _may_spawn(workers: int) -> bool:
    """More than one process asked for, and this process may start them: a daemonic one (a
    Dask worker's, by default) may not, so its module problems run one after another."""
    global _daemon_warned
    if workers > 1 and mp.current_process().daemon:
        if not _daemon_warned:
            log.warning("this process is daemonic (a Dask worker? set distributed.worker.daemon: false) and "
                        "cannot start module processes: the module problems run one after another")
            _daemon_warned = True
        return False
    return workers > 1


_daemon_warned = False


def ignore_ctrl_c() -> None:
    """In a child process: Ctrl-C (sent to the whole terminal's process group) is the
    parent's to handle; it stops the children itself (:func:`stop_now`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def shared_workers(S: Sets, workers: int):
    """:class:`Workers` for every :func:`map_problems` on ``S`` within the block: a solve
    that maps its modules many times (the exact method) starts them once; within a
    :func:`keep_workers` block, the kept processes if there are no more than ``workers``
    (a pool starts processes only as work arrives). Yields None when ``workers`` ≤ 1;
    within an open block for ``S``, that block's workers."""
    outer = getattr(_shared, "workers", None)
    if outer is not None and outer.S is S:
        yield outer
        return
    if not _may_spawn(workers):
        yield None
        return
    kept = _kept is not None and _kept[1] <= workers
    if kept and _kept[0]._broken:  # a kept process died (killed, out of memory): the next solves get new ones
        log.warning("a module process died; starting %d new ones", _kept[1])
        _kept[0].shutdown(wait=False, cancel_futures=True)
        _kept[0] = _spawn(_kept[1])
    own = None if kept else _spawn(workers)
    _shared.workers = Workers(S, own or _kept[0])
    try:
        yield _shared.workers
    except BaseException:  # e.g. Ctrl-C: do not wait for the module problems under way
        if own is not None:
            stop_now(own)
        raise
    else:
        if own is not None:
            own.shutdown()
    finally:
        _shared.workers = outer


@contextmanager
def keep_workers(workers: int):
    """Within the block, every solve's module problems share ``workers`` processes started
    once, instead of each solve starting its own: a batch pays the start (spawning,
    imports, Pyomo's first model) once, not per instance. Nested blocks keep the outer
    block's processes; ``workers`` ≤ 1 keeps none."""
    global _kept
    if not _may_spawn(workers) or _kept is not None:
        yield
        return
    _kept = [_spawn(workers), workers]  # the processes are replaced if one dies (shared_workers)
    try:
        yield
    except BaseException:  # e.g. Ctrl-C: do not wait for the solves under way
        stop_now(_kept[0])
        raise
    else:
        _kept[0].shutdown()
    finally:
        _kept = None


def stop_now(pool: ProcessPoolExecutor) -> None:
    """Stop ``pool`` without waiting for its work under way (Ctrl-C): its processes are
    terminated and the work not yet started is cancelled."""
    for proc in list(getattr(pool, "_processes", {}).values()):
        proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def _solve_held(token: str, blob: bytes, *args) -> ModuleResult:
    global _held
    if _held[0] != token:
        _held = (token, pickle.loads(blob))
    return solve_module_until(_held[1], *args)


def _sum(values) -> float | None:
    values = list(values)
    return None if any(v is None for v in values) else sum(values)


def theorem_21_bound(S: Sets, opts, deadline: float | None = None, open_set=None,
                     like: RunResult | None = None) -> tuple[float | None, list[ModuleResult]]:
    """Σ_j bound(Z(j)) (None if one is missing) and the per-module results; with
    ``open_set``, over the configurations setting up exactly those plants. ``like``: a
    decomposition feasible there (within ``open_set``): its Z''(j) solutions start the Z(j)
    (19 s instead of 32 s for the four on GG/72/0.5M/high/dev-low/pb2), and its Z''(j)
    times order them."""
    starts, seconds = (like.starts, fixed_seconds(like)) if like is not None else ({}, {})
    bounds = map_problems(S, [Problem(j, opts, open_set=open_set, start=starts.get(j), expected=seconds.get(j))
                              for j in S.modules], deadline, opts.workers)
    return _sum(r.lower_bound for r in bounds), bounds


def fixed_seconds(res: RunResult) -> dict:
    """{module: solve seconds} of a decomposition's Z''(j), to balance the processes."""
    return {r["module"]: r["solve_seconds"] for r in res.details["modules"] if r["kind"] == "Z''"}


def decompose_at(S: Sets, opts, flows: dict, deadline: float | None, starts: dict | None = None,
                 expected: dict | None = None) -> RunResult:
    """Theorem 2.2: the decomposition at the manufacturing configuration ``flows``, within
    ``deadline``; ``starts``, ``expected``: by module (see :class:`Problem`)."""
    return solve_decomposition(S, replace(opts, time_limit=time_left(deadline)), theorem_21=False, flows=flows,
                               starts=starts, expected=expected)


def effort(S: Sets) -> dict:
    """Before any module problem is solved, a guess of which take longest (only the order
    counts, :func:`map_problems`): each module's procurement spend at list prices per unit of
    its options' fixed costs (development and tooling). The cheaper options are to add next
    to what they save, the more options and tooled suppliers are worth weighing. On
    paper_grid_gg the pre-processed decomposition's slowest Z''(j) was the interior's (the
    module this ranks first) in 45 of the 56 instances where one took over 5 s. Replayed with
    the measured times on 2 processes, the 288 pre-processed decompositions take 1,436 s in
    this order, 1,597 s in the modules' order, 1,372 s at best (benchmarks/README.md)."""
    price: dict = {}
    for (s, k), breaks in S.breaks.items():
        price.setdefault(S.option_module[k], []).append(max(b.price for b in breaks))
    fixed = {j: sum(S.dc[k] for k in S.options_of[j]) for j in S.modules}
    for (s, k), cost in S.stc.items():
        fixed[S.option_module[k]] += cost
    demand, mean = sum(S.demand.values()), {j: sum(p) / len(p) for j, p in price.items()}
    return {j: demand * mean.get(j, 0.0) / max(fixed[j], 1.0) for j in S.modules}


def decomposition_problems(S: Sets, opts, flows: dict, starts: dict | None = None,
                           expected: dict | None = None) -> list[Problem]:
    """Theorem 2.2's Z''(j) at the manufacturing configuration ``flows``, for
    :func:`map_problems` (``starts``, ``expected``: by module, see :class:`Problem`)."""
    starts, expected = starts or {}, expected or {}
    return [Problem(j, opts, flows, start=starts.get(j), expected=expected.get(j)) for j in S.modules]


def solve_decomposition(S: Sets, opts, theorem_21: bool = True, flows: dict | None = None,
                        starts: dict | None = None, expected: dict | None = None):
    """Solve by decomposition (see module docstring); ``theorem_21=False`` skips the Z(j)
    problems (the freight-exchange bound only) when manufacturing is not forced; ``flows``
    replaces the pre-processed configuration; ``starts``: MIP starts by module;
    ``expected``: the modules' seconds, to balance the processes (default :func:`effort`)."""
    if has_coupling_rules(S):
        raise ValueError("local-content rules couple the modules; the decomposition cannot honour them "
                         "(use --method monolithic, or auto)")
    t0 = time.perf_counter()
    deadline = None if opts.time_limit is None else t0 + opts.time_limit
    forced_config = forced_flows(S)
    forced = forced_config is not None
    if forced:
        flows = forced_config
    elif flows is None:
        flows = preprocessed_flows(S, opts.solver, time_left(deadline))
    manufacturing_seconds = time.perf_counter() - t0
    expected = expected or effort(S)
    problems = decomposition_problems(S, opts, flows, starts, expected)
    if not forced and theorem_21:  # Z(j) on the same processes, in the same call
        problems += [Problem(j, opts, expected=expected.get(j)) for j in S.modules]
    results = map_problems(S, problems, deadline, opts.workers, RESERVE)
    n = len(S.modules)
    res = assemble_decomposition(S, opts, flows, results[:n], deadline, forced, results[n:])
    res.details["manufacturing"] = {"forced": forced, "seconds": manufacturing_seconds}
    res.solve_seconds = time.perf_counter() - t0 - res.build_seconds
    return res


def assemble_decomposition(S: Sets, opts, flows: dict, parts: list[ModuleResult], deadline: float | None,
                           forced: bool = False, bounds: list[ModuleResult] = ()) -> RunResult:
    """The decomposition's result from its solved Z''(j) ``parts`` at ``flows`` (and Theorem
    2.1's Z(j) ``bounds``, if solved): the combined solution, its bounds and certificate.
    Its ``solve_seconds`` counts only the freight-exchange bound solved here."""
    t0 = time.perf_counter()
    bounds = list(bounds)
    thm21 = _sum(r.lower_bound for r in bounds) if bounds else None
    exchange = sourcing = None
    if not forced and all(r.lower_bound is not None for r in parts):
        sourcing = sum(r.lower_bound for r in parts) - manufacturing_cost(S, flows)  # ≤ SRC*_R
        exchange = exchange_bound(S, flows, sourcing, opts.solver, time_limit=time_left(deadline))
    details = {"modules": [r.row() for r in parts + bounds]}
    if not forced:
        details["bounds"] = {"theorem_2_1": thm21, "freight_exchange": exchange, "sourcing": sourcing}
    build = sum(r.build_seconds for r in parts + bounds)
    solve = time.perf_counter() - t0
    failed = [r for r in parts if r.tables is None]
    if failed:
        return RunResult(failed[0].status, "decomposition", None, None, None, build, solve,
                         certificate="none", details=details)
    plants, assembly = manufacturing_tables(S, flows)
    solution = combine([r.tables for r in parts], plants, assembly)
    objective = sum(r.objective for r in parts)
    lower = _sum(r.lower_bound for r in parts) if forced else largest_bound(thm21, exchange)
    proven = all(r.status == "optimal" for r in parts + bounds)
    if lower is None:
        certificate = "none"
    else:
        certificate = "exact" if forced and proven else "bounded"
        lower = min(lower, objective)
    gap = relative_gap(objective, lower)
    unproven = [r.status for r in parts if r.status != "optimal"]  # e.g. iteration_limit: not "optimal"
    status = "optimal" if proven and gap is not None and gap <= max(opts.gap, 1e-9) else (
        unproven[0] if unproven else "feasible")
    if any(r.status == "time_limit" for r in parts + bounds):
        status = "time_limit"
    return RunResult(status, "decomposition", objective, lower, gap, build, solve, certificate=certificate,
                     details=details, solution=solution, starts={r.module: r.values for r in parts})
