"""The whole job in one function: load → validate → build → solve → extract → measure.

:func:`run` is what ``platform-sc solve`` calls; notebooks call it too. Each stage lives in
its own module; per-stage wall times are kept in ``RunResult.timings``.
"""
from __future__ import annotations

import logging
import time
from dataclasses import fields
from pathlib import Path

from .errors import InputError, Problem, SolveError
from .extract import Solution
from .decomposition import solve_decomposition
from .exact import solve_exact
from .io import Instance, read
from .manufacturing import forced_flows
from .measures import configurations, cost_breakdown, local_content_report, platform_measures
from .rules import has_coupling_rules
from .schema import TABLES
from .sets import Sets
from .monolithic import solve_monolithic
from .result import RunResult, SolveOptions
from .solve import relative_gap
from .uncertainty import TABLE as DEMAND_SCENARIOS, scenario_parts, solve_stochastic
from .validate import validate
from .verify import require_feasible

log = logging.getLogger(__name__)


def solve_auto(S: Sets, opts: SolveOptions) -> RunResult:
    """The exact decomposition when manufacturing is forced; the bound-and-cutoff exact
    method when plants may serve several regions; the full MILP when a rule couples modules;
    the stochastic program when the instance has demand scenarios."""
    if DEMAND_SCENARIOS in S.instance:
        return solve_stochastic(S, opts)
    if has_coupling_rules(S):
        return solve_monolithic(S, opts)
    return (solve_decomposition if forced_flows(S) is not None else solve_exact)(S, opts)


METHODS = {"monolithic": solve_monolithic, "decomposition": solve_decomposition, "exact": solve_exact,
           "stochastic": solve_stochastic, "auto": solve_auto}


def solve_instance(inst: Instance, opts: SolveOptions | None = None) -> RunResult:
    """Validate, solve with the chosen method, verify, and measure one instance."""
    opts = opts or SolveOptions()
    timings = {}
    t = time.perf_counter()
    inst = validate(inst)
    S = Sets(inst)
    timings["validate"] = time.perf_counter() - t
    if opts.method not in METHODS:
        raise ValueError(f"unknown method {opts.method!r} (choose from {', '.join(METHODS)})")
    if DEMAND_SCENARIOS in inst and opts.method not in ("auto", "stochastic"):
        raise InputError([Problem(inst.where(DEMAND_SCENARIOS), None, None, "the instance has demand scenarios: "
                                  f"solve it with method auto or stochastic, not {opts.method}, or remove the "
                                  "table to plan for its nominal demand")])
    result = METHODS[opts.method](S, opts)
    timings["build"], timings["solve"] = result.build_seconds, result.solve_seconds
    if result.solution is None:
        result.timings.update(timings)
        return result
    t = time.perf_counter()
    parts = scenario_parts(S, result.solution)  # one part, probability 1, without demand scenarios
    result.cost_breakdown = {}
    for probability, S_part, solution in parts:
        require_feasible(S_part, solution)
        for term, cost in cost_breakdown(solution).items():
            result.cost_breakdown[term] = result.cost_breakdown.get(term, 0.0) + probability * cost
    recomputed = sum(result.cost_breakdown.values())
    if abs(recomputed - result.objective) > 1e-6 * max(1.0, abs(result.objective)):
        raise SolveError(f"objective {result.objective} differs from the recomputed cost {recomputed}")
    result.objective = recomputed
    result.gap = relative_gap(result.objective, result.lower_bound)
    expected = {m: sum(probability * S_part.demand[m] for probability, S_part, _ in parts) for m in S.segments}
    result.metrics = platform_measures(S, result.solution, demand=expected)
    if "local_content" in inst or "plant_local_content" in inst:
        result.details["local_content"] = local_content_report(S, result.solution).to_dict("records")
    timings["verify_measure"] = time.perf_counter() - t
    result.timings.update(timings)
    return result


def run(source: str | Path | Instance, opts: SolveOptions | None = None, out: str | Path | None = None) -> RunResult:
    """load → validate → build → solve → extract → measure (→ write tables and plot to ``out``)."""
    t = time.perf_counter()
    if out is not None:
        check_output_folder(out)
    inst = source if isinstance(source, Instance) else read(source)
    load = time.perf_counter() - t
    result = solve_instance(inst, opts)
    result.timings = {"load": load, **result.timings}
    if out is not None and result.solution is not None:
        from .network import draw_network  # matplotlib only when a plot is asked for (worker start-up)
        from .plots import save
        t = time.perf_counter()
        result.solution.write(out)
        configurations(result.solution).to_csv(Path(out) / "configurations.csv", lineterminator="\n")
        save(draw_network(inst, result.solution), Path(out) / "network", formats=("png",))
        result.timings["write_plot"] = time.perf_counter() - t
    return result


def check_output_folder(out: str | Path) -> None:
    """Refuse an output folder holding an instance: some solution tables share their names
    with input tables (plants, suppliers, price_breaks) and would overwrite them."""
    solution_tables = {f.name for f in fields(Solution)}
    inputs = sorted(t for t in TABLES if t not in solution_tables and (Path(out) / f"{t}.csv").exists())
    if inputs:
        raise InputError([Problem(str(out), None, None, f"holds an instance ({', '.join(f'{t}.csv' for t in inputs)}): "
                                  "the solution tables would overwrite its plants, suppliers and price_breaks; "
                                  "write them to another folder")])
