"""Solve a built model with HiGHS (default) or any Pyomo solver, and say honestly how it went.

A time-limited solve returns its incumbent, its bound, its gap and status ``time_limit``;
only a solve the solver proved (within the requested relative gap) is ``optimal``.
"""
from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field

import pyomo.environ as pyo
from pyomo.common.collections import ComponentMap

from .highs import load, run_highs

log = logging.getLogger(__name__)

DEFAULT_GAP = 1e-4  # HiGHS default; the paper-grid targets ask for a proven gap <= 1e-4


@dataclass
class SolveResult:
    status: str                 # optimal | time_limit | infeasible | unbounded | error | ...
    objective: float | None     # incumbent (upper bound), None without a solution
    lower_bound: float | None   # proven bound
    gap: float | None           # (objective - bound) / |objective|
    solve_seconds: float
    solver: str
    found: list = field(default_factory=list)  # HiGHS, option SAVE: [(objective, {variable: value})] met on the way

    @property
    def has_solution(self) -> bool:
        return self.objective is not None


def largest_bound(*bounds: float | None) -> float | None:
    """The largest of the lower bounds known (None if none is)."""
    return max((b for b in bounds if b is not None), default=None)


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None or not math.isfinite(bound):
        return None
    return max(0.0, objective - bound) / max(abs(objective), 1e-9)


def _solve_highs(model, time_limit, gap, threads, tee, options, start) -> SolveResult:
    t0 = time.perf_counter()
    run = run_highs(model, time_limit, gap, threads, tee, options, start)
    objective = None
    if run.values is not None:
        load(run)
        objective = pyo.value(model.total_cost)
    bound = objective if run.status == "optimal" and run.bound is None else run.bound
    return SolveResult(run.status, objective, bound, relative_gap(objective, bound), time.perf_counter() - t0, "highs",
                       [(z, ComponentMap(zip(run.columns, x))) for z, x in run.found])


def _solve_legacy(model, name, time_limit, gap, tee, options) -> SolveResult:
    """Any solver of Pyomo's classic SolverFactory (gurobi, cplex, cbc, glpk, ...)."""
    opt = pyo.SolverFactory(name)
    if opt is None or not opt.available(exception_flag=False):
        raise RuntimeError(f"solver {name!r} is not available on this machine")
    opts = dict(options or {})
    if time_limit is not None and name in {"gurobi", "gurobi_direct", "gurobi_persistent"}:
        opts.setdefault("TimeLimit", time_limit)
        opts.setdefault("MIPGap", gap)
    elif time_limit is not None and name == "cbc":
        opts.setdefault("seconds", time_limit)
        opts.setdefault("ratioGap", gap)
    t0 = time.perf_counter()
    res = opt.solve(model, tee=tee, options=opts, load_solutions=False)
    seconds = time.perf_counter() - t0
    tc = res.solver.termination_condition
    status = {"optimal": "optimal", "maxTimeLimit": "time_limit", "infeasible": "infeasible",
              "unbounded": "unbounded", "infeasibleOrUnbounded": "infeasible_or_unbounded"}.get(str(tc), str(tc))
    objective = bound = None
    if len(res.solution) > 0:
        model.solutions.load_from(res)
        objective = pyo.value(model.total_cost)
        lb = res.problem.lower_bound
        bound = float(lb) if lb is not None and math.isfinite(float(lb)) else None
    if status == "optimal" and bound is None:
        bound = objective
    return SolveResult(status, objective, bound, relative_gap(objective, bound), seconds, name)


def solve_model(model, solver: str = "highs", time_limit: float | None = None,
                gap: float = DEFAULT_GAP, threads: int | None = None, tee: bool = False,
                options: dict | None = None, start: dict | None = None) -> SolveResult:
    """Solve ``model`` in place; values are loaded whenever a feasible solution exists.
    ``threads``: HiGHS's (None: as in this process's solves before, see
    :func:`platform_sc.highs.run`); ``start``: a MIP start (:func:`platform_sc.highs.solution_of`;
    HiGHS only)."""
    if solver == "highs":
        result = _solve_highs(model, time_limit, gap, threads, tee, options, start)
    else:
        result = _solve_legacy(model, solver, time_limit, gap, tee, options)
    log.info("%s: %s objective=%s bound=%s gap=%s in %.2fs", solver, result.status,
             result.objective, result.lower_bound, result.gap, result.solve_seconds)
    return result
