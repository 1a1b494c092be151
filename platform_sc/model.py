"""The joint platform / supply-chain MILP, paper eqs. (1)–(13) as corrected in the spec.

:func:`build_model` returns a plain :class:`pyomo.environ.ConcreteModel`; users may add
constraints before solving. One function per constraint family below, each tagged with
the paper's equation number; deviations from the printed equations are explained there.

Variables (paper names)::

    ada[k]          option k developed                      binary
    cpo[m,k]        segment m gets option k, k in K(j,m)    binary
    mps[p]          plant p set up                          binary
    fin[p,m]        finished units p -> m (allowed arcs)    >= 0
    mss[m,p,k]      units of option k inside fin[p,m]       >= 0
    sfc[s]          supplier s selected                     binary
    sft[s,k]        s tooled for option k (capable pairs)   binary
    sqc[s,k,q]      price break q applies at (s,k)          binary
    sts[s,p,m,k]    units of k from s to p for segment m    >= 0   (flows_by="segment")
    sts[s,p,k]      units of k from s to p                  >= 0   (flows_by="plant")
    sqty[s,k,q]     units of k bought from s at break q     >= 0

The paper's sts_kpsq moves the price break to a quantity layer sqty[s,k,q] (price does not
depend on the plant); the paper's quantity is sts_kpsq = Σ_m sts[s,p,m,k] for the applied
break q. Supplier flows come in three forms of the same model (``flows_by``), which differ
only in how finely the balance (8) and the tooling link (10) are written:

* "plant": sts[s,p,k], as printed: the smallest LP per branch-and-bound node;
* "threshold": sts[s,p,t,k] per plant and threshold class t (the segments of p whose
  minimum level for k's module is t, so which accept the same options);
* "segment": sts[s,p,m,k], the classic strong form of fixed-charge network design.

``flows_by=None`` chooses from the data: "segment" when at most one supplier can bring each
option to each plant (LL and CC with low capability: the split over suppliers is trivial and
the per-segment links are tight) or when a regional local-content rule needs to know where
units are sold; else "threshold" when suppliers serve several plants (LG, GG), "plant"
otherwise (LL, CC, CG), and "plant" for one module with free manufacturing (Theorem 2.1's
Z(j) and the Lagrangian's problems, which only data with plants serving several regions
has). Measured on the paper's block (benchmarks/README.md): per plant the CG decomposition
is 2–7× faster than per segment, LL high 2.8×; LL low is 1.9× faster per segment; on LG per
plant is slower and per threshold class 1.4× faster than per segment. On GG's Z(j) within
one set of plants, per plant took 24.7 s against 32.3 s per threshold class (6 instances
of low capability; mixed on high capability, and no faster with the flows fixed).

The same builder makes the per-module problems of the decomposition (spec §6):
``modules=[j]`` keeps one module, ``manufacturing_scale=1/|J|`` charges its share of the
manufacturing costs (Theorem 2.1's Z(j)), and ``fixed_flows`` fixes the manufacturing
configuration (Theorem 2.2's Z''(j)); with fixed flows the option flows are
``mss[m,p,k] = f[p,m]·cpo[m,k]`` and are substituted out instead of being variables.
"""
from __future__ import annotations

import logging
from types import SimpleNamespace

import pyomo.environ as pyo

from .io import Instance
from .rules import RULE_FAMILIES, forced_open, needs_segment_flows, rule_table
from .sets import Sets

log = logging.getLogger(__name__)

COST_TERMS = ("development", "plant_setup", "assembly_distribution", "supplier_selection",
              "supplier_tooling", "procurement")


FLOWS_BY = ("plant", "threshold", "segment")


def choose_flows_by(S: Sets, plants, suppliers, free_module: bool = False) -> str:
    """The form of the supplier flows for these plants and suppliers (module docstring);
    ``free_module``: the problem is one module with free manufacturing."""
    if needs_segment_flows(S):
        return "segment"
    reach: dict = {}
    for s, p in S.ship:
        if p in plants and s in suppliers:
            reach[s] = reach.get(s, 0) + 1
    sources: dict = {}  # (plant, option) -> suppliers able to make it and ship it there
    for s, k in S.stc:
        for p in plants:
            if s in suppliers and (s, p) in S.ship:
                sources[p, k] = sources.get((p, k), 0) + 1
    if all(n <= 1 for n in sources.values()):
        return "segment"
    if free_module:
        return "plant"
    return "threshold" if any(n > 1 for n in reach.values()) else "plant"


def index_sets(S: Sets, modules=None, fixed_flows: dict | None = None,
               flows_by: str | None = None, symmetry_breaking: bool = True) -> SimpleNamespace:
    """Sparse index sets of the model restricted to ``modules`` (default: all); ``TWINS``:
    groups of interchangeable suppliers to order (none without ``symmetry_breaking``).

    Supplier flows are indexed (s, *key), key = (p, k), (p, threshold, k) or (p, m, k).
    """
    J = list(modules) if modules is not None else list(S.modules)
    arcs = [a for a in S.muc if fixed_flows is None or fixed_flows.get(a, 0) > 0]
    flow = ({a: fixed_flows[a] for a in arcs} if fixed_flows is not None
            else {(p, m): S.arc_bound(p, m) for p, m in arcs})
    cpo = [(m, k) for m in S.segments for j in J for k in S.acceptable[m, j]]
    mss = [(m, p, k) for p, m in arcs for j in J for k in S.acceptable[m, j]]
    capable: dict[str, list[str]] = {}
    for s, k in S.stc:
        capable.setdefault(k, []).append(s)
    reach: dict[tuple[str, str], set] = {}
    for m, p, k in mss:
        for s in capable.get(k, []):
            if (s, p) in S.ship:
                reach.setdefault((s, k), set()).add(m)
    if flows_by is None:
        flows_by = choose_flows_by(S, {p for p, _ in arcs}, {s for s, _ in reach},
                                   free_module=len(J) == 1 and fixed_flows is None)
    elif flows_by != "segment" and needs_segment_flows(S):
        raise ValueError("local-content rules need supplier flows by segment (flows_by='segment')")
    # balance rows (8): key -> the option flows mss[m,p,k] it sums, and the flow bound of key
    key_of = {"segment": lambda m, p, k: (p, m, k), "plant": lambda m, p, k: (p, k),
              "threshold": lambda m, p, k: (p, S.threshold[m, S.option_module[k]], k)}[flows_by]
    rows: dict[tuple, list] = {}
    for m, p, k in mss:
        rows.setdefault(key_of(m, p, k), []).append((m, p, k))
    key_bound = {key: sum(flow[p, m] for m, p, _ in r) for key, r in rows.items()}
    sts = [(s, *key) for key in rows for s in capable.get(key[-1], []) if (s, key[0]) in S.ship]
    # most units of k that s could ever sell: capacity, or the demand of segments it can reach
    sk_bound = {sk: min(S.supplier_cap[sk[0]], sum(S.demand[m] for m in segs)) for sk, segs in reach.items()}
    sk = sorted(reach)
    skq = [(s, k, b.q) for s, k in sk for b in S.breaks[s, k] if b.lo <= sk_bound[s, k]]
    q_of: dict[tuple[str, str], list[int]] = {}
    for s, k, q in skq:
        q_of.setdefault((s, k), []).append(q)
    return SimpleNamespace(
        J=J, K=sorted({k for _, k in cpo}, key=lambda k: (S.option_module[k], S.level[k], k)),
        CPO=cpo, ARCS=arcs, FLOW=flow, MSS=mss, FLOWS_BY=flows_by, ROWS=rows, KEY_BOUND=key_bound, STS=sts, SK=sk, SK_BOUND=sk_bound, SKQ=skq, Q_OF=q_of,
        SUPPLIERS=sorted({s for s, _ in sk}), SUPPLIERS_SET={s for s, _ in sk}, PLANTS=sorted({p for p, _ in arcs}),
        TWINS=twin_groups(S, {s for s, _ in sk}) if symmetry_breaking else [],
    )


def twin_groups(S: Sets, suppliers) -> list[list[str]]:
    """Groups (of two or more) of ``suppliers`` alike in every datum the model reads, none
    named in supplier_rules (see :func:`twin_suppliers_ordered`)."""
    named = {r["supplier"] for r in rule_table(S, "supplier_rules")}
    options: dict = {}
    for s, k in S.stc:
        options.setdefault(s, []).append(k)
    groups: dict = {}
    for s in sorted(set(suppliers) - named):
        key = (S.supplier_module[s], S.supplier_region[s], S.supplier_cap[s], S.ssc[s],
               tuple((k, S.stc[s, k], tuple(S.breaks[s, k])) for k in sorted(options.get(s, []))),
               tuple(sorted((p, c) for (t, p), c in S.ship.items() if t == s)))
        groups.setdefault(key, []).append(s)
    return [g for g in groups.values() if len(g) > 1]


# ----- constraint families ---------------------------------------------------------------

def one_option_per_module(m, S, I):
    """(2) Σ_{k∈K(j,m)} cpo[m,k] = 1 for every segment m and module j."""
    m.one_option_per_module = pyo.Constraint(
        [(seg, j) for seg in S.segments for j in I.J],
        rule=lambda b, seg, j: sum(b.cpo[seg, k] for k in S.acceptable[seg, j]) == 1)


def offer_only_developed(m, S, I):
    """(3) cpo[m,k] ≤ ada[k]."""
    m.offer_only_developed = pyo.Constraint(I.CPO, rule=lambda b, seg, k: b.cpo[seg, k] <= b.ada[k])


def demand_met(m, S, I):
    """(4) Σ_{p∈P(m)} mss[m,p,k] = DV_m · cpo[m,k]."""
    by_mk: dict = {}
    for seg, p, k in I.MSS:
        by_mk.setdefault((seg, k), []).append(p)
    m.demand_met = pyo.Constraint(
        I.CPO, rule=lambda b, seg, k: sum(b.mss[seg, p, k] for p in by_mk.get((seg, k), []))
        == S.demand[seg] * b.cpo[seg, k])


def option_flow_needs_offer(m, S, I):
    """Tightening of (4): mss[m,p,k] ≤ min(DV_m, MC_p) · cpo[m,k] (valid, per arc)."""
    m.option_flow_needs_offer = pyo.Constraint(
        I.MSS, rule=lambda b, seg, p, k: b.mss[seg, p, k] <= S.arc_bound(p, seg) * b.cpo[seg, k])


def plant_open_link(m, S, I):
    """(5) fin[p,m] ≤ min(DV_m, MC_p) · mps[p]: a plant not set up ships nothing.

    The printed (5) uses a global big-M; the arc's own bound is the tightest valid one.
    """
    m.plant_open_link = pyo.Constraint(
        I.ARCS, rule=lambda b, p, seg: b.fin[p, seg] <= S.arc_bound(p, seg) * b.mps[p])


def plant_capacity(m, S, I):
    """(6) Σ_m fin[p,m] ≤ MC_p · mps[p].

    Erratum: printed per option k summed over m; capacity binds finished units, and with
    (7) the finished units p→m are fin[p,m].
    """
    by_p: dict = {}
    for p, seg in I.ARCS:
        by_p.setdefault(p, []).append(seg)
    m.plant_capacity = pyo.Constraint(
        I.PLANTS, rule=lambda b, p: sum(b.fin[p, seg] for seg in by_p[p]) <= S.plant_cap[p] * b.mps[p])


def assembly(m, S, I):
    """(7) Σ_{k∈K(j,m)} mss[m,p,k] = fin[p,m] for every arc (p,m) and module j.

    Erratum: printed per plant only; the text means per (plant, segment): a plant ships
    whole products. Equating every module's flow to the finished-unit flow fin[p,m] is
    the same as equating the modules pairwise.
    """
    m.assembly = pyo.Constraint(
        [(p, seg, j) for p, seg in I.ARCS for j in I.J],
        rule=lambda b, p, seg, j: sum(b.mss[seg, p, k] for k in S.acceptable[seg, j]) == b.fin[p, seg])


def option_shipped(b, I, seg, p, k):
    """mss[m,p,k], or f[p,m]·cpo[m,k] when the manufacturing flows are fixed (Z''(j))."""
    return I.FLOW[p, seg] * b.cpo[seg, k] if b.fixed_manufacturing else b.mss[seg, p, k]


def plant_option_balance(m, S, I):
    """(8) Σ_s sts[s,p,k] = Σ_m mss[m,p,k]: what p receives of k equals what it ships of k.

    Erratum: printed summed over k∈K(j), which would let a plant turn one option into
    another; balanced per option. Finer forms (``flows_by``) write it per threshold class or
    per segment as well, Σ_s sts[s,p,m,k] = mss[m,p,k]; summing gives the per-plant row.
    """
    supply: dict = {}
    for i in I.STS:
        supply.setdefault(i[1:], []).append(i)
    m.plant_option_balance = pyo.Constraint(
        list(I.ROWS), rule=lambda b, *key: sum(b.sts[i] for i in supply.get(key, []))
        == sum(option_shipped(b, I, *r) for r in I.ROWS[key]))


def tooling_only_developed(m, S, I):
    """sft[s,k] ≤ ada[k]: tooling an option nobody gets is never useful (optimality cut)."""
    m.tooling_only_developed = pyo.Constraint(I.SK, rule=lambda b, s, k: b.sft[s, k] <= b.ada[k])


def tooling_needs_selection(m, S, I):
    """(9) sft[s,k] ≤ sfc[s]."""
    m.tooling_needs_selection = pyo.Constraint(I.SK, rule=lambda b, s, k: b.sft[s, k] <= b.sfc[s])


def shipping_needs_tooling(m, S, I):
    """(10) sts[s,key] ≤ min(SC_s, U) · sft[s,k], U the most the flow can carry:
    Σ_m min(DV_m, MC_p) over the segments of the key (one segment, a threshold class, or all
    segments p may give k).

    Erratum: printed without the sum over price breaks q (here the break is in sqty).
    The flow's own bound instead of a big-M: the tightest form the data give.
    """
    m.shipping_needs_tooling = pyo.Constraint(
        I.STS, rule=lambda b, s, *key: b.sts[(s, *key)]
        <= min(S.supplier_cap[s], I.KEY_BOUND[key]) * b.sft[s, key[-1]])


def supplier_capacity(m, S, I):
    """(11) Σ_{p,m,k} sts[s,p,m,k] ≤ SC_s · sfc[s]."""
    by_s: dict = {}
    for idx in I.STS:
        by_s.setdefault(idx[0], []).append(idx)
    m.supplier_capacity = pyo.Constraint(
        I.SUPPLIERS, rule=lambda b, s: sum(b.sts[i] for i in by_s[s]) <= S.supplier_cap[s] * b.sfc[s])


def supplier_capacity_cover(m, S, I):
    """Valid inequalities implied by (4), (8) and (11), stated so the solver can derive
    knapsack cover cuts: the suppliers of module j that can reach plant p must be able to
    cover what p assembles, Σ_{s∈S(p,j)} SC_s·sfc[s] ≥ Σ_m fin[p,m], and all suppliers of j
    the total demand, Σ_{s∈S(j)} SC_s·sfc[s] ≥ Σ_m DV_m."""
    reach: dict = {}
    for s, p in S.ship:
        if s in I.SUPPLIERS_SET:
            reach.setdefault((p, S.supplier_module[s]), []).append(s)

    def load(b, p):
        return sum((I.FLOW[a] if b.fixed_manufacturing else b.fin[a]) for a in I.ARCS if a[0] == p)

    m.plant_supply_cover = pyo.Constraint(
        [(p, j) for p in I.PLANTS for j in I.J],
        rule=lambda b, p, j: sum(S.supplier_cap[s] * b.sfc[s] for s in reach.get((p, j), [])) >= load(b, p))
    total = sum(S.demand.values())
    m.module_supply_cover = pyo.Constraint(
        I.J, rule=lambda b, j: sum(S.supplier_cap[s] * b.sfc[s] for s in S.suppliers_of[j] if s in I.SUPPLIERS_SET)
        >= total)


TWIN_LEX_OPTIONS = 12  # keeps the coefficients 2^r of twin_suppliers_ordered within 2^11


def twin_suppliers_ordered(m, S, I):
    """Symmetry breaking (ours): suppliers alike in every datum the model reads (module,
    region, capacity, costs, options, price breaks, freight; none named in supplier_rules)
    are interchangeable, so any solution stays feasible at the same cost with twins swapped.
    Order each twin pair (a, b): sfc[a] ≥ sfc[b], and a's tooling vector lexicographically
    ≥ b's, Σ_k 2^r(k)·sft[a,k] ≥ Σ_k 2^r(k)·sft[b,k] over the options of the pair, r their
    rank by level (at most ``TWIN_LEX_OPTIONS`` of them: a lexicographic order on some
    coordinates is still a sort). Both hold for the twins sorted by (tooling, selection),
    as a tooled supplier is selected (9). The paper's generator makes two suppliers per
    region and module alike: HiGHS then explores each twin's choices twice (on
    GG/24/0.5M/high/dev-low the body's Lagrangian problem took 5.3 s, 2.5 s ordered).
    """
    pairs = [(g[i], g[i + 1]) for g in I.TWINS for i in range(len(g) - 1)]
    tooled: dict = {}
    for s, k in I.SK:
        tooled.setdefault(s, []).append(k)

    def lex(b, a, c):
        ks = sorted(tooled[a], key=lambda k: (S.level[k], k))[-TWIN_LEX_OPTIONS:]
        return sum(2.0 ** r * (b.sft[a, k] - b.sft[c, k]) for r, k in enumerate(ks)) >= 0
    m.twin_selected_first = pyo.Constraint(pairs, rule=lambda b, a, c: b.sfc[a] >= b.sfc[c])
    m.twin_tooled_first = pyo.Constraint(pairs, rule=lex)


def one_price_break(m, S, I):
    """(12) Σ_q sqc[s,k,q] ≤ sft[s,k]: at most one break applies, only if tooled.

    Erratum: the printed (12)–(13) do not form an all-units discount; this is the standard
    multiple-choice form (spec §5).
    """
    m.one_price_break = pyo.Constraint(
        I.SK, rule=lambda b, s, k: sum(b.sqc[s, k, q] for q in I.Q_OF[s, k]) <= b.sft[s, k])


def price_break_range(m, S, I):
    """(13) SQ_lo(q)·sqc[s,k,q] ≤ sqty[s,k,q] ≤ min(SQ_hi(q), SC_s, D_sk)·sqc[s,k,q], and
    Σ_q sqty[s,k,q] = Σ_{p,m} sts[s,p,m,k].

    All-units discount: the total bought of k from s, over all plants, lies in the range
    of the applied break. The range is closed at SQ_hi; at that exact quantity the next
    (cheaper or equal) break is also allowed, so the optimum is unchanged.
    """
    by_sk: dict = {}
    for idx in I.STS:
        by_sk.setdefault((idx[0], idx[-1]), []).append(idx)
    brk = {(s, k, b.q): b for (s, k), bs in S.breaks.items() for b in bs}
    m.price_break_quantity = pyo.Constraint(
        I.SK, rule=lambda b, s, k: sum(b.sqty[s, k, q] for q in I.Q_OF[s, k]) == sum(b.sts[i] for i in by_sk[s, k]))
    m.price_break_min = pyo.Constraint(
        I.SKQ, rule=lambda b, s, k, q: brk[s, k, q].lo * b.sqc[s, k, q] <= b.sqty[s, k, q])
    m.price_break_max = pyo.Constraint(
        I.SKQ, rule=lambda b, s, k, q: b.sqty[s, k, q] <= min(brk[s, k, q].hi, I.SK_BOUND[s, k]) * b.sqc[s, k, q])


# ----- objective -------------------------------------------------------------------------

def no_flow_on_unservable_arcs(m, S: Sets, arcs) -> None:
    """fin[p,m] = 0 on arcs outside ``Sets.servable``: for some module no supplier shipping to
    p makes an option segment m accepts, so no solution carries units there."""
    for a in arcs:
        if a not in S.servable:
            m.fin[a].fix(0)


def total_cost(m, S, I, scale: float):
    """(1) development + plant setup + assembly/distribution + supplier selection + tooling
    + procurement.

    Erratum: the printed third term multiplies MUC by "mps_mpk"; cost is per finished unit,
    fin[p,m]. ``scale`` (1/|J| in the per-module problems) multiplies the manufacturing terms.
    A plant plant_rules sets up but the model has no variable for (fixed flows that leave
    it idle) still pays its setup: a constant.
    """
    price = {(s, k, b.q): b.price for (s, k), bs in S.breaks.items() for b in bs}
    terms = {
        "development": lambda b: sum(S.dc[k] * b.ada[k] for k in I.K),
        "plant_setup": lambda b: scale * (sum(S.plant_setup[p] * b.mps[p] for p in I.PLANTS)
                                          + sum(S.plant_setup[p] for p in forced_open(S) - set(I.PLANTS))),
        "assembly_distribution": lambda b: scale * sum(S.muc[a] * b.fin[a] for a in I.ARCS),
        "supplier_selection": lambda b: sum(S.ssc[s] * b.sfc[s] for s in I.SUPPLIERS),
        "supplier_tooling": lambda b: sum(S.stc[sk] * b.sft[sk] for sk in I.SK),
        "procurement": lambda b: sum(price[i] * b.sqty[i] for i in I.SKQ)
        + sum(S.ship[i[0], i[1]] * b.sts[i] for i in I.STS),
    }
    m.cost = pyo.Expression(list(COST_TERMS), rule=lambda b, t: terms[t](b))
    # mutable multipliers for what-if analysis: change them and re-solve without rebuilding
    m.cost_scale = pyo.Param(list(COST_TERMS), initialize=1.0, mutable=True, domain=pyo.NonNegativeReals)
    m.total_cost = pyo.Objective(expr=sum(m.cost_scale[t] * m.cost[t] for t in COST_TERMS), sense=pyo.minimize)


MANUFACTURING_FAMILIES = (demand_met, option_flow_needs_offer, plant_open_link, plant_capacity, assembly)
COMMON_FAMILIES = (one_option_per_module, offer_only_developed, plant_option_balance,
                   tooling_only_developed, tooling_needs_selection, shipping_needs_tooling,
                   supplier_capacity, supplier_capacity_cover, twin_suppliers_ordered, one_price_break,
                   price_break_range)


def build_model(instance: Instance | Sets, modules=None, manufacturing_scale: float = 1.0,
                fixed_flows: dict | None = None, flows_by: str | None = None,
                open_set=None, symmetry_breaking: bool = True) -> pyo.ConcreteModel:
    """Build the MILP (or a per-module problem) over sparse index sets.

    ``instance`` must be validated (:func:`platform_sc.validate.validate`). ``fixed_flows``
    maps (plant, segment) -> finished units; plants with flow are set up. ``flows_by``:
    "plant", "threshold", "segment" or None (chosen from the data, see module docstring).
    ``open_set``: set up exactly these plants (the exact method's enumeration of plant sets).
    ``symmetry_breaking``: order interchangeable suppliers (:func:`twin_suppliers_ordered`);
    turn it off before fixing or constraining one supplier of such a pair by hand.
    """
    if flows_by not in (None, *FLOWS_BY):
        raise ValueError(f"flows_by must be one of {FLOWS_BY} or None, not {flows_by!r}")
    S = instance if isinstance(instance, Sets) else Sets(instance)
    I = index_sets(S, modules, fixed_flows, flows_by, symmetry_breaking)
    m = pyo.ConcreteModel(name="platform_sc")
    m.sets, m.index, m.fixed_manufacturing = S, I, fixed_flows is not None
    m.ada = pyo.Var(I.K, domain=pyo.Binary)
    m.cpo = pyo.Var(I.CPO, domain=pyo.Binary)
    m.mps = pyo.Var(I.PLANTS, domain=pyo.Binary)
    m.fin = pyo.Var(I.ARCS, domain=pyo.NonNegativeReals)
    m.sfc = pyo.Var(I.SUPPLIERS, domain=pyo.Binary)
    m.sft = pyo.Var(I.SK, domain=pyo.Binary)
    m.sqc = pyo.Var(I.SKQ, domain=pyo.Binary)
    m.sts = pyo.Var(I.STS, domain=pyo.NonNegativeReals)
    m.sqty = pyo.Var(I.SKQ, domain=pyo.NonNegativeReals)
    if fixed_flows is None:
        m.mss = pyo.Var(I.MSS, domain=pyo.NonNegativeReals)
        for family in MANUFACTURING_FAMILIES:
            family(m, S, I)
        no_flow_on_unservable_arcs(m, S, I.ARCS)  # a module alone, Z(j), would not know
    else:
        for p in I.PLANTS:
            m.mps[p].fix(1)
        for a in I.ARCS:
            m.fin[a].fix(I.FLOW[a])
    for family in COMMON_FAMILIES + RULE_FAMILIES:
        family(m, S, I)
    total_cost(m, S, I, manufacturing_scale)
    if open_set is not None:
        for p, var in m.mps.items():
            var.fix(1 if p in open_set else 0)
    log.debug("built model: %d variables, %d constraints", m.nvariables(), m.nconstraints())
    return m
