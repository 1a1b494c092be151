"""Exact solve when plants may serve several regions (GG and user data alike; spec §10).

The paper fixes the manufacturing configuration first, so there its decomposition is only a
heuristic. ``auto`` closes the question in two steps:

1. Decomposition with the subproblems solved to ``gap / 4`` (relative gaps of a sum are at
   most the largest, so the subproblem gaps cost at most half of ``gap``): the pre-processed
   configuration gives an upper bound (a feasible, re-checked solution) and the per-module
   problems with free manufacturing give the Theorem 2.1 lower bound. When the plants
   every module would choose agree, the two meet and the solution is proven optimal.
2. Otherwise the full MILP, with the decomposition's objective as a cutoff (HiGHS
   ``objective_bound``: nodes that cannot beat it are pruned), for the remaining time. Its
   solution replaces the decomposed one only if cheaper; the lower bound reported is the
   larger of the two proven bounds. A cutoff solve that ends ``infeasible`` proves that
   nothing beats the decomposed solution.
"""
from __future__ import annotations

import logging
import time
from dataclasses import replace

from .decomposition import solve_decomposition
from .extract import extract
from .model import build_model
from .result import RunResult, SolveOptions
from .sets import Sets
from .solve import relative_gap, solve_model

log = logging.getLogger(__name__)


def solve_exact(S: Sets, opts: SolveOptions) -> RunResult:
    """Proven optimum (within ``opts.gap``) when time allows; else the best bound pair."""
    t0 = time.perf_counter()
    deco = solve_decomposition(S, replace(opts, gap=opts.gap / 4))
    deco.details["decomposition"] = {"objective": deco.objective, "lower_bound": deco.lower_bound}
    deco.method = "exact"
    if deco.solution is None:
        return deco
    proven = all(m["status"] == "optimal" for m in deco.details["modules"])
    if proven and deco.gap is not None and deco.gap <= opts.gap:  # the Theorem 2.1 bound proves it
        deco.status = "optimal"
        return deco
    left = None if opts.time_limit is None else max(1.0, opts.time_limit - (time.perf_counter() - t0))
    t1 = time.perf_counter()
    model = build_model(S)
    build = time.perf_counter() - t1
    options = dict(opts.solver_options)
    if opts.solver == "highs":
        options["objective_bound"] = deco.objective
    res = solve_model(model, opts.solver, left, opts.gap, opts.threads, opts.tee, options)
    lower = max(b for b in (deco.lower_bound, res.lower_bound) if b is not None)
    details = {**deco.details, "monolithic": {"status": res.status, "objective": res.objective,
                                             "lower_bound": res.lower_bound, "seconds": res.solve_seconds}}
    build_total, solve_total = deco.build_seconds + build, deco.solve_seconds + res.solve_seconds
    if res.has_solution and res.objective < deco.objective:
        solution, objective = extract(model), res.objective
    else:
        solution, objective = deco.solution, deco.objective
        if res.status == "infeasible":  # the cutoff search found nothing cheaper: proven
            lower = objective
    gap = relative_gap(objective, min(lower, objective))
    status = "optimal" if gap is not None and gap <= opts.gap else (
        "time_limit" if res.status == "time_limit" else "feasible")
    return RunResult(status, "exact", objective, min(lower, objective), gap, build_total, solve_total,
                     certificate="exact" if status == "optimal" else "bounded", details=details,
                     solution=solution, model=model)
