"""Rules beyond the paper (spec §10): local content, forced plants and suppliers, supplier
counts and single sourcing. Each is read from an optional table (see schema.py); each
constraint family below is added by :func:`platform_sc.model.build_model` when its table
is present.

Local content, for a region r with share a (products sold in r = segments M(r))::

    units: Σ_{s in r} Σ_{p, m∈M(r), k} sts[s,p,m,k] ≥ a · Σ_s Σ_{p, m∈M(r), k} sts[s,p,m,k]
    cost:  the same with each unit weighted by its list price (break 0) + freight s→p

and per plant p (table plant_local_content: the parts p assembles, r the plant's region)::

    units: Σ_{s in r} Σ_{m, k} sts[s,p,m,k] ≥ a · Σ_s Σ_{m, k} sts[s,p,m,k]

The cost basis uses the list price: the all-units discount price depends on the total
bought from a supplier, which would make the share nonlinear. The rules sum over all
modules, so they couple the per-module problems: the decomposition refuses them. The
regional rule needs to know where units are sold, so supplier flows by segment.
"""
from __future__ import annotations

import pyomo.environ as pyo

from .sets import Sets


def rule_table(S: Sets, name: str):
    """The rows of an optional rules table as dicts ([] when absent)."""
    t = S.instance.tables.get(name)
    return [] if t is None else t.to_dict("records")


def forced_open(S: Sets) -> set[str]:
    """Plants plant_rules sets up: set up (and their setup paid) even when they assemble
    nothing, in every method."""
    return {r["plant"] for r in rule_table(S, "plant_rules") if r["status"] == "open"}


def _active(S: Sets, table: str) -> list[dict]:
    return [r for r in rule_table(S, table) if r["min_share"] > 0]


def needs_segment_flows(S: Sets) -> bool:
    """A regional local-content rule needs to know where each unit is sold."""
    return bool(_active(S, "local_content"))


def has_coupling_rules(S: Sets) -> bool:
    """Rules that link modules (only the full model handles them)."""
    return needs_segment_flows(S) or bool(_active(S, "plant_local_content"))


def _local_share(S: Sets, b, flows, region: str, row: dict):
    """Σ over ``flows`` from suppliers in ``region`` ≥ min_share · Σ over ``flows``."""
    def weight(i):
        s, p, k = i[0], i[1], i[-1]
        return 1.0 if row["basis"] == "units" else S.breaks[s, k][0].price + S.ship[s, p]
    total = sum(weight(i) * b.sts[i] for i in flows)
    local = sum(weight(i) * b.sts[i] for i in flows if S.supplier_region[i[0]] == region)
    return local >= row["min_share"] * total


def local_content(m, S, I):
    """Local-content share per region of sale (module docstring)."""
    rows = {r["region"]: r for r in _active(S, "local_content")}
    m.local_content = pyo.Constraint(list(rows), rule=lambda b, region: _local_share(
        S, b, [i for i in I.STS if S.segment_region[i[2]] == region], region, rows[region]))


def plant_local_content(m, S, I):
    """Local-content share per assembly plant (module docstring)."""
    rows = {r["plant"]: r for r in _active(S, "plant_local_content") if r["plant"] in I.PLANTS}
    m.plant_local_content = pyo.Constraint(list(rows), rule=lambda b, p: _local_share(
        S, b, [i for i in I.STS if i[1] == p], S.plant_region[p], rows[p]))


def forced_plants(m, S, I):
    """plant_rules: mps[p] fixed to 1 (open) or 0 (closed)."""
    for r in rule_table(S, "plant_rules"):
        if r["plant"] in m.mps and not m.mps[r["plant"]].fixed:
            m.mps[r["plant"]].fix(1 if r["status"] == "open" else 0)


def forced_suppliers(m, S, I):
    """supplier_rules: sfc[s] fixed to 1 (selected) or 0 (excluded)."""
    for r in rule_table(S, "supplier_rules"):
        if r["supplier"] in m.sfc:
            m.sfc[r["supplier"]].fix(1 if r["status"] == "selected" else 0)


def supplier_count(m, S, I):
    """module_rules: min_suppliers ≤ Σ_{s∈S(j)} sfc[s] ≤ max_suppliers; with single_sourcing,
    Σ_s sft[s,k] ≤ 1 for every option k of the module."""
    rows = {r["module"]: r for r in rule_table(S, "module_rules") if r["module"] in I.J}
    mine = {j: [s for s in S.suppliers_of[j] if s in I.SUPPLIERS_SET] for j in rows}
    m.supplier_count = pyo.Constraint(
        list(rows), rule=lambda b, j: pyo.inequality(rows[j]["min_suppliers"], sum(b.sfc[s] for s in mine[j]),
                                                      rows[j]["max_suppliers"]))
    single = {j for j, r in rows.items() if str(r["single_sourcing"]) == "1"}
    tooled: dict = {}
    for s, k in I.SK:
        if S.option_module[k] in single:
            tooled.setdefault(k, []).append(s)
    m.single_sourcing = pyo.Constraint(list(tooled), rule=lambda b, k: sum(b.sft[s, k] for s in tooled[k]) <= 1)


RULE_FAMILIES = (local_content, plant_local_content, forced_plants, forced_suppliers, supplier_count)


def check_rules(t: dict, add) -> None:
    """Semantic checks of the rules tables; ``add(table, row, column, message)`` reports."""
    regions = set(t["segments"]["region"])
    if "local_content" in t:
        for i, r in t["local_content"].iterrows():
            if r["region"] not in regions:
                add("local_content", i, "region", f"no segment is in region {r['region']!r}")
    if "module_rules" in t:
        for i, r in t["module_rules"].iterrows():
            if r["min_suppliers"] > r["max_suppliers"]:
                add("module_rules", i, "max_suppliers", "is below min_suppliers")
    if "plant_rules" in t:
        closed = set(t["plant_rules"].loc[t["plant_rules"]["status"] == "closed", "plant"])
        ps = t["plant_segment"]
        for i, seg in t["segments"]["segment"].items():
            allowed = set(ps.loc[ps["segment"] == seg, "plant"])
            if allowed and allowed <= closed:
                add("plant_rules", None, "status", f"segment {seg!r} can only be served by closed plants")
