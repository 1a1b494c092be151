"""Check a solution against the full constraint set (2)–(13) and the rules (spec §10),
independently of any model.

Works on the solution tables alone, so it checks assembled decomposition solutions, and
also cross-checks the model builder itself. Option flows per plant->segment arc are
implied: segment m gets one option per module, so each arc carries that option.
"""
from __future__ import annotations

from collections import defaultdict

from .errors import SolveError
from .extract import Solution
from .measures import local_content_report
from .rules import rule_table
from .sets import Sets


def check_solution(S: Sets, sol: Solution, rel_tol: float = 1e-6) -> list[str]:
    """Return every violated constraint as a message (empty list: feasible)."""
    bad: list[str] = []
    scale = max(1.0, max(S.demand.values(), default=1.0))
    tol = rel_tol * scale
    developed = set(sol.developed["option"])

    offer: dict[tuple[str, str], str] = {}
    for r in sol.offers.itertuples():
        if (r.segment, r.module) in offer:
            bad.append(f"(2) segment {r.segment} gets two options of module {r.module}")
        offer[r.segment, r.module] = r.option
        if r.option not in S.acceptable.get((r.segment, r.module), []):
            bad.append(f"(2) segment {r.segment} gets {r.option}, below its threshold for {r.module}")
        if r.option not in developed:
            bad.append(f"(3) segment {r.segment} gets undeveloped option {r.option}")
    for m in S.segments:
        for j in S.modules:
            if (m, j) not in offer:
                bad.append(f"(2) segment {m} gets no option of module {j}")

    served = defaultdict(float)
    plant_load = defaultdict(float)
    open_plants = set(sol.plants["plant"])
    for r in sol.assembly.itertuples():
        if (r.plant, r.segment) not in S.muc:
            bad.append(f"(5) plant {r.plant} may not serve segment {r.segment}")
        if r.plant not in open_plants:
            bad.append(f"(5) plant {r.plant} ships but is not set up")
        served[r.segment] += r.units
        plant_load[r.plant] += r.units
    for m in S.segments:
        if abs(served[m] - S.demand[m]) > tol:
            bad.append(f"(4) segment {m}: {served[m]:g} units delivered, demand {S.demand[m]:g}")
    for p, load in plant_load.items():
        if load > S.plant_cap.get(p, 0) + tol:
            bad.append(f"(6) plant {p}: {load:g} units exceed capacity {S.plant_cap.get(p, 0):g}")

    need = defaultdict(float)  # (plant, option) -> units implied by offers and assembly (7)
    for r in sol.assembly.itertuples():
        for j in S.modules:
            if (r.segment, j) in offer:
                need[r.plant, offer[r.segment, j]] += r.units
    got = defaultdict(float)
    selected, tooled = set(sol.suppliers["supplier"]), set(zip(sol.tooling["supplier"], sol.tooling["option"]))
    by_s = defaultdict(float)
    bought = defaultdict(float)
    used_break = defaultdict(set)
    for r in sol.procurement.itertuples():
        got[r.plant, r.option] += r.units
        by_s[r.supplier] += r.units
        bought[r.supplier, r.option] += r.units
        used_break[r.supplier, r.option].add(r.price_break)
        if (r.supplier, r.plant) not in S.ship:
            bad.append(f"(10) supplier {r.supplier} may not ship to plant {r.plant}")
        if (r.supplier, r.option) not in tooled:
            bad.append(f"(10) supplier {r.supplier} ships {r.option} without tooling")
        brk = S.breaks.get((r.supplier, r.option), [])
        if r.price_break >= len(brk) or abs(brk[r.price_break].price - r.unit_price) > 1e-9:
            bad.append(f"(13) supplier {r.supplier}, option {r.option}: unit price is not break "
                       f"{r.price_break}'s")
    for key in set(need) | set(got):
        if abs(need[key] - got[key]) > tol:
            bad.append(f"(8) plant {key[0]}, option {key[1]}: needs {need[key]:g}, receives {got[key]:g}")
    for s, k in tooled:
        if (s, k) not in S.stc:
            bad.append(f"(9) supplier {s} is not capable of option {k}")
        if s not in selected:
            bad.append(f"(9) supplier {s} tooled for {k} but not selected")
    for s, units in by_s.items():
        if units > S.supplier_cap[s] + tol:
            bad.append(f"(11) supplier {s}: {units:g} units exceed capacity {S.supplier_cap[s]:g}")

    applied = defaultdict(list)
    for r in sol.price_breaks.itertuples():
        applied[r.supplier, r.option].append(r.price_break)
    for (s, k), qs in used_break.items():
        if len(qs) > 1 or len(applied[s, k]) != 1 or applied[s, k][0] not in qs:
            bad.append(f"(12) supplier {s}, option {k}: flows priced at breaks {sorted(qs)}, "
                       f"applied {applied[s, k]}")
            continue
        (q,) = qs
        b = S.breaks[s, k][q]
        if not b.lo - tol <= bought[s, k] <= b.hi + tol:
            bad.append(f"(13) supplier {s}, option {k}: {bought[s, k]:g} units outside break "
                       f"{q} range [{b.lo:g}, {b.hi:g}]")
    for r in local_content_report(S, sol).itertuples():
        if r.achieved_share < r.min_share - rel_tol:
            bad.append(f"(rule) local content of {r.scope} {r.name}: {r.achieved_share:.6g} below {r.min_share:g}")
    return bad + _rule_violations(S, sol)


def _rule_violations(S: Sets, sol: Solution) -> list[str]:
    """plant_rules, supplier_rules and module_rules (supplier counts, single sourcing)."""
    bad = []
    selected = set(sol.suppliers["supplier"])
    for table, key, chosen, on, state, verbs in (
            ("plant_rules", "plant", set(sol.plants["plant"]), "open", "set up", ("opens", "closes")),
            ("supplier_rules", "supplier", selected, "selected", "selected", ("selects", "excludes"))):
        for r in rule_table(S, table):
            is_on = r[key] in chosen
            if is_on != (r["status"] == on):
                bad.append(f"(rule) {key} {r[key]} is {'' if is_on else 'not '}{state}, {table} {verbs[is_on]} it")
    tooled_at = sol.tooling.groupby("option")["supplier"].nunique()
    for r in rule_table(S, "module_rules"):
        j = r["module"]
        n = sum(S.supplier_module[s] == j for s in selected)
        if not r["min_suppliers"] <= n <= r["max_suppliers"]:
            bad.append(f"(rule) module {j}: {n} suppliers selected, module_rules allows "
                       f"{r['min_suppliers']:g} to {r['max_suppliers']:g}")
        if str(r["single_sourcing"]) == "1":
            bad += [f"(rule) option {k} is tooled at {n_k} suppliers, module {j} is single-sourced"
                    for k, n_k in tooled_at.items() if S.option_module[k] == j and n_k > 1]
    return bad


def require_feasible(S: Sets, sol: Solution) -> None:
    """Raise :class:`SolveError` listing (up to 20) violated constraints, if any."""
    violations = check_solution(S, sol)
    if violations:
        raise SolveError("solution violates the model's constraints:\n  " + "\n  ".join(violations[:20]))
