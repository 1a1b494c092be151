"""The manufacturing configuration: which plants are set up and which serve which segments.

When every segment has one allowed plant (LL, LG, CC, CG) the configuration is forced.
Otherwise the paper pre-processes it from plant setup and finished-product costs alone::

    min Σ_p MSC_p·mps_p + Σ_(p,m) MUC_mp·fin[p,m]
    s.t. Σ_p fin[p,m] = DV_m;  Σ_m fin[p,m] ≤ MC_p·mps_p;  fin[p,m] ≤ min(DV_m, MC_p)·mps_p
"""
from __future__ import annotations

import pyomo.environ as pyo

from .errors import SolveError
from .rules import rule_table
from .sets import Sets
from .solve import solve_model


def forced_flows(S: Sets) -> dict[tuple[str, str], float] | None:
    """{(plant, segment): DV_m} when every segment has exactly one allowed plant, else None."""
    if any(len(S.plants_of[m]) != 1 for m in S.segments):
        return None
    return {(S.plants_of[m][0], m): float(S.demand[m]) for m in S.segments}


def preprocessed_flows(S: Sets, solver: str = "highs", time_limit: float | None = None,
                       gap: float = 1e-9) -> dict[tuple[str, str], float]:
    """The paper's pre-processed configuration (a small MILP; see module docstring)."""
    m = pyo.ConcreteModel()
    arcs = list(S.muc)
    m.mps = pyo.Var(S.plants, domain=pyo.Binary)
    m.fin = pyo.Var(arcs, domain=pyo.NonNegativeReals)
    m.demand = pyo.Constraint(S.segments, rule=lambda b, seg: sum(b.fin[p, seg] for p in S.plants_of[seg])
                              == S.demand[seg])
    m.capacity = pyo.Constraint(S.plants, rule=lambda b, p: sum(b.fin[a] for a in arcs if a[0] == p)
                                <= S.plant_cap[p] * b.mps[p])
    m.open_link = pyo.Constraint(arcs, rule=lambda b, p, seg: b.fin[p, seg] <= S.arc_bound(p, seg) * b.mps[p])
    m.total_cost = pyo.Objective(expr=sum(S.plant_setup[p] * m.mps[p] for p in S.plants)
                                 + sum(S.muc[a] * m.fin[a] for a in arcs))
    for r in rule_table(S, "plant_rules"):
        m.mps[r["plant"]].fix(1 if r["status"] == "open" else 0)
    res = solve_model(m, solver, time_limit, gap)
    if not res.has_solution:
        raise SolveError(f"manufacturing pre-processing found no solution ({res.status})")
    return {a: m.fin[a].value for a in arcs if (m.fin[a].value or 0) > 1e-6}


def manufacturing_cost(S: Sets, flows: dict) -> float:
    """Plant setup plus finished-product cost of a configuration."""
    plants = {p for p, _ in flows}
    return sum(S.plant_setup[p] for p in plants) + sum(S.muc[a] * u for a, u in flows.items())
