"""Turn a solved model into tidy solution tables (one DataFrame per decision family)."""
from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd
import pyomo.environ as pyo

from .model import option_shipped
from .rules import forced_open
from .sets import Sets

ON = 0.5        # a binary above this is 1
FLOW_TOL = 1e-6  # flows below this many units are solver noise


@dataclass
class Solution:
    """The decisions of one solution, as tidy tables."""

    offers: pd.DataFrame        # segment, module, option, level, min_level
    developed: pd.DataFrame     # option, module, level, development_cost
    plants: pd.DataFrame        # plant, region, setup_cost
    assembly: pd.DataFrame      # plant, segment, units, unit_cost
    suppliers: pd.DataFrame     # supplier, module, region, selection_cost
    tooling: pd.DataFrame       # supplier, option, tooling_cost
    procurement: pd.DataFrame   # supplier, plant, segment, option, price_break, units, unit_price, unit_shipping_cost
    price_breaks: pd.DataFrame  # supplier, option, price_break, min_quantity, quantity, unit_price

    def tables(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def write(self, folder) -> None:
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        for name, frame in self.tables().items():
            frame.to_csv(out / f"{name}.csv", index=False, lineterminator="\n")


def _frame(rows, columns) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _on(var) -> list:
    return [i for i, v in var.items() if v.value is not None and v.value > ON]


def manufacturing_tables(S: Sets, flows: dict, set_up=()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Plants set up (those with flows, those plant_rules sets up, and ``set_up``) and
    finished-unit flows from a {(plant, segment): units} map."""
    flows = {a: u for a, u in flows.items() if u > FLOW_TOL}
    open_plants = sorted({p for p, _ in flows} | forced_open(S) | set(set_up))
    plants = _frame([(p, S.plant_region[p], S.plant_setup[p]) for p in open_plants],
                    ["plant", "region", "setup_cost"])
    assembly = _frame([(p, m, u, S.muc[p, m]) for (p, m), u in sorted(flows.items())],
                      ["plant", "segment", "units", "unit_cost"])
    return plants, assembly


def segment_flows(model) -> dict[tuple, float]:
    """Supplier flows by segment, {(s, p, m, k): units}. A model with flows per plant has
    its flow of k from s to p split over the segments p gives k in proportion to their
    units: every share then satisfies the per-segment form of (8) and (10) too."""
    I = model.index
    flows = {i: v.value for i, v in model.sts.items() if v.value is not None and v.value > FLOW_TOL}
    if I.FLOWS_BY == "segment":
        return flows
    out = {}
    for (s, *key), units in flows.items():
        ships = {r: pyo.value(option_shipped(model, I, *r)) for r in I.ROWS[tuple(key)]}
        total = sum(ships.values())
        for (seg, p, k), u in ships.items():
            if u > FLOW_TOL:
                out[s, p, seg, k] = units * u / total
    return out


def sourcing_tables(model) -> dict[str, pd.DataFrame]:
    """Platform and supplier decisions of a solved (full or per-module) model."""
    S: Sets = model.sets
    offers = _frame([(m, S.option_module[k], k, S.level[k], S.threshold[m, S.option_module[k]])
                     for m, k in _on(model.cpo)], ["segment", "module", "option", "level", "min_level"])
    developed = _frame([(k, S.option_module[k], S.level[k], S.dc[k]) for k in _on(model.ada)],
                       ["option", "module", "level", "development_cost"])
    suppliers = _frame([(s, S.supplier_module[s], S.supplier_region[s], S.ssc[s]) for s in _on(model.sfc)],
                       ["supplier", "module", "region", "selection_cost"])
    tooling = _frame([(s, k, S.stc[s, k]) for s, k in _on(model.sft)], ["supplier", "option", "tooling_cost"])
    brk = {(s, k, b.q): b for (s, k), bs in S.breaks.items() for b in bs}
    applied = {(s, k): q for s, k, q in _on(model.sqc)}
    # a flow without an applied break can only be a zero-quantity rounding remnant
    procurement = _frame([(s, p, seg, k, applied.get((s, k), 0), v, brk[s, k, applied.get((s, k), 0)].price,
                           S.ship[s, p]) for (s, p, seg, k), v in segment_flows(model).items()],
                         ["supplier", "plant", "segment", "option", "price_break", "units", "unit_price",
                          "unit_shipping_cost"])
    qty = procurement.groupby(["supplier", "option"])["units"].sum()
    breaks = _frame([(s, k, q, brk[s, k, q].lo, qty.get((s, k), 0.0), brk[s, k, q].price)
                     for (s, k), q in sorted(applied.items())],
                    ["supplier", "option", "price_break", "min_quantity", "quantity", "unit_price"])
    return dict(offers=offers, developed=developed, suppliers=suppliers, tooling=tooling,
                procurement=procurement, price_breaks=breaks)


def extract(model) -> Solution:
    """All decision tables of a solved model built by :func:`platform_sc.model.build_model`."""
    flows = {a: v.value or 0.0 for a, v in model.fin.items()}
    # plants paid for but idle too (set up for another demand scenario, or forced open); an
    # idle plant that costs nothing to set up is the solver's arbitrary choice, not reported
    paid = [p for p in _on(model.mps) if model.sets.plant_setup[p] > 0]
    plants, assembly = manufacturing_tables(model.sets, flows, paid)
    return Solution(plants=plants, assembly=assembly, **sourcing_tables(model))


def combine(parts: list[dict[str, pd.DataFrame]], plants: pd.DataFrame, assembly: pd.DataFrame) -> Solution:
    """Assemble per-module sourcing tables and one manufacturing configuration."""
    joined = {name: pd.concat([p[name] for p in parts], ignore_index=True) for name in parts[0]}
    return Solution(plants=plants, assembly=assembly, **joined)
