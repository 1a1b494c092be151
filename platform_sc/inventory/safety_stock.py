"""Safety stock and reorder points for the inbound option flows of a solution.

Formulas (u = daily usage, L = lead time in days, per supplier→plant arc and option):

* max/average:   SS = u_max · L_max − u_avg · L_avg
* fixed:         SS = a judged number of units (per option group)
* time-based:    SS = u_avg · cover_days   (average usage over a fixed period)
* statistical:   SS = z · σ_d · √L_avg                     (z = Φ⁻¹(service level))
* statistical_lt SS = z · √(L_avg σ_d² + u_avg² σ_L²)      (lead-time variance added)
* reorder point  ROP = u_avg · L_avg + SS

Daily usage comes from the lifetime flow F of an arc and a production calendar:
``u_avg = F / (lifetime_years · working_days_per_year)``, ``u_max = peak_factor · u_avg``,
``σ_d = demand_cv · u_avg``. Lead times come from an optional ``lead_times`` table
(supplier, plant, avg_days, max_days[, std_days]) or from local / inter-region defaults
(a supplier is local when its region equals the plant's region). When ``std_days`` is
missing, ``σ_L = (max_days − avg_days) / 2`` (the maximum read as about mean + 2σ).

Every method except ``fixed`` is linear in u_avg, hence in F: ``SS = F · s_days / (Y · W)``
where ``s_days`` is the safety stock in days of average usage. :func:`with_safety_stock_cost`
uses that to charge holding cost in the MILP (see its docstring).
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from statistics import NormalDist

import pandas as pd

from ..errors import InputError, Problem
from ..io import Instance
from ..validate import validate

log = logging.getLogger(__name__)

METHODS = ("max_average", "fixed", "time_based", "statistical", "statistical_lt")


# ----- the formulas ---------------------------------------------------------------------------
def max_average(max_usage: float, max_lead: float, avg_usage: float, avg_lead: float) -> float:
    """SS = max usage × max lead time − average usage × average lead time (same time unit)."""
    return max_usage * max_lead - avg_usage * avg_lead


def fixed(level: float) -> float:
    """SS = a judged buffer (units)."""
    return float(level)


def time_based(avg_usage: float, cover_periods: float) -> float:
    """SS = average usage × periods of cover."""
    return avg_usage * cover_periods


def z_value(service_level: float) -> float:
    """z = Φ⁻¹(service level), the standard-normal quantile (0 < level < 1)."""
    if not 0 < service_level < 1:
        raise ValueError(f"service level must lie strictly between 0 and 1 (got {service_level})")
    return NormalDist().inv_cdf(service_level)


def statistical(service_level: float, sd_usage: float, avg_lead: float) -> float:
    """SS = z · σ_d · √L (σ_d per period, L in periods)."""
    return z_value(service_level) * sd_usage * math.sqrt(avg_lead)


def statistical_lead_time(service_level: float, sd_usage: float, avg_lead: float, avg_usage: float,
                          sd_lead: float) -> float:
    """SS = z · √(L σ_d² + u² σ_L²): demand and lead-time variability together."""
    return z_value(service_level) * math.sqrt(avg_lead * sd_usage ** 2 + avg_usage ** 2 * sd_lead ** 2)


def reorder_point(avg_usage: float, avg_lead: float, safety_stock: float) -> float:
    """ROP = average usage over the lead time + safety stock."""
    return avg_usage * avg_lead + safety_stock


# ----- parameters -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ProductionCalendar:
    """Turns lifetime volumes into daily usage."""

    lifetime_years: float = 5.0
    working_days_per_year: float = 250.0

    @property
    def days(self) -> float:
        return self.lifetime_years * self.working_days_per_year


@dataclass(frozen=True)
class LeadTimeDefaults:
    """Lead times (working days) for arcs not listed in a ``lead_times`` table."""

    local_avg: float = 5.0
    local_max: float = 8.0
    remote_avg: float = 30.0     # supplier in another region than the plant
    remote_max: float = 45.0


@dataclass(frozen=True)
class SafetyStockPolicy:
    """Which formula and its parameters."""

    method: str = "statistical_lt"
    service_level: float = 0.95
    demand_cv: float = 0.2           # σ_d / u_avg
    peak_factor: float = 1.2         # u_max / u_avg
    cover_days: float = 5.0          # time-based method
    fixed_units: float | dict = 0.0  # fixed method: units, or {option: units}
    lead_times: LeadTimeDefaults = field(default_factory=LeadTimeDefaults)

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"unknown safety-stock method {self.method!r} (choose from {', '.join(METHODS)})")


def safety_days(policy: SafetyStockPolicy, avg_lead: float, max_lead: float, sd_lead: float) -> float:
    """Safety stock in days of average usage (SS / u_avg) for the linear methods."""
    p = policy
    if p.method == "max_average":
        return max_average(p.peak_factor, max_lead, 1.0, avg_lead)
    if p.method == "time_based":
        return time_based(1.0, p.cover_days)
    if p.method == "statistical":
        return statistical(p.service_level, p.demand_cv, avg_lead)
    if p.method == "statistical_lt":
        return statistical_lead_time(p.service_level, p.demand_cv, avg_lead, 1.0, sd_lead)
    raise ValueError(f"method {p.method!r} is not proportional to usage")


# ----- lead times per arc ---------------------------------------------------------------------
def arc_lead_times(instance: Instance, defaults: LeadTimeDefaults | None = None,
                   lead_times: pd.DataFrame | None = None) -> pd.DataFrame:
    """``supplier, plant, local, avg_days, max_days, std_days`` for every supplier→plant arc.

    ``lead_times`` (or the instance's optional ``lead_times`` table) overrides the defaults;
    problems (max < avg, bad ``std_days``) are reported with file, row and column.
    """
    defaults = defaults or LeadTimeDefaults()
    inst = validate(instance)
    sp = inst["supplier_plant"][["supplier", "plant"]].copy()
    s_reg = dict(zip(inst["suppliers"]["supplier"], inst["suppliers"]["region"]))
    p_reg = dict(zip(inst["plants"]["plant"], inst["plants"]["region"]))
    sp["local"] = [s_reg[s] == p_reg[p] for s, p in zip(sp["supplier"], sp["plant"])]
    sp["avg_days"] = [defaults.local_avg if loc else defaults.remote_avg for loc in sp["local"]]
    sp["max_days"] = [defaults.local_max if loc else defaults.remote_max for loc in sp["local"]]
    sp["std_days"] = float("nan")
    source, lines = "lead_times", None
    if lead_times is None and "lead_times" in inst:
        lead_times, source = inst["lead_times"], inst.where("lead_times")
        lines = [inst.line("lead_times", i) for i in range(len(lead_times))]
    if lead_times is not None:
        given = _check_lead_times(lead_times, source, lines or [i + inst.row_offset for i in range(len(lead_times))])
        sp = sp.merge(given, on=["supplier", "plant"], how="left", suffixes=("", "_given"))
        for c in ("avg_days", "max_days", "std_days"):
            sp[c] = sp[f"{c}_given"].where(sp[f"{c}_given"].notna(), sp[c])
        sp = sp.drop(columns=[f"{c}_given" for c in ("avg_days", "max_days", "std_days")])
    sp["std_days"] = sp["std_days"].where(sp["std_days"].notna(), (sp["max_days"] - sp["avg_days"]) / 2.0)
    return sp.reset_index(drop=True)


def _check_lead_times(frame: pd.DataFrame, source: str, lines: list[int]) -> pd.DataFrame:
    """The lead times of ``frame`` as numbers; ``lines``: where each row was read."""
    problems, rows = [], []
    has_std = "std_days" in frame.columns
    for line, (_, r) in zip(lines, frame.iterrows()):
        vals = {}
        for col in ("avg_days", "max_days") + (("std_days",) if has_std else ()):
            text = str(r[col]).strip() if r[col] is not None else ""
            if col == "std_days" and text in ("", "nan"):
                vals[col] = float("nan")
                continue
            try:
                vals[col] = float(text)
            except ValueError:
                problems.append(Problem(source, line, col, f"must be a number (got {text!r})"))
                continue
            if not math.isfinite(vals[col]) or vals[col] < 0:
                problems.append(Problem(source, line, col, f"must be a non-negative number (got {text!r})"))
        if {"avg_days", "max_days"} <= vals.keys() and vals["max_days"] < vals["avg_days"]:
            problems.append(Problem(source, line, "max_days",
                                    f"maximum lead time {vals['max_days']:g} is below the average {vals['avg_days']:g}"))
        rows.append({"supplier": str(r["supplier"]).strip(), "plant": str(r["plant"]).strip(),
                     "std_days": float("nan"), **vals})
    if problems:
        raise InputError(problems)
    return pd.DataFrame(rows, columns=["supplier", "plant", "avg_days", "max_days", "std_days"])


# ----- the plan for a solution ----------------------------------------------------------------
def safety_stock_plan(procurement: pd.DataFrame, instance: Instance, calendar: ProductionCalendar | None = None,
                      lead_times: pd.DataFrame | None = None, policy: SafetyStockPolicy | None = None) -> pd.DataFrame:
    """Safety stock and reorder point per (plant, option, supplier) arc of a solution.

    ``procurement`` is ``Solution.procurement`` (supplier, plant, option, units, ...); units of
    all price breaks of an arc are added. Columns of the result: ``plant, option, supplier,
    local, units, avg_daily_usage, max_daily_usage, sd_daily_usage, avg_lead_days, max_lead_days,
    std_lead_days, safety_stock, safety_days, reorder_point``.
    """
    calendar, policy = calendar or ProductionCalendar(), policy or SafetyStockPolicy()
    flows = procurement.groupby(["plant", "option", "supplier"], as_index=False)["units"].sum()
    lt = arc_lead_times(instance, policy.lead_times, lead_times)
    plan = flows.merge(lt, on=["supplier", "plant"], how="left")
    u = plan["units"] / calendar.days
    plan = pd.DataFrame({
        "plant": plan["plant"], "option": plan["option"], "supplier": plan["supplier"], "local": plan["local"],
        "units": plan["units"], "avg_daily_usage": u, "max_daily_usage": policy.peak_factor * u,
        "sd_daily_usage": policy.demand_cv * u, "avg_lead_days": plan["avg_days"],
        "max_lead_days": plan["max_days"], "std_lead_days": plan["std_days"]})
    if policy.method == "fixed":
        f = policy.fixed_units
        plan["safety_stock"] = [fixed(f.get(k, 0.0) if isinstance(f, dict) else f) for k in plan["option"]]
    else:
        days = [safety_days(policy, a, m, s) for a, m, s in
                zip(plan["avg_lead_days"], plan["max_lead_days"], plan["std_lead_days"])]
        plan["safety_stock"] = [max(d, 0.0) * ui for d, ui in zip(days, u)]
    plan["safety_days"] = (plan["safety_stock"] / plan["avg_daily_usage"]).where(plan["avg_daily_usage"] > 0, 0.0)
    plan["reorder_point"] = [reorder_point(ui, L, ss) for ui, L, ss in
                             zip(plan["avg_daily_usage"], plan["avg_lead_days"], plan["safety_stock"])]
    log.info("safety stock plan (%s): %d arcs, %.1f units in total", policy.method, len(plan),
             plan["safety_stock"].sum())
    return plan.sort_values(["plant", "option", "supplier"]).reset_index(drop=True)


def safety_stock_unit_costs(instance: Instance, holding_rate: float, unit_value: float | dict | None = None,
                            calendar: ProductionCalendar | None = None, policy: SafetyStockPolicy | None = None,
                            lead_times: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per-unit holding cost of safety stock on every supplier→plant arc (see :func:`with_safety_stock_cost`).

    Columns: ``supplier, plant, local, avg_days, max_days, std_days, safety_days, unit_value,
    ss_unit_cost``.
    """
    calendar, policy = calendar or ProductionCalendar(), policy or SafetyStockPolicy()
    if policy.method == "fixed":
        raise ValueError("the fixed method is not proportional to flow; it cannot be priced per unit")
    if holding_rate < 0:
        raise ValueError(f"holding rate must be non-negative (got {holding_rate})")
    inst = validate(instance)
    arcs = arc_lead_times(inst, policy.lead_times, lead_times)
    top_price = inst["price_breaks"].groupby("supplier")["unit_price"].max().to_dict()
    if unit_value is None:
        values = [top_price[s] for s in arcs["supplier"]]
    elif isinstance(unit_value, dict):
        values = [unit_value.get(s, top_price[s]) for s in arcs["supplier"]]
    else:
        values = [float(unit_value)] * len(arcs)
    arcs["safety_days"] = [max(safety_days(policy, a, m, s), 0.0) for a, m, s in
                           zip(arcs["avg_days"], arcs["max_days"], arcs["std_days"])]
    arcs["unit_value"] = values
    arcs["ss_unit_cost"] = holding_rate * arcs["unit_value"] * arcs["safety_days"] / calendar.working_days_per_year
    return arcs


def with_safety_stock_cost(instance: Instance, holding_rate: float = 0.25, unit_value: float | dict | None = None,
                           calendar: ProductionCalendar | None = None, policy: SafetyStockPolicy | None = None,
                           lead_times: pd.DataFrame | None = None) -> Instance:
    """A copy of ``instance`` whose ``unit_shipping_cost`` includes safety-stock holding cost.

    On an arc carrying F units over the lifetime of Y years at W working days a year,
    u_avg = F/(Y·W) and SS = s·u_avg with s the safety days of the arc (a constant of the
    method, the service level and the arc's lead times). Holding SS for Y years at a yearly
    rate h on a unit value v costs h·v·Y·SS = h·v·s·F/W, so the per-unit charge is

        c_sp = h · v_s · s_sp / W      (independent of Y)

    and the MILP objective grows by exactly the holding cost of the plan's safety stock.
    ``unit_value`` v_s defaults to the supplier's highest unit price (a conservative value
    when a supplier makes several options; pass a number or {supplier: value} to override).
    ``holding_rate`` is per year (0.25 = 25 % of the unit value a year).
    """
    costs = safety_stock_unit_costs(instance, holding_rate, unit_value, calendar, policy, lead_times)
    add = {(s, p): c for s, p, c in zip(costs["supplier"], costs["plant"], costs["ss_unit_cost"])}
    sp = validate(instance)["supplier_plant"].copy()
    sp["unit_shipping_cost"] = [c + add[(s, p)] for s, p, c in
                                zip(sp["supplier"], sp["plant"], sp["unit_shipping_cost"])]
    log.info("safety-stock holding cost added to %d arcs (max %.4g per unit)", len(sp), max(add.values(), default=0))
    return instance.replace(supplier_plant=sp)
