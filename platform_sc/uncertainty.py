"""Demand uncertainty (beyond the paper, spec §10): one platform and supply base for several
demand scenarios.

A two-stage stochastic program in extensive form. First stage, decided before demand is
known: options developed ada, product configurations cpo, plants set up mps, suppliers
selected sfc, tooling sft. Second stage, per demand scenario ω (probability π_ω): finished
and supplier flows and the price breaks they reach::

    min Σ_ω π_ω · Z_ω(first stage, flows_ω)     s.t. (2)–(13) for every ω with demand DV^ω

Z_ω is (1) at scenario ω's demand; first-stage costs are the same in every ω, so they count
once (Σ π = 1). Built from one copy of the deterministic model per scenario (a Pyomo block
each) plus non-anticipativity rows x_ω = x_1 for the first-stage variables.

Input: the optional table ``demand_scenarios.csv`` (``scenario,probability,region,
demand_scale``): in scenario ω every segment of ``region`` has its demand multiplied by
``demand_scale`` (regions not listed keep theirs). Also reported: the wait-and-see value
Σ π_ω Z*_ω (each scenario planned alone; None unless every such solve is proven optimal,
its lower bound ``wait_and_see_bound`` always) and EVPI = Z_stoch − wait-and-see, the most a
perfect demand forecast is worth (as the range [evpi_low, evpi_high] the bounds prove). That
is one more solve per scenario, sharing what is left of the time limit;
``SolveOptions.wait_and_see = False`` (``--no-wait-and-see``) skips it. Probabilities are
normalised to sum to exactly 1 (validation allows 1e-6 off).
"""
from __future__ import annotations

import logging
import time
import weakref
from dataclasses import dataclass, replace

import pandas as pd
import pyomo.environ as pyo

from .errors import InputError, Problem
from .extract import Solution, extract
from .io import Instance
from .model import build_model
from .result import RunResult, SolveOptions, certificate_of
from .sets import Sets
from .solve import solve_model

log = logging.getLogger(__name__)

TABLE = "demand_scenarios"
FIRST_STAGE = ("ada", "cpo", "mps", "sfc", "sft")
SECOND_STAGE_TABLES = ("assembly", "procurement", "price_breaks")


def scale_demand(instance: Instance, factor: float | dict[str, float]) -> Instance:
    """A copy with segment demand multiplied by ``factor`` (one number, or per region)."""
    seg = instance["segments"].copy()
    by_region = seg["region"].map(factor).fillna(1.0) if isinstance(factor, dict) else factor
    seg["demand"] = pd.to_numeric(seg["demand"]) * by_region
    return instance.replace(segments=seg)


@dataclass
class DemandScenario:
    name: str
    probability: float
    sets: Sets


_SCENARIOS: "weakref.WeakKeyDictionary[Sets, list[DemandScenario]]" = weakref.WeakKeyDictionary()


def demand_scenarios(S: Sets) -> list[DemandScenario]:
    """The scenarios of a validated instance, each validated with its own demand (capacity
    problems are reported naming the scenario). Computed once per ``S``: the method and the
    pipeline's verification share them."""
    if S not in _SCENARIOS:
        _SCENARIOS[S] = _scaled_scenarios(S)
    return _SCENARIOS[S]


def _scaled_scenarios(S: Sets) -> list[DemandScenario]:
    from .validate import validate  # validate checks this module's table: import late
    table = S.instance[TABLE]
    base = Instance({t: f for t, f in S.instance.tables.items() if t != TABLE}, S.instance.name,
                    dict(S.instance.source), S.instance.row_offset, dict(S.instance.lines))
    # validation accepts a sum within 1e-6 of 1; first-stage costs count Σπ times, so make it 1
    total = table.groupby("scenario", sort=False)["probability"].first().sum()
    out = []
    for name, rows in table.groupby("scenario", sort=False):
        try:
            scaled = validate(scale_demand(base, dict(zip(rows["region"], rows["demand_scale"]))))
        except InputError as exc:
            raise InputError([Problem(p.source, p.row, p.column, f"in demand scenario {name!r}: {p.message}")
                              for p in exc.problems]) from None
        out.append(DemandScenario(str(name), float(rows["probability"].iloc[0] / total), Sets(scaled)))
    return out


def build_extensive_form(scenarios: list[DemandScenario]) -> pyo.ConcreteModel:
    """One block per scenario (the deterministic model), first-stage variables linked."""
    m = pyo.ConcreteModel(name="platform_sc_stochastic")
    blocks = []
    for i, sc in enumerate(scenarios):
        block = build_model(sc.sets)
        block.total_cost.deactivate()
        m.add_component(f"scenario_{i}", block)
        blocks.append(block)
    first = blocks[0]
    for i, block in enumerate(blocks[1:], start=1):
        for name in FIRST_STAGE:
            var, ref = getattr(block, name), getattr(first, name)
            keys = list(var.keys())
            m.add_component(f"nonanticipativity_{name}_{i}", pyo.Constraint(
                range(len(keys)), rule=lambda _, n, var=var, ref=ref, keys=keys: var[keys[n]] == ref[keys[n]]))
    m.blocks = blocks
    m.total_cost = pyo.Objective(expr=sum(sc.probability * b.total_cost.expr for sc, b in zip(scenarios, blocks)))
    return m


def combine_scenarios(names: list[str], solutions: list[Solution]) -> Solution:
    """First-stage tables of the first scenario, plants of all; second-stage tables stacked
    with a ``scenario`` column. Each scenario lists the plants its flows use and those paid
    for: a plant set up at no cost is missing from the scenarios where it is idle."""
    first = solutions[0].tables()
    plants = pd.concat([s.plants for s in solutions], ignore_index=True)
    first["plants"] = plants.drop_duplicates("plant").sort_values("plant", ignore_index=True)
    for t in SECOND_STAGE_TABLES:
        first[t] = pd.concat([s.tables()[t].assign(scenario=n) for n, s in zip(names, solutions)], ignore_index=True)
    return Solution(**first)


def scenario_name(solution: Solution, name: str | None = None) -> str | None:
    """``name``, or the first demand scenario of ``solution``; None without scenarios."""
    if "scenario" not in solution.assembly.columns:
        return None
    return solution.assembly["scenario"].iloc[0] if name is None else name


def scenario_view(solution: Solution, name: str | None = None) -> Solution:
    """The solution of one demand scenario (default: the first); unchanged without scenarios."""
    name = scenario_name(solution, name)
    if name is None:
        return solution
    tables = solution.tables()
    for t in SECOND_STAGE_TABLES:
        frame = tables[t]
        tables[t] = frame[frame["scenario"] == name].drop(columns="scenario").reset_index(drop=True)
    return Solution(**tables)


def scenario_parts(S: Sets, solution: Solution) -> list[tuple[float, Sets, Solution]]:
    """(probability, sets, solution) per demand scenario; [(1, S, solution)] without scenarios."""
    if "scenario" not in solution.assembly.columns:
        return [(1.0, S, solution)]
    return [(sc.probability, sc.sets, scenario_view(solution, sc.name)) for sc in demand_scenarios(S)]


def solve_stochastic(S: Sets, opts: SolveOptions) -> RunResult:
    """Solve the extensive form (module docstring); details per scenario and EVPI."""
    if TABLE not in S.instance:
        raise InputError([Problem(S.instance.where(TABLE), None, None, f"method 'stochastic' needs the {TABLE} "
                                  "table (scenario,probability,region,demand_scale)")])
    t0 = time.perf_counter()
    scenarios = demand_scenarios(S)
    model = build_extensive_form(scenarios)
    log.info("extensive form: %d demand scenarios, %d variables", len(scenarios), model.nvariables())
    build = time.perf_counter() - t0
    res = solve_model(model, opts.solver, opts.time_limit, opts.gap, opts.threads, opts.tee, opts.solver_options)
    details = {"scenarios": [{"scenario": sc.name, "probability": sc.probability,
                              "demand": sum(sc.sets.demand.values())} for sc in scenarios]}
    solution = None
    if res.has_solution:
        solution = combine_scenarios([sc.name for sc in scenarios], [extract(b) for b in model.blocks])
        for row, b in zip(details["scenarios"], model.blocks):
            row["cost"] = pyo.value(b.total_cost.expr)
        if opts.wait_and_see:
            deadline = None if opts.time_limit is None else t0 + opts.time_limit
            details.update(_wait_and_see(scenarios, opts, res, deadline, details["scenarios"]))
    return RunResult(res.status, "stochastic", res.objective, res.lower_bound, res.gap, build,
                     time.perf_counter() - t0 - build, certificate=certificate_of(res.status, res.lower_bound),
                     details=details, solution=solution, model=model)


def _wait_and_see(scenarios: list[DemandScenario], opts: SolveOptions, res, deadline: float | None,
                  rows: list[dict]) -> dict:
    """Σ π_ω Z*_ω, each scenario planned alone, and the range EVPI is proven to lie in. The
    scenario solves share what is left of the time limit, each an equal part of what the
    previous ones leave (None values when it runs out). The value is reported only when every
    solve is proven optimal, its lower bound always; ``rows`` get each solve's status, cost
    and bound."""
    from .pipeline import solve_auto  # the best method for each deterministic scenario
    alone = []
    for i, sc in enumerate(scenarios):
        left = None if deadline is None else deadline - time.perf_counter()
        if left is not None and left < 1.0:
            log.warning("no time left for the wait-and-see solves; EVPI not reported")
            return {"wait_and_see": None}
        share = None if left is None else left / (len(scenarios) - i)
        alone.append(solve_auto(sc.sets, replace(opts, time_limit=share)))
    for row, r in zip(rows, alone):
        row.update(alone_status=r.status, alone_cost=r.objective, alone_bound=r.lower_bound)
    if any(r.objective is None or r.lower_bound is None for r in alone) or res.lower_bound is None:
        return {"wait_and_see": None}
    ws = sum(sc.probability * r.objective for sc, r in zip(scenarios, alone))
    ws_bound = sum(sc.probability * r.lower_bound for sc, r in zip(scenarios, alone))
    proven = all(r.status == "optimal" for r in alone)
    if not proven:
        log.warning("a wait-and-see solve was not proven optimal: only the bound %g is reported", ws_bound)
    return {"wait_and_see": ws if proven else None, "wait_and_see_bound": ws_bound,
            "evpi_low": max(0.0, res.lower_bound - ws), "evpi_high": max(0.0, res.objective - ws_bound)}
