"""Supply-network drawing of one solution: suppliers → plants → segments, by region.

:func:`draw_network` reads the instance (for the network's structure and region of every
node) and the solution tables only; it returns a :class:`matplotlib.figure.Figure`.
Columns are suppliers, plants and segments; nodes are grouped and coloured by region;
used arcs are drawn with widths proportional to their flow (supplier → plant summed over
options), arcs allowed but unused as faint dotted lines. Each segment's label shows the
product configuration it is offered (an id shared by identical configurations and the
option level per module); a side panel lists the options developed per module and the
configurations with the segments and units they serve.
"""
from __future__ import annotations

import logging
from pathlib import Path

import networkx as nx
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .errors import InputError, NoSolutionError, Problem
from .extract import Solution
from .io import Instance, read
from .measures import cost_breakdown
from .sets import Sets
from .uncertainty import scenario_name, scenario_view
from .validate import validate

log = logging.getLogger(__name__)

REGION_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")
UNUSED = "#bbbbbb"
COLUMN_X = {"supplier": 0.0, "plant": 1.0, "segment": 2.0}


def _sets(source) -> Sets:
    if isinstance(source, Sets):
        return source
    inst = source if isinstance(source, Instance) else read(Path(source))
    return Sets(validate(inst))


def _regions(S: Sets) -> list[str]:
    order: list[str] = []
    for r in (*(S.segment_region[m] for m in S.segments), *(S.plant_region[p] for p in S.plants),
              *(S.supplier_region[s] for s in S.suppliers)):
        if r not in order:
            order.append(r)
    return order


def _column(nodes: list[str], region_of: dict, regions: list[str], key=None) -> dict[str, float]:
    """y of each node: grouped by region (a gap between groups), top to bottom."""
    ordered = sorted(nodes, key=lambda n: (regions.index(region_of[n]), key(n) if key else n))
    ys, y, last = {}, 0.0, None
    for n in ordered:
        if last is not None and region_of[n] != last:
            y -= 1.0
        ys[n] = y
        y -= 1.0
        last = region_of[n]
    return ys


def _stretch(ys: dict[str, float], top: float, bottom: float) -> dict[str, float]:
    """Spread a column over [bottom, top] so short columns line up with the longest."""
    if not ys:
        return ys
    lo, hi = min(ys.values()), max(ys.values())
    if hi == lo:
        return {n: (top + bottom) / 2 for n in ys}
    return {n: bottom + (y - lo) / (hi - lo) * (top - bottom) for n, y in ys.items()}


def configuration_table(S: Sets, solution: Solution) -> pd.DataFrame:
    """One row per segment: configuration id (C1 = most units), levels per module, units."""
    offers = solution.offers
    levels = offers.pivot(index="segment", columns="module", values="level").reindex(columns=S.modules)
    key = levels.apply(lambda r: tuple(int(v) for v in r), axis=1)
    units = pd.Series({m: S.demand[m] for m in levels.index}, dtype=float)
    total = units.groupby(key).sum().sort_values(ascending=False, kind="stable")
    ids = {k: f"C{i + 1}" for i, k in enumerate(total.index)}
    out = pd.DataFrame({"configuration": key.map(ids), "levels": key, "units": units})
    return out


def draw_network(source, solution: Solution, title: str | None = None, scenario: str | None = None) -> Figure:
    """Draw the supply network of ``solution`` for an instance (Sets, Instance or path). A
    solution with demand scenarios is drawn for one, ``scenario`` (default the first), named
    in the title and the cost."""
    S = _sets(source)
    scenario = scenario_name(solution, scenario)
    solution = scenario_view(solution, scenario)
    regions = _regions(S)
    color = {r: REGION_COLORS[i % len(REGION_COLORS)] for i, r in enumerate(regions)}
    selected = set(solution.suppliers["supplier"])
    open_plants = set(solution.plants["plant"])
    cfg = configuration_table(S, solution)

    seg_y = _column(S.segments, S.segment_region, regions)
    sup_y = _column(S.suppliers, S.supplier_region, regions,
                    key=lambda s: (S.modules.index(S.supplier_module[s]), s))
    top, bottom = 0.0, min(min(seg_y.values()), min(sup_y.values()))
    seg_y, sup_y = _stretch(seg_y, top, bottom), _stretch(sup_y, top, bottom)
    # plants sit level with the segments of their region when every region has its own plant,
    # else (central plants) they are spread over the middle of the column
    plant_y = {}
    seg_regions = {S.segment_region[m] for m in S.segments}
    if not seg_regions <= {S.plant_region[p] for p in S.plants}:
        step = (top - bottom) / (len(S.plants) + 1)
        plant_y = {p: top - (i + 1) * step for i, p in enumerate(sorted(S.plants))}
    for r in regions if not plant_y else ():
        ps = [p for p in S.plants if S.plant_region[p] == r]
        ys = [seg_y[m] for m in S.segments if S.segment_region[m] == r] or [(top + bottom) / 2]
        centre = sum(ys) / len(ys)
        for i, p in enumerate(sorted(ps)):
            plant_y[p] = centre - (i - (len(ps) - 1) / 2) * 1.5

    G = nx.DiGraph()
    pos = {}
    for kind, ys, region_of in (("supplier", sup_y, S.supplier_region), ("plant", plant_y, S.plant_region),
                                ("segment", seg_y, S.segment_region)):
        for n, y in ys.items():
            G.add_node(n, kind=kind, region=region_of[n])
            pos[n] = (COLUMN_X[kind], y)
    sp_flow = solution.procurement.groupby(["supplier", "plant"])["units"].sum()
    ps_flow = solution.assembly.set_index(["plant", "segment"])["units"]
    unused = [a for a in S.ship if a not in sp_flow.index] + [a for a in S.muc if a not in ps_flow.index]
    used = [(a, float(u)) for a, u in sp_flow.items()] + [(a, float(u)) for a, u in ps_flow.items()]
    G.add_edges_from(a for a, _ in used)
    G.add_edges_from(unused)
    top_flow = max((u for _, u in used), default=1.0) or 1.0

    n_rows = max(len(S.segments), len(S.suppliers), 4)
    height = max(4.5, 0.27 * (n_rows + 2 * len(regions)) + 1.8)
    fig = Figure(figsize=(16, height), layout="constrained")
    ax, side = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3.0, 1.15]})
    ax.set_axis_off()
    side.set_axis_off()

    if len(unused) <= 600:
        nx.draw_networkx_edges(G, pos, edgelist=unused, ax=ax, edge_color=UNUSED, width=0.4, style=":",
                               arrows=False, alpha=0.6)
    if used:
        nx.draw_networkx_edges(G, pos, edgelist=[a for a, _ in used], ax=ax, arrows=False, alpha=0.55,
                               width=[0.5 + 6.0 * u / top_flow for _, u in used],
                               edge_color=[color[G.nodes[a[0]]["region"]] for a, _ in used])
    size = 60 if n_rows > 16 else 110
    for kind, shape, chosen, big in (("supplier", "o", selected, 1.0), ("plant", "s", open_plants, 3.0),
                                     ("segment", "D", set(S.segments), 1.0)):
        nodes = [n for n, d in G.nodes(data=True) if d["kind"] == kind]
        on = [n for n in nodes if n in chosen]
        off = [n for n in nodes if n not in chosen]
        nx.draw_networkx_nodes(G, pos, nodelist=on, ax=ax, node_shape=shape, node_size=size * big,
                               node_color=[color[G.nodes[n]["region"]] for n in on], edgecolors="black",
                               linewidths=0.6)
        if off:
            nx.draw_networkx_nodes(G, pos, nodelist=off, ax=ax, node_shape=shape, node_size=size * big,
                                   node_color="white", edgecolors=[color[G.nodes[n]["region"]] for n in off],
                                   linewidths=0.8)

    fs = 7 if n_rows > 16 else 8.5
    tooled = solution.tooling.groupby("supplier")["option"].apply(lambda ks: sorted(int(S.level[k]) for k in ks))
    for s, y in sup_y.items():
        levels = tooled.get(s)
        extra = f"  [{','.join(map(str, levels))}]" if s in selected and levels is not None else ""
        ax.text(-0.04, y, s + extra, ha="right", va="center", fontsize=fs,
                color="black" if s in selected else "#888888")
    plant_units = solution.assembly.groupby("plant")["units"].sum()
    for p, y in plant_y.items():
        txt = f"{p}\n{plant_units.get(p, 0):,.0f} units" if p in open_plants else f"{p}\n(not set up)"
        ax.annotate(txt, (1.0, y), xytext=(0, 11), textcoords="offset points", ha="center", va="bottom",
                    fontsize=fs + 0.5, color="black" if p in open_plants else "#888888",
                    bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85))
    for m, y in seg_y.items():
        if m in cfg.index:
            row = cfg.loc[m]
            txt = f"{m}  {row['configuration']:<4} {'·'.join(map(str, row['levels']))}   {row['units']:,.0f}"
        else:
            txt = f"{m}  (not served)"
        ax.text(2.04, y, txt, ha="left", va="center", fontsize=fs, family="monospace")
    head = top + 1.3
    ax.text(0.0, head, "suppliers  [options tooled]", ha="center", va="bottom", fontsize=fs + 1.5, weight="bold")
    ax.text(1.0, head, "plants", ha="center", va="bottom", fontsize=fs + 1.5, weight="bold")
    ax.text(2.04, head, f"segment  config  levels ({'·'.join(S.modules)})  units", ha="left", va="bottom",
            fontsize=fs + 0.5, weight="bold")
    ax.set_xlim(-0.75, 2.7)
    ax.set_ylim(bottom - 1.0, head + 1.2)

    _side_panel(side, S, solution, cfg, fs + 1, "Total cost" if scenario is None else f"Cost in scenario {scenario}")
    handles = [Line2D([], [], marker="o", linestyle="", markerfacecolor=color[r], markeredgecolor="black",
                      markersize=7, label=r) for r in regions]
    handles += [Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="grey",
                       markersize=7, label="not selected / not set up"),
                Line2D([], [], color="grey", linewidth=3, alpha=0.6, label="flow (width ∝ units)"),
                Line2D([], [], color=UNUSED, linewidth=0.8, linestyle=":", label="allowed, unused")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, 0.0), ncol=len(handles),
              fontsize=fs + 0.5, frameon=False)
    title = title or f"Supply network — {S.instance.name}"
    fig.suptitle(title if scenario is None else f"{title} — demand scenario {scenario}", fontsize=12)
    log.debug("drew %d nodes, %d used arcs", G.number_of_nodes(), len(used))
    return fig


def _side_panel(ax, S: Sets, solution: Solution, cfg: pd.DataFrame, fs: float, cost_label: str) -> None:
    """Text panel: cost, options developed per module, configurations offered."""
    lines = []
    costs = cost_breakdown(solution)
    lines.append(f"{cost_label}  {sum(costs.values()):,.0f}")
    lines.append("")
    lines.append("Options developed (levels)")
    dev = solution.developed.groupby("module")["level"].apply(lambda v: sorted(int(x) for x in v))
    for j in S.modules:
        lv = dev.get(j, [])
        lines.append(f"  {j:<10} {', '.join(map(str, lv)) or '-'}")
    lines.append("")
    lines.append(f"Product configurations ({cfg['configuration'].nunique()})")
    lines.append(f"  id   levels{' ' * max(1, 2 * len(S.modules) - 5)} segs   units")
    summary = cfg.groupby("configuration").agg(levels=("levels", "first"), segs=("units", "size"),
                                               units=("units", "sum"))
    summary = summary.sort_values("units", ascending=False, kind="stable")
    shown = summary.head(30)
    for cid, row in shown.iterrows():
        lines.append(f"  {cid:<4} {'·'.join(map(str, row['levels'])):<{2 * len(S.modules) + 1}} "
                     f"{row['segs']:>4}  {row['units']:>10,.0f}")
    if len(summary) > len(shown):
        lines.append(f"  … {len(summary) - len(shown)} more")
    n_sup = len(solution.suppliers)
    lines += ["", f"Suppliers selected  {n_sup} of {len(S.suppliers)}",
              f"Plants set up       {len(solution.plants)} of {len(S.plants)}"]
    ax.text(0.0, 1.0, "\n".join(lines), ha="left", va="top", fontsize=fs, family="monospace",
            transform=ax.transAxes)


def _factor_value(name: str, value):
    """A factor read back from the results frame in the type the generator expects."""
    if name in ("volume", "segments", "seed"):
        return int(value)
    if name == "price_breaks":
        return "none" if str(value).lower() == "none" else int(float(value))
    return value


def from_store(db, scenario_id: str) -> tuple[Instance, Solution]:
    """The instance and stored solution of one batch scenario (for :func:`draw_network`)."""
    from dataclasses import fields

    from .batch import ResultsStore, read_results
    from .scenarios import instance_for
    from .scenarios.grid import FACTORS

    df = read_results(db)
    rows = df[df["id"] == scenario_id]
    if rows.empty:
        sample = ", ".join(df["id"].head(5))
        raise InputError([Problem(str(db), None, "id", f"no scenario {scenario_id!r} (e.g. {sample})")])
    row = rows.iloc[0]
    if pd.isna(row.get("objective")):
        raise NoSolutionError(f"scenario {scenario_id!r} in {db} has no solution (status {row['status']})")
    point = {k: _factor_value(k, row[k]) for k in FACTORS}
    if "params" in row.index and isinstance(row["params"], str):
        point["params"] = row["params"]
    with ResultsStore(db, read_only=True) as store:
        try:
            tables = {f.name: store.table(scenario_id, f.name) for f in fields(Solution)}
        except KeyError as exc:
            raise ValueError(f"scenario {scenario_id!r}: {exc.args[0]}") from None
    return instance_for(point), Solution(**tables)
