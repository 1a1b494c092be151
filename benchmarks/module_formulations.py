"""Benchmark: can extra rows make a hard per-module problem Z''(j) faster? (seventh session)

    python benchmarks/module_formulations.py GG-high-v3000000-s72-devlow-pb4-seed0 interior \
        --variant plain --variant knapsack --time-limit 60

Builds module j's problem at the paper's pre-processed manufacturing configuration of one
``paper_grid_gg.yaml`` point and solves it (one HiGHS thread, gap 2.5e-5, the exact method's
module gap) with the rows of each variant added:

* ``plain``: the model as built;
* ``twins``: symmetry breaking for suppliers with identical data (the two suppliers of a
  region under high capability): sfc[a] ≥ sfc[b] and a ships at least as much as b;
* ``knapsack``: Σ_{k,q} SQ_lo(q)·sqc[s,k,q] ≤ SC_s·sfc[s] (implied by (11) and (13), stated
  on the break binaries so HiGHS can separate covers: a supplier cannot hold two options at
  breaks that together exceed its capacity);
* ``segments``: the quantity at each break split by segment, u[s,m,k,q] ≤ DV_m·sqc[s,k,q],
  Σ_q,s u = DV_m·cpo[m,k], Σ_m u = sqty[s,k,q] (the strong form of facility location
  applied to the break choice).

Prints one line per variant: status, objective, bound, solve seconds. Results:
benchmarks/README.md ("Hard module problems").
"""
from __future__ import annotations

import argparse
import time

import pyomo.environ as pyo

from platform_sc.manufacturing import preprocessed_flows
from platform_sc.model import build_model
from platform_sc.scenarios import instance_for, load_grid, point_id
from platform_sc.sets import Sets
from platform_sc.solve import solve_model
from platform_sc.validate import validate


def _by_supplier(I) -> dict:
    out: dict = {}
    for i in I.STS:
        out.setdefault(i[0], []).append(i)
    return out


def twins(m, S):
    I, groups = m.index, {}
    for s in I.SUPPLIERS:
        key = (S.supplier_module[s], S.supplier_cap[s], S.ssc[s],
               tuple(sorted((k, c) for (t, k), c in S.stc.items() if t == s)),
               tuple(sorted((k, tuple((b.lo, b.hi, b.price) for b in bs)) for (t, k), bs in S.breaks.items()
                            if t == s)),
               tuple(sorted((p, c) for (t, p), c in S.ship.items() if t == s)))
        groups.setdefault(key, []).append(s)
    flows, m.twins = _by_supplier(I), pyo.ConstraintList()
    for g in groups.values():
        for a, b in zip(g, g[1:]):
            m.twins.add(m.sfc[a] >= m.sfc[b])
            m.twins.add(sum(m.sts[i] for i in flows[a]) >= sum(m.sts[i] for i in flows[b]))


def knapsack(m, S):
    I = m.index
    lo = {(s, k, b.q): b.lo for (s, k), bs in S.breaks.items() for b in bs}
    rows: dict = {}
    for i in I.SKQ:
        if lo[i] > 0:
            rows.setdefault(i[0], []).append(i)
    m.break_knapsack = pyo.Constraint(
        list(rows), rule=lambda b, s: sum(lo[i] * b.sqc[i] for i in rows[s]) <= S.supplier_cap[s] * b.sfc[s])


def segments(m, S):
    I, plants_of = m.index, {}
    for p, seg in I.ARCS:
        plants_of.setdefault(seg, set()).add(p)
    U = [(s, seg, k, q) for s, k, q in I.SKQ for seg, kk in I.CPO
         if kk == k and any((s, p) in S.ship for p in plants_of.get(seg, ()))]
    by_skq, by_mk = {}, {}
    for s, seg, k, q in U:
        by_skq.setdefault((s, k, q), []).append(seg)
        by_mk.setdefault((seg, k), []).append((s, q))
    m.u = pyo.Var(U, domain=pyo.NonNegativeReals)
    m.u_total = pyo.Constraint(I.SKQ, rule=lambda b, s, k, q: b.sqty[s, k, q]
                               == sum(b.u[s, g, k, q] for g in by_skq.get((s, k, q), [])))
    m.u_demand = pyo.Constraint(I.CPO, rule=lambda b, g, k: sum(b.u[s, g, k, q] for s, q in by_mk.get((g, k), []))
                                == S.demand[g] * b.cpo[g, k])
    m.u_break = pyo.Constraint(U, rule=lambda b, s, g, k, q: b.u[s, g, k, q] <= S.demand[g] * b.sqc[s, k, q])


VARIANTS = {"plain": lambda m, S: None, "twins": twins, "knapsack": knapsack, "segments": segments}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("point", help="scenario id in scenarios/paper_grid_gg.yaml")
    ap.add_argument("module")
    ap.add_argument("--variant", action="append", choices=sorted(VARIANTS))
    ap.add_argument("--time-limit", type=float, default=60)
    ap.add_argument("--grid", default="scenarios/paper_grid_gg.yaml")
    a = ap.parse_args()
    point = next(p for p in load_grid(a.grid) if point_id(p) == a.point)
    S = Sets(validate(instance_for(point)))
    flows = preprocessed_flows(S)
    for variant in a.variant or ["plain"]:
        t0 = time.perf_counter()
        m = build_model(S, modules=[a.module], manufacturing_scale=1 / len(S.modules), fixed_flows=flows)
        VARIANTS[variant](m, S)
        build = time.perf_counter() - t0
        r = solve_model(m, "highs", a.time_limit, 2.5e-5, 1, False, {})
        print(f"{a.module} {variant:9s} {r.status:10s} objective {r.objective} bound {r.lower_bound} "
              f"build {build:.1f} s solve {r.solve_seconds:.1f} s")


if __name__ == "__main__":
    main()
