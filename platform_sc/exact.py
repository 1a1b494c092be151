"""Exact solve when plants may serve several regions (GG and user data alike; spec §10).

The paper fixes the manufacturing configuration first, so there its decomposition is only a
heuristic. ``auto`` closes the question in up to four steps, each only if the previous did
not prove optimality within ``gap``:

1. Decomposition with the subproblems solved to ``gap / 4`` (relative gaps of a sum are at
   most the largest, so the subproblem gaps cost at most half of ``gap``): the pre-processed
   configuration gives an upper bound (a feasible, re-checked solution) and the
   freight-exchange bound (:mod:`platform_sc.manufacturing`, one small MILP) a lower bound.
   They meet when no other configuration could pay for itself even if every unit moved off
   the pre-processed plants saved the largest freight difference. When a module problem is
   infeasible there (plants chosen by cost whose suppliers lack the capacity), the full
   MILP is solved instead: the configuration is infeasible, the instance need not be.
2. Enumeration of the sets of set-up plants O (at most 2^6 − 1): every configuration sets up
   exactly one O, so Z* ≥ min_O LB_O. LB_O is first the exchange bound restricted to O; an O
   it cannot prune gets its own decomposition (its pre-processed configuration, a new upper
   bound) and its own restricted exchange bound, then if need be the Theorem 2.1 bound with
   exactly O set up, raised by Lagrangian agreement of the modules within O
   (:mod:`platform_sc.lagrangian`), whose iterations also decompose at the configurations
   the modules choose (new upper bounds). This is what proves the low-volume GG instances,
   where closing a plant is tempting.
3. The per-module problems with free manufacturing (Theorem 2.1 bound), which meet the upper
   bound when the plants every module would choose agree. Skipped when step 2 bounded every
   set O: Theorem 2.1 over all configurations is then at most min_O LB_O (each LB_O is the
   Theorem 2.1 bound within O, or already proves the incumbent).
4. The full MILP (restricted to the one set of set-up plants the enumeration left open, if
   only one is), with the decomposition's objective as a cutoff (HiGHS
   ``objective_bound``: nodes that cannot beat it are pruned), for the remaining time. Its
   solution replaces the decomposed one only if cheaper; the lower bound reported is the
   larger of the two proven bounds. A cutoff solve that ends ``infeasible`` proves that
   nothing beats the decomposed solution.
"""
from __future__ import annotations

import logging
import time
from dataclasses import replace
from itertools import combinations

from .decomposition import (decompose_at, fixed_seconds, out_of_time, shared_workers, solve_decomposition,
                            theorem_21_bound, time_left)
from .extract import extract
from .lagrangian import agree_within, keeping_incumbents
from .manufacturing import exchange_bound, preprocessed_flows
from .model import build_model
from .monolithic import solve_monolithic
from .result import RunResult, SolveOptions, certificate_of
from .sets import Sets
from .solve import largest_bound, relative_gap, solve_model

log = logging.getLogger(__name__)


MAX_PLANTS_ENUMERATED = 6


def _flows(res: RunResult) -> dict:
    return {(r.plant, r.segment): r.units for r in res.solution.assembly.itertuples()}


def _plant_sets(S: Sets, opts, deco: RunResult, deadline: float | None) -> tuple[RunResult, float | None, float]:
    """Step 2 (module docstring): the best decomposition over plant sets, min_O LB_O (None
    when not every set could be bounded, e.g. out of time), and the build seconds spent."""
    if len(S.plants) > MAX_PLANTS_ENUMERATED or deco.details["bounds"]["sourcing"] is None:
        return deco, None, 0.0
    best, rows, built = deco, [], 0.0
    for n in range(1, len(S.plants) + 1):
        for plants in combinations(S.plants, n):
            row, res, spent = _bound_plant_set(S, opts, deco, frozenset(plants), best.objective, deadline)
            built += spent
            if res is not None and res.solution is not None and res.objective < best.objective:
                best = res  # even when O could not be bounded: a better incumbent is kept
            if row is None:
                return best, None, built
            log.info("plant set %s: lower bound %s, decomposed objective %s", row["plants"], row["lower_bound"],
                     row["objective"])
            rows.append(row)
    best.details["plant_sets"] = rows
    return best, min(r["lower_bound"] for r in rows), built


def _bound_plant_set(S: Sets, opts, deco: RunResult, O: frozenset, incumbent: float, deadline: float | None):
    """LB_O for the configurations setting up exactly the plants O, each step only while
    it does not prove ``incumbent``: the exchange bound with the pre-processed reference;
    O's own decomposition (a new upper bound) and exchange bound; Theorem 2.1 within O.
    Returns (row, O's decomposition or None, build seconds); row is None when O could not
    be bounded (a bound that does not apply, or out of time), O's decomposition then still
    returned if it was solved."""
    sub = replace(opts, gap=opts.gap / 4)  # the problems are solved to gap / 4, O pruned at gap
    ref, sourcing = _flows(deco), deco.details["bounds"]["sourcing"]
    lb = exchange_bound(S, ref, sourcing, opts.solver, open_set=O, time_limit=time_left(deadline))
    if lb is None:
        return None, None, 0.0
    row = {"plants": sorted(O), "exchange_bound": lb, "objective": None}
    res, built = None, 0.0
    if lb < incumbent * (1 - opts.gap) and out_of_time(deadline):
        return None, None, built
    if lb < incumbent * (1 - opts.gap) and O != frozenset(p for p, _ in ref):
        res = decompose_at(S, sub, preprocessed_flows(S, opts.solver, time_left(deadline), open_set=O), deadline,
                           expected=fixed_seconds(deco))
        built += res.build_seconds
        src = res.details["bounds"]["sourcing"]
        if res.solution is None or src is None:
            return None, res, built
        own = exchange_bound(S, _flows(res), src, opts.solver, open_set=O, time_limit=time_left(deadline))
        lb = max(lb, own if own is not None else lb)
        row.update(objective=res.objective, exchange_bound=lb)
        incumbent = min(incumbent, res.objective)
    if lb < incumbent * (1 - opts.gap) and out_of_time(deadline):
        return None, res, built
    parts = []
    if lb < incumbent * (1 - opts.gap):
        thm21, parts = theorem_21_bound(S, keeping_incumbents(sub), deadline, open_set=O, like=res or deco)  # within O
        built += sum(r.build_seconds for r in parts)
        row["theorem_2_1"] = thm21
        lb = max(lb, thm21 if thm21 is not None else lb)
    if lb < incumbent * (1 - opts.gap) and parts:
        agreed = agree_within(S, sub, O, parts, incumbent, opts.gap, deadline,
                              fixed_seconds=fixed_seconds(res or deco))
        built += agreed.build_seconds
        lb = max(lb, agreed.bound)
        row["lagrangian"] = agreed.iterations
        if agreed.best is not None:
            res = agreed.best
            row.update(objective=res.objective, configuration_of=res.details["configuration_of"])
    row["lower_bound"] = lb
    return row, res, built


def _open_set_left(res: RunResult, gap: float) -> tuple[frozenset | None, float, float]:
    """After a complete enumeration: the one set of set-up plants whose bound does not yet
    prove ``res`` (else None), its bound, and the least bound of all other sets."""
    rows = res.details.get("plant_sets") or []
    left = [r for r in rows if r["lower_bound"] < res.objective * (1 - gap)]
    if len(left) != 1:
        return None, float("-inf"), float("-inf")
    others = min((r["lower_bound"] for r in rows if r is not left[0]), default=float("inf"))
    return frozenset(left[0]["plants"]), left[0]["lower_bound"], others


def _proven(res: RunResult, gap: float) -> bool:
    """Every lower bound here is proven, and ``res`` is a feasible solution (re-checked by the
    pipeline), even when its module problems stopped at their first solution."""
    return res.gap is not None and res.gap <= gap


def _raise_bound(res: RunResult, bound: float | None) -> None:
    if bound is not None and (res.lower_bound is None or bound > res.lower_bound):
        res.lower_bound = min(bound, res.objective)
        res.gap = relative_gap(res.objective, res.lower_bound)


def solve_exact(S: Sets, opts: SolveOptions) -> RunResult:
    """Proven optimum (within ``opts.gap``) when time allows; else the best bound pair.
    With ``opts.workers`` > 1 the module problems share processes started once."""
    with shared_workers(S, opts.workers):
        return _solve_exact(S, opts)


def _solve_exact(S: Sets, opts: SolveOptions) -> RunResult:
    t0 = time.perf_counter()
    deadline = None if opts.time_limit is None else t0 + opts.time_limit
    sub = replace(opts, gap=opts.gap / 4)
    deco = solve_decomposition(S, sub, theorem_21=False)
    deco.method = "exact"
    if deco.solution is None and deco.status == "infeasible" and not out_of_time(deadline):
        # plant costs alone chose plants some module's suppliers cannot supply in full
        # (capacity): that configuration is infeasible, the instance need not be
        log.warning("exact: the pre-processed configuration cannot be sourced; solving the full MILP")
        full = solve_monolithic(S, replace(opts, time_limit=time_left(deadline)))
        full.method, full.details["decomposition"] = "exact", {"status": deco.status}
        full.build_seconds += deco.build_seconds
        full.solve_seconds = time.perf_counter() - t0 - full.build_seconds
        return full
    if deco.solution is None:
        return deco
    built = deco.build_seconds
    paper = {"objective": deco.objective, "lower_bound": deco.lower_bound}
    if not _proven(deco, opts.gap):
        best, lower, more = _plant_sets(S, opts, deco, deadline)
        built += more
        _raise_bound(best, deco.lower_bound)  # exchange bounds hold whatever their reference
        _raise_bound(best, lower)
        deco = best
    if not _proven(deco, opts.gap) and "plant_sets" not in deco.details and not out_of_time(deadline):
        thm21, bounds = theorem_21_bound(S, sub, deadline, like=deco)
        built += sum(r.build_seconds for r in bounds)
        deco.details["bounds"]["theorem_2_1"] = thm21
        deco.details["modules"] += [r.row() for r in bounds]
        _raise_bound(deco, thm21)
    deco.method, deco.details["decomposition"] = "exact", paper
    deco.build_seconds, deco.solve_seconds = built, time.perf_counter() - t0 - built
    if _proven(deco, opts.gap) or out_of_time(deadline):
        deco.status = "optimal" if _proven(deco, opts.gap) else "time_limit"
        deco.certificate = certificate_of(deco.status, deco.lower_bound)
        return deco
    log.info("exact: bounds leave gap %s; full MILP with cutoff %s", deco.gap, deco.objective)
    left = time_left(deadline)
    t1 = time.perf_counter()
    # if every other set of set-up plants is already bounded above, search only this one
    open_set, open_bound, others = _open_set_left(deco, opts.gap)
    model = build_model(S, open_set=open_set)
    build = time.perf_counter() - t1
    options = dict(opts.solver_options)
    if opts.solver == "highs":
        options["objective_bound"] = deco.objective
    res = solve_model(model, opts.solver, left, opts.gap, opts.threads, opts.tee, options)
    if open_set is None:
        lower = largest_bound(deco.lower_bound, res.lower_bound)
    else:  # the MILP bounds the remaining set; the others keep their enumeration bounds
        within = deco.objective if res.status == "infeasible" else largest_bound(open_bound, res.lower_bound)
        lower = largest_bound(deco.lower_bound, min(others, within))
    details = {**deco.details, "monolithic": {"status": res.status, "objective": res.objective,
                                             "lower_bound": res.lower_bound, "seconds": res.solve_seconds,
                                             "plants_set_up": sorted(open_set) if open_set else None}}
    build_total, solve_total = deco.build_seconds + build, deco.solve_seconds + res.solve_seconds
    if res.has_solution and res.objective < deco.objective:
        solution, objective = extract(model), res.objective
    else:
        solution, objective = deco.solution, deco.objective
        if res.status == "infeasible" and open_set is None:  # nothing cheaper anywhere: proven
            lower = objective
    lower = None if lower is None else min(lower, objective)
    gap = relative_gap(objective, lower)
    status = "optimal" if gap is not None and gap <= opts.gap else (
        "time_limit" if res.status == "time_limit" else "feasible")
    return RunResult(status, "exact", objective, lower, gap, build_total, solve_total,
                     certificate=certificate_of(status, lower), details=details, solution=solution, model=model)
