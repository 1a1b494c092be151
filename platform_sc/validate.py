"""Validate an instance before any model is built; return it with typed columns.

Checks, in order (later stages run only when earlier ones pass, so one typo does not
cascade into dozens of messages): required columns; cell types and signs; duplicate keys;
unknown keys across tables; semantic rules (thresholds, capabilities, price breaks); and
capacity that cannot cover demand given the allowed arcs (max-flow bounds, a necessary
condition for feasibility). All problems of a stage are reported together in one
:class:`~platform_sc.errors.InputError`.
"""
from __future__ import annotations

import math

import networkx as nx
import pandas as pd

from .errors import InputError, Problem
from .io import Instance
from .rules import check_rules
from .schema import OPTIONAL_SCHEMA, SCHEMA


def _schema(table: str) -> dict:
    return SCHEMA.get(table) or OPTIONAL_SCHEMA[table]


class _Report:
    def __init__(self, inst: Instance):
        self.inst = inst
        self.problems: list[Problem] = []

    def add(self, table: str, row: int | None, column: str | None, message: str) -> None:
        line = None if row is None else self.inst.line(table, row)
        self.problems.append(Problem(self.inst.where(table), line, column, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def _convert_cell(kind: str, raw) -> tuple[object, str | None]:
    """Convert one cell to its kind; return (value, error message or None)."""
    text = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else str(raw).strip()
    if kind == "str":
        return (text, None) if text else (text, "is empty")
    if kind.startswith("choice:"):
        allowed = kind.split(":", 1)[1].split("|")
        return (text, None) if text in allowed else (raw, f"must be one of {', '.join(allowed)} (got {text!r})")
    try:
        value = float(text)
    except ValueError:
        return raw, f"must be a number (got {text!r})" if text else "is empty"
    if not math.isfinite(value):
        return raw, f"must be finite (got {text!r})"
    if value < 0:
        return raw, f"must be non-negative (got {text!r})"
    if kind == "share" and value > 1:
        return raw, f"must be a share between 0 and 1 (got {text!r})"
    if kind == "int":
        if not value.is_integer() or value < 1:
            return raw, f"must be a whole number >= 1 (got {text!r})"
        return int(value), None
    return value, None


def _types(inst: Instance, rep: _Report) -> dict[str, pd.DataFrame]:
    typed = {}
    for table, frame in inst.tables.items():
        spec = _schema(table)
        missing = [c for c in spec["columns"] if c not in frame.columns]
        for col in missing:
            rep.add(table, None, col, "required column is missing")
        if missing:
            continue
        out = frame.copy()
        for col, kind in spec["columns"].items():
            values = []
            for i, raw in enumerate(frame[col].tolist()):
                value, err = _convert_cell(kind, raw)
                if err:
                    rep.add(table, i, col, err)
                values.append(value)
            numeric = kind in ("float", "int", "share")
            out[col] = pd.Series(values, index=frame.index, dtype=None if numeric else object)
        typed[table] = out
    return typed


def _keys(typed: dict[str, pd.DataFrame], rep: _Report) -> None:
    for table, frame in typed.items():
        key = _schema(table)["key"]
        if not key:
            continue
        dup = frame.duplicated(subset=key, keep="first")
        for i in frame.index[dup]:
            values = ", ".join(f"{k}={frame.at[i, k]!r}" for k in key)
            rep.add(table, i, key[-1], f"duplicate key ({values})")
    for table, frame in typed.items():
        for col, (ref_table, ref_col) in _schema(table)["refs"].items():
            if ref_table not in typed:
                continue
            known = set(typed[ref_table][ref_col])
            for i, value in frame[col].items():
                if value not in known:
                    rep.add(table, i, col, f"unknown {ref_col} {value!r} (not in {ref_table})")


def _semantics(t: dict[str, pd.DataFrame], rep: _Report) -> None:
    opt_module = dict(zip(t["options"]["option"], t["options"]["module"]))
    sup_module = dict(zip(t["suppliers"]["supplier"], t["suppliers"]["module"]))
    max_level = t["options"].groupby("module")["level"].max().to_dict()

    for module in t["modules"]["module"]:
        if module not in max_level:
            rep.add("modules", None, "module", f"module {module!r} has no options")

    th = t["thresholds"]
    have = set(zip(th["segment"], th["module"]))
    for seg in t["segments"]["segment"]:
        for module in t["modules"]["module"]:
            if (seg, module) not in have:
                rep.add("thresholds", None, None, f"no threshold for segment {seg!r}, module {module!r}")
    for i, seg, module, level in zip(th.index, th["segment"], th["module"], th["min_level"]):
        top = max_level.get(module)
        if top is not None and level > top:
            rep.add("thresholds", i, "min_level",
                    f"no option of module {module!r} meets level {level} (highest is {top}) for segment {seg!r}")

    so = t["supplier_options"]
    for i, sup, opt in zip(so.index, so["supplier"], so["option"]):
        if opt_module[opt] != sup_module[sup]:
            rep.add("supplier_options", i, "option",
                    f"option {opt!r} is of module {opt_module[opt]!r}, "
                    f"but supplier {sup!r} makes module {sup_module[sup]!r}")
    capable = set(zip(so["supplier"], so["option"]))
    with_options = set(so["supplier"])
    for i, sup in t["suppliers"]["supplier"].items():
        if sup not in with_options:
            rep.add("suppliers", i, "supplier", f"supplier {sup!r} has no options in supplier_options")

    check_rules(t, rep.add)
    if "demand_scenarios" in t:
        _demand_scenarios(t, rep)
    _price_breaks(t["price_breaks"], so, capable, rep)


def _price_breaks(pb: pd.DataFrame, so: pd.DataFrame, capable: set, rep: _Report) -> None:
    """Breaks only for capable pairs; per pair: the first at 0, listed by increasing
    quantity, prices not rising; every capable pair has a price."""
    groups: dict = {}
    for i, sup, opt, qty, price in zip(pb.index, pb["supplier"], pb["option"], pb["min_quantity"], pb["unit_price"]):
        if (sup, opt) not in capable:
            rep.add("price_breaks", i, "option",
                    f"supplier {sup!r} is not capable of option {opt!r} (no row in supplier_options)")
        else:
            groups.setdefault((sup, opt), []).append((i, qty, price))
    for (sup, opt), rows in groups.items():
        ordered = sorted(rows, key=lambda r: r[1])
        if ordered[0][1] != 0:
            rep.add("price_breaks", rows[0][0], "min_quantity",
                    f"supplier {sup!r}, option {opt!r}: the first price break must start at 0")
        if ordered != rows:
            rep.add("price_breaks", rows[0][0], "min_quantity",
                    f"supplier {sup!r}, option {opt!r}: price breaks are out of order "
                    "(list them by increasing min_quantity)")
        for a, b in zip(ordered, ordered[1:]):
            if b[2] > a[2]:
                rep.add("price_breaks", b[0], "unit_price",
                        f"supplier {sup!r}, option {opt!r}: unit price rises with quantity "
                        "(an all-units discount must not increase)")
    for i, sup, opt in zip(so.index, so["supplier"], so["option"]):
        if (sup, opt) not in groups:
            rep.add("supplier_options", i, "option", f"supplier {sup!r}, option {opt!r} has no price break")


def _demand_scenarios(t: dict[str, pd.DataFrame], rep: _Report) -> None:
    """One probability per scenario, summing to 1; known regions (each scenario's capacity is
    checked when the scenarios are built, see platform_sc.uncertainty)."""
    ds = t["demand_scenarios"]
    regions = set(t["segments"]["region"])
    for i, region in ds["region"].items():
        if region not in regions:
            rep.add("demand_scenarios", i, "region", f"no segment is in region {region!r}")
    first = ds.groupby("scenario", sort=False)["probability"].first()
    for i, row in ds.iterrows():
        if row["probability"] != first[row["scenario"]]:
            rep.add("demand_scenarios", i, "probability",
                    f"differs from the first row of scenario {row['scenario']!r} ({first[row['scenario']]:g})")
    if abs(first.sum() - 1) > 1e-6:
        rep.add("demand_scenarios", None, "probability", f"scenario probabilities sum to {first.sum():g}, not 1")


def _max_flow(edges: list[tuple], demand: dict) -> float:
    """Most units from "src" to "sink" over ``edges``, each node ("m", key) of ``demand``
    taking at most its demand."""
    g = nx.DiGraph()
    for u, v, cap in edges:
        g.add_edge(u, v, capacity=cap)
    for node, dv in demand.items():
        g.add_edge(("m", node), "sink", capacity=dv)
    if "src" not in g or "sink" not in g:
        return 0.0
    return nx.maximum_flow_value(g, "src", "sink")


def _without_ruled_out(t: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], str]:
    """The tables without the suppliers supplier_rules excludes and the plants plant_rules
    closes (they supply nothing), and a note for the messages if any were left out."""
    out = dict(t)
    gone = {key: {r for r, st in zip(t[table][key], t[table]["status"]) if st == status}
            if table in t else set() for table, key, status in (("supplier_rules", "supplier", "excluded"),
                                                                  ("plant_rules", "plant", "closed"))}
    for table in ("suppliers", "supplier_options", "supplier_plant"):
        out[table] = t[table][~t[table]["supplier"].isin(gone["supplier"])]
    for table in ("plants", "plant_segment", "supplier_plant"):
        out[table] = out[table][~out[table]["plant"].isin(gone["plant"])]
    left = [what for what, ids in (("the suppliers supplier_rules excludes", gone["supplier"]),
                                   ("the plants plant_rules closes", gone["plant"])) if ids]
    return out, f" (without {' and '.join(left)})" if left else ""


def _capacity(t: dict[str, pd.DataFrame], rep: _Report) -> None:
    t, ruled = _without_ruled_out(t)
    demand = dict(zip(t["segments"]["segment"], t["segments"]["demand"]))
    total = sum(demand.values())
    ps = t["plant_segment"]
    served = set(ps["segment"])
    for i, seg in t["segments"]["segment"].items():
        if seg not in served and demand[seg] > 0:
            rep.add("segments", i, "segment", f"segment {seg!r} has no plant allowed to serve it "
                    f"(no row in plant_segment){ruled}")
    plant_cap = dict(zip(t["plants"]["plant"], t["plants"]["capacity"]))
    # segments with the same allowed plants are one sink node (same flows, a graph of a few nodes)
    plants_of: dict = {}
    for p, m in zip(ps["plant"], ps["segment"]):
        plants_of.setdefault(m, set()).add(p)
    classes: dict = {}
    for m, dv in demand.items():
        if m in plants_of:
            key = tuple(sorted(plants_of[m]))
            classes[key] = classes.get(key, 0.0) + dv
    manufacturing = [(("pi", p), ("po", p), cap) for p, cap in plant_cap.items()]
    manufacturing += [(("po", p), ("m", key), math.inf) for key in classes for p in key]
    reach = _max_flow([("src", ("pi", p), math.inf) for p in plant_cap] + manufacturing, classes)
    if reach < total - 1e-6 * max(total, 1):
        rep.add("plants", None, "capacity",
                f"plants can deliver at most {reach:,.0f} units over the allowed plant-segment arcs, "
                f"but total demand is {total:,.0f}{ruled}")
    sup = t["suppliers"]
    sp = t["supplier_plant"]
    for module in t["modules"]["module"]:
        mine = sup[sup["module"] == module]
        arcs = sp[sp["supplier"].isin(set(mine["supplier"]))]
        edges = [("src", ("s", s), c) for s, c in zip(mine["supplier"], mine["capacity"])]
        edges += [(("s", s), ("pi", p), math.inf) for s, p in zip(arcs["supplier"], arcs["plant"])]
        flow = _max_flow(edges + manufacturing, classes)
        if flow < total - 1e-6 * max(total, 1):
            rep.add("suppliers", None, "capacity",
                    f"module {module!r}: suppliers can deliver at most {flow:,.0f} units through "
                    f"the allowed arcs, but total demand is {total:,.0f}{ruled}")
    _options_reach(t, rep, ruled)


def _options_reach(t: dict[str, pd.DataFrame], rep: _Report, ruled: str) -> None:
    """Every (segment, module) needs an acceptable option that suppliers reaching the
    segment's plants can make, and make in the segment's whole volume (a segment gets one
    option per module, so one option's suppliers must cover its demand); and a segment
    with demand a plant that receives an acceptable option of every module."""
    opts = t["options"].set_index("option")
    so = t["supplier_options"][["supplier", "option"]].merge(t["suppliers"][["supplier", "capacity"]], on="supplier")
    so = so.assign(level=so["option"].map(opts["level"]), module=so["option"].map(opts["module"]))
    routes = so.merge(t["supplier_plant"][["supplier", "plant"]], on="supplier") \
               .merge(t["plant_segment"][["plant", "segment"]], on="plant")
    cap = (routes.drop_duplicates(["segment", "option", "supplier"])
           .groupby(["segment", "module", "option", "level"], as_index=False)["capacity"].sum())
    demand = dict(zip(t["segments"]["segment"], t["segments"]["demand"]))
    th = t["thresholds"][["segment", "module", "min_level"]].reset_index().rename(columns={"index": "row"})
    acceptable = th.merge(cap, on=["segment", "module"])
    best = acceptable[acceptable["level"] >= acceptable["min_level"]].groupby("row")["capacity"].max()
    best = best.to_dict()
    flagged = set()
    for row in th.itertuples(index=False):
        where = f"segment {row.segment!r}, module {row.module!r}"
        if row.row not in best:
            rep.add("thresholds", row.row, "min_level", f"{where}: no supplier that can reach this segment's "
                    f"plants makes an option of level >= {row.min_level}{ruled}")
        elif best[row.row] < demand[row.segment] - 1e-9:
            rep.add("thresholds", row.row, "min_level", f"{where}: the suppliers of any acceptable option can "
                    f"make at most {best[row.row]:,.0f} units of it, but the segment needs "
                    f"{demand[row.segment]:,.0f} of one option{ruled}")
        else:
            continue
        flagged.add(row.segment)
    served = routes.merge(th, on=["segment", "module"])
    served = served[served["level"] >= served["min_level"]].drop_duplicates(["segment", "plant", "module"])
    whole = served.groupby(["segment", "plant"]).size()
    buildable = {seg for (seg, _), n in whole.items() if n == len(t["modules"])}
    for i, seg in t["segments"]["segment"].items():
        if demand[seg] > 0 and seg not in buildable | flagged:
            rep.add("segments", i, "segment", f"segment {seg!r}: none of its plants receives an acceptable "
                    f"option of every module (each module's suppliers reach only some of them){ruled}")


def validate(inst: Instance) -> Instance:
    """Check ``inst``; return a copy with typed columns or raise :class:`InputError`."""
    rep = _Report(inst)
    typed = _types(inst, rep)
    rep.raise_if_any()
    _keys(typed, rep)
    rep.raise_if_any()
    _semantics(typed, rep)
    rep.raise_if_any()
    _capacity(typed, rep)
    rep.raise_if_any()
    return Instance(typed, inst.name, dict(inst.source), inst.row_offset, dict(inst.lines))
