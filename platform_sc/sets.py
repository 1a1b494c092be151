"""Sparse index sets and parameters derived once from a validated instance.

Only what exists is indexed: allowed plant->segment arcs, capable supplier-options, their
price breaks, and supplier->plant arcs for options some segment behind the plant accepts.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from .io import Instance


@dataclass(frozen=True)
class Break:
    q: int            # position, 0 = the break starting at quantity 0
    lo: float         # SQ_lo: quantity from which the break applies
    hi: float         # SQ_hi: next break's lo (inf for the last one)
    price: float      # unit price at this break


class Sets:
    """Index sets of the paper (Appendix A) as Python dicts and lists."""

    def __init__(self, inst: Instance):
        t = inst.tables
        self.instance = inst
        self.modules: list[str] = list(t["modules"]["module"])
        self.value_weight = dict(zip(t["modules"]["module"], t["modules"]["value_weight"]))
        o = t["options"]
        self.option_module = dict(zip(o["option"], o["module"]))
        self.level = dict(zip(o["option"], o["level"]))
        self.dc = dict(zip(o["option"], o["development_cost"]))
        s = t["segments"]
        self.segments: list[str] = list(s["segment"])
        self.demand = dict(zip(s["segment"], s["demand"]))
        self.segment_region = dict(zip(s["segment"], s["region"]))
        self.threshold = {(m, j): lv for m, j, lv in
                          zip(t["thresholds"]["segment"], t["thresholds"]["module"], t["thresholds"]["min_level"])}
        p = t["plants"]
        self.plants: list[str] = list(p["plant"])
        self.plant_cap = dict(zip(p["plant"], p["capacity"]))
        self.plant_setup = dict(zip(p["plant"], p["setup_cost"]))
        self.plant_region = dict(zip(p["plant"], p["region"]))
        ps = t["plant_segment"]
        self.muc = {(pl, m): c for pl, m, c in zip(ps["plant"], ps["segment"], ps["unit_cost"])}
        sp = t["suppliers"]
        self.suppliers: list[str] = list(sp["supplier"])
        self.supplier_module = dict(zip(sp["supplier"], sp["module"]))
        self.supplier_cap = dict(zip(sp["supplier"], sp["capacity"]))
        self.ssc = dict(zip(sp["supplier"], sp["selection_cost"]))
        self.supplier_region = dict(zip(sp["supplier"], sp["region"]))
        so = t["supplier_options"]
        self.stc = {(su, k): c for su, k, c in zip(so["supplier"], so["option"], so["tooling_cost"])}
        sh = t["supplier_plant"]
        self.ship = {(su, pl): c for su, pl, c in zip(sh["supplier"], sh["plant"], sh["unit_shipping_cost"])}
        self.breaks: dict[tuple[str, str], list[Break]] = {}
        pb = t["price_breaks"].sort_values(["supplier", "option", "min_quantity"])
        for (su, k), grp in pb.groupby(["supplier", "option"], sort=False):
            los = grp["min_quantity"].tolist()
            his = los[1:] + [math.inf]
            self.breaks[(su, k)] = [Break(q, lo, hi, pr) for q, (lo, hi, pr) in
                                    enumerate(zip(los, his, grp["unit_price"].tolist()))]

    # ----- derived sets -------------------------------------------------------------------
    @cached_property
    def options_of(self) -> dict[str, list[str]]:
        """K(j): options of each module, by increasing level."""
        out: dict[str, list[str]] = {j: [] for j in self.modules}
        for k in sorted(self.option_module, key=lambda k: (self.level[k], k)):
            out[self.option_module[k]].append(k)
        return out

    @cached_property
    def acceptable(self) -> dict[tuple[str, str], list[str]]:
        """K(j,m): options of module j at or above segment m's threshold."""
        return {(m, j): [k for k in self.options_of[j] if self.level[k] >= self.threshold[m, j]]
                for m in self.segments for j in self.modules}

    @cached_property
    def plants_of(self) -> dict[str, list[str]]:
        """P(m): plants allowed to serve segment m."""
        out: dict[str, list[str]] = {m: [] for m in self.segments}
        for p, m in self.muc:
            out[m].append(p)
        return out

    @cached_property
    def servable(self) -> set[tuple[str, str]]:
        """Arcs (p, m) that can carry finished units: for every module, a supplier shipping
        to p makes an option segment m accepts (validation only asks this of some plant
        of m, not of each)."""
        ships_to: dict = {}
        for s, p in self.ship:
            ships_to.setdefault(s, []).append(p)
        made: dict = {}  # (plant, module) -> options made by suppliers shipping there
        for s, k in self.stc:
            for p in ships_to.get(s, ()):
                made.setdefault((p, self.option_module[k]), set()).add(k)
        return {(p, m) for p, m in self.muc
                if all(made.get((p, j), set()).intersection(self.acceptable[m, j]) for j in self.modules)}

    @cached_property
    def suppliers_of(self) -> dict[str, list[str]]:
        """S(j): suppliers of module j."""
        out: dict[str, list[str]] = {j: [] for j in self.modules}
        for s in self.suppliers:
            out[self.supplier_module[s]].append(s)
        return out

    @cached_property
    def usable_options(self) -> set[str]:
        """Options some segment accepts (others are never developed)."""
        return {k for ks in self.acceptable.values() for k in ks}

    def arc_bound(self, p: str, m: str) -> float:
        """Most finished units p can send to m: min(DV_m, MC_p)."""
        return min(self.demand[m], self.plant_cap[p])
