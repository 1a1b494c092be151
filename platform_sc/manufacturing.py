"""The manufacturing configuration: which plants are set up and which serve which segments.

When every segment has one allowed plant (LL, LG, CC, CG) the configuration is forced.
Otherwise the paper pre-processes it from plant setup and finished-product costs alone::

    min Σ_p MSC_p·mps_p + Σ_(p,m) MUC_mp·fin[p,m]
    s.t. Σ_p fin[p,m] = DV_m;  Σ_m fin[p,m] ≤ MC_p·mps_p;  fin[p,m] ≤ min(DV_m, MC_p)·mps_p

Freight-exchange bound (ours). Plants differ for the supply side only in freight: take any
solution with configuration C and move each module unit assembled at p' to the plant p of a
reference configuration R (the pre-processed one) for its segment, from the same supplier.
Quantities per supplier and option, hence breaks, tooling and selection, are unchanged, so
the sourcing cost changes by at most F_m(p') per unit of segment m moved from p', where
F_m(p') = Σ_j max over suppliers s of j shipping to p' and plants p of R(m) other than p' of
(SHIP_sp − SHIP_sp')⁺. Hence, with SRC*_R the optimal sourcing cost under R,

    Z* ≥ SRC*_R + min_C [ Σ_p MSC_p·mps_p + Σ_(p,m) (MUC_mp − F_m(p))·fin[p,m] ]

(the pre-processing MILP with reduced unit costs). Valid when every supplier shipping to p'
can also ship to the plants of R(m). It proves R optimal when no configuration beats R
once each non-reference unit is credited its largest possible freight saving.
"""
from __future__ import annotations

import pyomo.environ as pyo

from .errors import SolveError
from .model import no_flow_on_unservable_arcs
from .rules import forced_open, rule_table
from .sets import Sets
from .solve import solve_model


def forced_flows(S: Sets) -> dict[tuple[str, str], float] | None:
    """{(plant, segment): DV_m} when every segment has exactly one allowed plant, else None."""
    if any(len(S.plants_of[m]) != 1 for m in S.segments):
        return None
    return {(S.plants_of[m][0], m): float(S.demand[m]) for m in S.segments}


def _configuration_model(S: Sets, unit_cost: dict, open_set=None) -> pyo.ConcreteModel | None:
    """min setup + Σ unit_cost·fin over configurations (see module docstring), those whose
    set-up plants are exactly ``open_set`` if given (None if the plant rules forbid it)."""
    forced = {r["plant"]: r["status"] == "open" for r in rule_table(S, "plant_rules")}
    if open_set is not None and any((p in open_set) != is_open for p, is_open in forced.items()):
        return None
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
                                 + sum(unit_cost[a] * m.fin[a] for a in arcs))
    fixed = forced if open_set is None else {p: p in open_set for p in S.plants}
    for p, is_open in fixed.items():
        m.mps[p].fix(1 if is_open else 0)
    no_flow_on_unservable_arcs(m, S, arcs)  # plant costs alone could pick one: Z''(j) infeasible
    return m


def preprocessed_flows(S: Sets, solver: str = "highs", time_limit: float | None = None,
                       gap: float = 1e-9, open_set=None) -> dict[tuple[str, str], float]:
    """The paper's pre-processed configuration (a small MILP; see module docstring),
    optionally among those with set-up plants ``open_set``."""
    m = _configuration_model(S, S.muc, open_set)
    res = solve_model(m, solver, time_limit, gap) if m is not None else None
    if res is None or not res.has_solution:
        raise SolveError(f"manufacturing pre-processing found no solution ({res.status if res else 'plant rules'})")
    return {a: m.fin[a].value for a in m.fin if (m.fin[a].value or 0) > 1e-6}


def freight_credit(S: Sets, reference: dict) -> dict[tuple[str, str], float] | None:
    """F_m(p) per arc (module docstring), or None when some supplier shipping to p cannot
    ship to a reference plant of m (the bound does not hold then)."""
    ref_plants: dict[str, set] = {}
    for p, seg in reference:
        ref_plants.setdefault(seg, set()).add(p)
    reach: dict[tuple[str, str], list] = {}  # (plant, module) -> suppliers shipping there
    for s, p in S.ship:
        reach.setdefault((p, S.supplier_module[s]), []).append(s)
    credit = {}
    for p2, seg in S.muc:
        total = 0.0
        for j in S.modules:
            best = 0.0
            for p in ref_plants.get(seg, set()) - {p2}:  # a segment without demand moves nothing
                for s in reach.get((p2, j), []):
                    if (s, p) not in S.ship:
                        return None
                    best = max(best, S.ship[s, p] - S.ship[s, p2])
            total += best
        credit[p2, seg] = total
    return credit


def exchange_bound(S: Sets, reference: dict, sourcing_bound: float, solver: str = "highs",
                   open_set=None, time_limit: float | None = None) -> float | None:
    """Z* ≥ sourcing_bound + min over configurations of setup + Σ (MUC − F)·fin, with
    ``sourcing_bound`` ≤ SRC*_R (module docstring); None when the bound does not apply.
    With ``open_set``: the bound over configurations setting up exactly those plants
    (+inf when there are none). A time-limited solve gives its proven bound."""
    credit = freight_credit(S, reference)
    if credit is None:
        return None
    m = _configuration_model(S, {a: S.muc[a] - credit[a] for a in S.muc}, open_set)
    if m is None:
        return float("inf")
    res = solve_model(m, solver, time_limit, 1e-9)
    if res.status == "infeasible":
        return float("inf")
    return None if res.lower_bound is None else sourcing_bound + res.lower_bound


def manufacturing_cost(S: Sets, flows: dict) -> float:
    """Plant setup (plants with flows, and those plant_rules sets up) plus finished-product
    cost of a configuration."""
    plants = {p for p, _ in flows} | forced_open(S)
    return sum(S.plant_setup[p] for p in plants) + sum(S.muc[a] * u for a, u in flows.items())
