"""Platform measures (spec §8) and cost breakdown: pure functions of solution tables.

Weighted distance from thresholds::

    WD = Σ_m w_m Σ_j v_j · g(level offered(m,j) − threshold(m,j))

with w_m a segment weight (default: share of demand), v_j the module's value weight and
g the distance scale (linear by default; ``exponential`` uses g(d) = base**d − 1).
The maximum WD offers every segment the top-of-thresholds configuration (the highest
threshold level of each module); platformability index = WD / max WD.
"""
from __future__ import annotations

from typing import Callable

import pandas as pd

from .extract import Solution
from .model import COST_TERMS
from .rules import rule_table
from .sets import Sets


def distance_scale(name: str = "linear", base: float = 2.0) -> Callable[[pd.Series], pd.Series]:
    """g(d): ``linear`` -> d; ``exponential`` -> base**d − 1 (0 at d = 0, grows with the gap)."""
    if name == "linear":
        return lambda d: d
    if name == "exponential":
        return lambda d: base ** d - 1
    raise ValueError(f"unknown distance scale {name!r} (use 'linear' or 'exponential')")


def weighted_distance(levels: pd.DataFrame, segment_weight: pd.Series, module_weight: pd.Series,
                      scale: Callable = distance_scale()) -> tuple[float, float]:
    """(weighted distance, maximum weighted distance) of offered levels vs thresholds.

    ``levels`` has columns segment, module, level (offered), min_level (threshold).
    """
    w = levels["segment"].map(segment_weight)
    v = levels["module"].map(module_weight)
    wd = float((w * v * scale(levels["level"] - levels["min_level"])).sum())
    top = levels["module"].map(levels.groupby("module")["min_level"].max())
    max_wd = float((w * v * scale(top - levels["min_level"])).sum())
    return wd, max_wd


def configurations(solution: Solution) -> pd.DataFrame:
    """Product configuration offered to each segment: one row per segment, a column per module."""
    return solution.offers.pivot(index="segment", columns="module", values="option").rename_axis(columns=None)


def platform_measures(S: Sets, solution: Solution, scale: Callable = distance_scale(),
                      demand: dict[str, float] | None = None) -> dict[str, float]:
    """Number of configurations, weighted distance, its maximum, platformability index.
    Segments weigh by ``demand`` (default the instance's; with demand scenarios the
    pipeline passes the expected demand: the platform serves every scenario)."""
    demand = pd.Series(S.demand if demand is None else demand, dtype=float)
    weights = demand / demand.sum() if demand.sum() > 0 else demand
    value = pd.Series(S.value_weight, dtype=float)  # shares of product value (spec §8), e.g. given as 40, 60
    value = value / value.sum() if value.sum() > 0 else value
    wd, max_wd = weighted_distance(solution.offers, weights, value, scale)
    return {
        "n_product_configurations": int(len(configurations(solution).drop_duplicates())),
        "weighted_distance": wd,
        "max_weighted_distance": max_wd,
        "platformability_index": wd / max_wd if max_wd > 0 else 0.0,
        "n_options_developed": int(len(solution.developed)),
        "n_suppliers_selected": int(len(solution.suppliers)),
        "n_plants_open": int(len(solution.plants)),
    }


def cost_breakdown(solution: Solution) -> dict[str, float]:
    """The six objective terms (1), recomputed from the solution tables."""
    proc = solution.procurement
    terms = {
        "development": solution.developed["development_cost"].sum(),
        "plant_setup": solution.plants["setup_cost"].sum(),
        "assembly_distribution": (solution.assembly["units"] * solution.assembly["unit_cost"]).sum(),
        "supplier_selection": solution.suppliers["selection_cost"].sum(),
        "supplier_tooling": solution.tooling["tooling_cost"].sum(),
        "procurement": (proc["units"] * (proc["unit_price"] + proc["unit_shipping_cost"])).sum(),
    }
    assert tuple(terms) == COST_TERMS
    return {k: float(v) for k, v in terms.items()}


def local_content_report(S: Sets, solution: Solution) -> pd.DataFrame:
    """Per local-content rule (scope "region" of sale or "plant"): required and achieved
    share, and whether the rule binds (achieved share at its minimum). With demand scenarios
    (a ``scenario`` column in the flows), a row per rule and scenario."""
    proc = solution.procurement
    if "scenario" not in proc.columns:
        return _local_content(S, proc)
    return pd.concat([_local_content(S, flows).assign(scenario=name)
                      for name, flows in proc.groupby("scenario", sort=False)], ignore_index=True)


def _local_content(S: Sets, procurement: pd.DataFrame) -> pd.DataFrame:
    """:func:`local_content_report` of one set of supplier flows."""
    rows = []
    proc = procurement.assign(
        supplier_region=lambda d: d["supplier"].map(S.supplier_region),
        market=lambda d: d["segment"].map(S.segment_region),
        list_value=lambda d: [S.breaks[s, k][0].price + S.ship[s, p]
                              for s, p, k in zip(d["supplier"], d["plant"], d["option"])])
    rules = [("region", r["region"], r["region"], proc["market"] == r["region"], r)
             for r in rule_table(S, "local_content")]
    rules += [("plant", r["plant"], S.plant_region[r["plant"]], proc["plant"] == r["plant"], r)
              for r in rule_table(S, "plant_local_content")]
    for scope, name, region, where, r in rules:
        mine = proc[where]
        weight = mine["units"] if r["basis"] == "units" else mine["units"] * mine["list_value"]
        local = mine["supplier_region"] == region
        achieved = float(weight[local].sum() / weight.sum()) if weight.sum() > 0 else 1.0
        rows.append({"scope": scope, "name": name, "basis": r["basis"], "min_share": r["min_share"],
                     "achieved_share": achieved, "binding": achieved <= r["min_share"] + 1e-6})
    return pd.DataFrame(rows, columns=["scope", "name", "basis", "min_share", "achieved_share", "binding"])
