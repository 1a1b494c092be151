"""What-if analysis: re-solve one instance with a changed parameter.

Cost multipliers (``development_cost_scale``, ``procurement_cost_scale``, ...) are mutable
Pyomo parameters of the built models (``model.cost_scale``): :class:`WhatIf` builds once
(the per-module problems when the decomposition is exact, else the full model) and only
re-solves. ``demand_scale`` changes the tightened bounds of the formulation (they are
computed from demand), so each value rebuilds from a scaled instance.
"""
from __future__ import annotations

import logging
import time

import pandas as pd

from .decomposition import keep_workers
from .errors import InputError, Problem
from .extract import combine, extract, manufacturing_tables, sourcing_tables
from .io import Instance
from .manufacturing import forced_flows
from .measures import cost_breakdown, platform_measures
from .model import COST_TERMS, build_model
from .pipeline import solve_instance
from .result import SolveOptions
from .rules import has_coupling_rules
from .sets import Sets
from .solve import relative_gap, solve_model
from .uncertainty import TABLE as DEMAND_SCENARIOS, scale_demand
from .validate import validate
from .verify import require_feasible

log = logging.getLogger(__name__)

COST_PARAMS = {f"{t}_cost_scale": t for t in COST_TERMS}
PARAMS = ("demand_scale",) + tuple(COST_PARAMS)


class WhatIf:
    """Build once, re-solve with changed cost multipliers."""

    def __init__(self, instance: Instance, opts: SolveOptions | None = None):
        if DEMAND_SCENARIOS in instance:  # the models here are deterministic: nominal demand only
            raise InputError([Problem(instance.where(DEMAND_SCENARIOS), None, None,
                                      "the instance has demand scenarios: a cost what-if would plan for its "
                                      "nominal demand only; sweep demand_scale, or remove the table")])
        self.opts = opts or SolveOptions()
        self.S = Sets(validate(instance))
        t0 = time.perf_counter()
        self.flows = forced_flows(self.S)
        if self.flows is not None and not has_coupling_rules(self.S):
            scale = 1 / len(self.S.modules)
            self.models = [build_model(self.S, [j], scale, self.flows) for j in self.S.modules]
        else:
            self.flows, self.models = None, [build_model(self.S)]
        self.build_seconds = time.perf_counter() - t0

    def solve(self, **scales: float) -> dict:
        """Set cost multipliers (see :data:`COST_PARAMS`) and re-solve; one tidy row."""
        unknown = set(scales) - set(COST_PARAMS)
        if unknown:
            raise ValueError(f"unknown what-if parameter(s) {sorted(unknown)}; use {', '.join(COST_PARAMS)}")
        factor = {t: 1.0 for t in COST_TERMS}
        factor.update({COST_PARAMS[k]: float(v) for k, v in scales.items()})
        results = []
        for model in self.models:
            for t, f in factor.items():
                model.cost_scale[t] = f
            o = self.opts
            results.append(solve_model(model, o.solver, o.time_limit, o.gap, 1, o.tee, o.solver_options))
        row = {"status": "optimal" if all(r.status == "optimal" for r in results) else
               next(r.status for r in results if r.status != "optimal"),
               "solve_seconds": sum(r.solve_seconds for r in results)}
        if not all(r.has_solution for r in results):
            return row
        if self.flows is None:
            solution = extract(self.models[0])
        else:
            solution = combine([sourcing_tables(m) for m in self.models], *manufacturing_tables(self.S, self.flows))
        require_feasible(self.S, solution)
        costs = {t: factor[t] * v for t, v in cost_breakdown(solution).items()}
        objective = sum(costs.values())
        bound = sum(r.lower_bound for r in results) if all(r.lower_bound is not None for r in results) else None
        row.update(objective=objective, lower_bound=bound, gap=relative_gap(objective, bound),
                   **{f"cost_{t}": v for t, v in costs.items()}, **platform_measures(self.S, solution))
        return row


def sweep(instance: Instance, param: str, values, opts: SolveOptions | None = None) -> pd.DataFrame:
    """Solve ``instance`` for each value of ``param``; one row per value."""
    if param not in PARAMS:
        raise ValueError(f"unknown parameter {param!r}; choose from {', '.join(PARAMS)}")
    opts = opts or SolveOptions()
    rows = []
    whatif = None if param == "demand_scale" else WhatIf(instance, opts)
    with keep_workers(opts.workers):  # the solves of demand_scale share their module processes
        for v in values:
            if whatif is not None:
                row = whatif.solve(**{param: v})
            else:
                try:
                    res = solve_instance(scale_demand(instance, v), opts)
                except InputError as exc:  # e.g. demand beyond capacity: reported, not fatal
                    rows.append({param: v, "status": "invalid", "error": str(exc)})
                    continue
                row = {"status": res.status, "objective": res.objective, "lower_bound": res.lower_bound,
                       "gap": res.gap, "solve_seconds": res.solve_seconds,
                       **{f"cost_{t}": c for t, c in (res.cost_breakdown or {}).items()}, **(res.metrics or {})}
            rows.append({param: v, **row})
            log.info("%s = %s: %s %s", param, v, row.get("status"), row.get("objective"))
    return pd.DataFrame(rows)
