"""Paper-style graphs from a batch results frame (spec §9).

Pure functions of the DataFrame :func:`platform_sc.batch.read_results` returns: they never
touch a model or a solver, and return :class:`matplotlib.figure.Figure` objects (no pyplot,
so no GUI backend is ever needed). Only scenarios with a solution (objective not null) are
plotted; each point is the mean over the factors not shown, with min–max bars for the spread.
Each figure says how many of them are time-limited incumbents, not proven optimal.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

log = logging.getLogger(__name__)

CONFIG_ORDER = ("LL", "CC", "CG", "LG", "GG")


@dataclass(frozen=True)
class Graph:
    measure: str   # column of the results frame
    title: str
    ylabel: str


PAPER_GRAPHS: dict[str, Graph] = {
    "graph1_platformability_index": Graph("platformability_index", "Graph 1 — Platformability index",
                                          "Platformability index (0–1)"),
    "graph2_weighted_distance": Graph("weighted_distance", "Graph 2 — Weighted configuration distance",
                                      "Weighted distance from thresholds (option levels)"),
    "graph3_product_configurations": Graph("n_product_configurations", "Graph 3 — Product configurations",
                                           "Number of product configurations"),
    "graph4_total_cost": Graph("objective", "Graph 4 — Total cost", "Total cost"),
}

LABELS = {
    "objective": "Total cost",
    "lower_bound": "Lower bound on total cost",
    "platformability_index": "Platformability index",
    "weighted_distance": "Weighted distance (option levels)",
    "max_weighted_distance": "Maximum weighted distance (option levels)",
    "n_product_configurations": "Number of product configurations",
    "n_options_developed": "Options developed",
    "n_suppliers_selected": "Suppliers selected",
    "n_plants_open": "Plants open",
    "gap": "Relative MIP gap",
    "build_seconds": "Model build time (s)",
    "solve_seconds": "Solve time (s)",
    "wall_seconds": "Wall time per scenario (s)",
    "config": "Supply-chain configuration",
    "capability": "Supplier capability",
    "volume": "Worldwide volume (units)",
    "segments": "Number of segments",
    "dev_cost": "Development cost level",
    "price_breaks": "Price breaks",
    "seed": "Random seed",
}

_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_STYLES = {True: "-", False: "--"}  # with / without quantity discount


def is_money(measure: str) -> bool:
    return measure in ("objective", "lower_bound") or measure.startswith("cost_")


def money_scale(values) -> tuple[float, str]:
    """(divisor, unit word) so that costs read as small numbers: billions, millions or units."""
    top = float(np.nanmax(np.abs(np.asarray(values, dtype=float)))) if len(values) else 0.0
    for div, word in ((1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if top >= div:
            return div, word
    return 1.0, ""


def measure_label(measure: str, scale_word: str = "") -> str:
    """Axis label of a column, with its unit (costs in currency units, scaled)."""
    if is_money(measure):
        base = LABELS.get(measure) or measure.removeprefix("cost_").replace("_", " ").capitalize() + " cost"
        return f"{base} ({scale_word + ' ' if scale_word else ''}currency units)"
    return LABELS.get(measure, measure.replace("_", " ").capitalize())


def solved(df: pd.DataFrame) -> pd.DataFrame:
    """Rows with a solution; a ValueError when there are none."""
    if "objective" not in df.columns:
        raise ValueError("results frame has no 'objective' column")
    out = df[df["objective"].notna()].copy()
    if out.empty:
        raise ValueError("no solved scenarios to plot (every objective is empty)")
    return out


def n_unproven(data: pd.DataFrame) -> int:
    """How many rows of ``data`` (scenarios with a solution) are not proven optimal:
    time-limited incumbents, whose costs are upper bounds."""
    return int((data["status"] != "optimal").sum()) if "status" in data.columns else 0


def solved_note(data: pd.DataFrame) -> str:
    """How many scenarios a figure averages, and how many of them are time-limited incumbents
    (not proven optimal), as the report says in its text."""
    unproven = n_unproven(data)
    return f"{len(data)} solved scenarios" + (f", {unproven} not proven optimal (time-limited incumbents)"
                                              if unproven else "")


def discount(df: pd.DataFrame) -> pd.Series:
    """True where the scenario has quantity discounts (price_breaks other than 'none')."""
    return df["price_breaks"].astype(str).str.lower() != "none"


def factor_levels(values: pd.Series, factor: str | None = None) -> list:
    """Levels in display order: configurations in the paper's order, others sorted."""
    present = list(pd.unique(values.dropna()))
    if factor == "config":
        return [c for c in CONFIG_ORDER if c in present] + sorted(c for c in present if c not in CONFIG_ORDER)
    try:
        return sorted(present)
    except TypeError:  # mixed types (e.g. price_breaks 1..4 and 'none'): numbers first
        return sorted(present, key=lambda v: (isinstance(v, str), str(v) if isinstance(v, str) else v))


def _level_text(factor: str, value) -> str:
    if factor == "volume":
        return f"{int(value):,}"
    if factor == "segments":
        return f"{int(value)} segments"
    return str(value)


def _series(ax, frame: pd.DataFrame, x: str, xs: list, y: str, div: float, *, label: str, color: str,
            marker: str, style: str, offset: float) -> None:
    """One series: mean line with min–max bars at the categorical positions of ``xs``."""
    stats = frame.groupby(x, sort=False)[y].agg(["mean", "min", "max", "count"])
    pos = [i for i, v in enumerate(xs) if v in stats.index]
    if not pos:
        return
    st = stats.loc[[xs[i] for i in pos]] / [div, div, div, 1]
    px = np.asarray(pos, dtype=float) + offset
    line, = ax.plot(px, st["mean"], linestyle=style, marker=marker, color=color, label=label,
                    linewidth=1.8, markersize=6)
    line.set_gid("series")
    spread = st["max"] > st["min"]
    if spread.any():
        ax.errorbar(px[spread.values], st["mean"][spread], fmt="none", ecolor=color, elinewidth=1.0,
                    capsize=3, alpha=0.7,
                    yerr=[(st["mean"] - st["min"])[spread], (st["max"] - st["mean"])[spread]])


def _offsets(n: int, width: float = 0.07) -> list[float]:
    return [(i - (n - 1) / 2) * width for i in range(n)]


def paper_graph(df: pd.DataFrame, measure: str) -> Figure:
    """One of the paper's four graphs (a key of :data:`PAPER_GRAPHS` or its measure column).

    x: supply-chain configuration (paper order); one panel per worldwide volume; one series
    per number of segments, solid with quantity discount and dashed without where the batch
    has both. Points are means over the other factors; bars show min–max.
    """
    graph = PAPER_GRAPHS.get(measure) or next((g for g in PAPER_GRAPHS.values() if g.measure == measure), None)
    if graph is None:
        raise ValueError(f"unknown graph {measure!r} (use one of {', '.join(PAPER_GRAPHS)})")
    data = solved(df)
    y = graph.measure
    data[y] = data[y].astype(float)
    div, word = money_scale(data[y]) if is_money(y) else (1.0, "")
    ylabel = measure_label(y, word) if is_money(y) else graph.ylabel
    configs = factor_levels(data["config"], "config")
    volumes = factor_levels(data["volume"])
    segs = factor_levels(data["segments"])
    disc = discount(data)
    both = disc.nunique() > 1
    variants = [(True, "with discount"), (False, "no discount")] if both else [(bool(disc.iloc[0]), "")]
    fig = Figure(figsize=(max(7.0, 4.2 * len(volumes)), 4.8), layout="constrained")
    axes = fig.subplots(1, len(volumes), sharey=not is_money(y), squeeze=False)[0]
    offsets = _offsets(len(segs) * len(variants))
    order = [f"{int(n)} segments" + (f", {vname}" if vname else "") for n in segs for _, vname in variants]
    for ax, vol in zip(axes, volumes):
        panel = data[data["volume"] == vol]
        i = 0
        for si, n in enumerate(segs):
            for flag, vname in variants:
                sub = panel[(panel["segments"] == n) & (disc[panel.index] == flag)]
                label = order[i]
                if not sub.empty:
                    _series(ax, sub, "config", configs, y, div, label=label, color=_COLORS[si % len(_COLORS)],
                            marker=_MARKERS[si % len(_MARKERS)], style=_STYLES[flag], offset=offsets[i])
                i += 1
        ax.set_xticks(range(len(configs)), configs)
        ax.set_xlim(-0.5, len(configs) - 0.5)
        ax.set_title(f"Worldwide volume {_level_text('volume', vol)} units", fontsize=10)
        ax.set_xlabel(LABELS["config"])
        ax.grid(axis="y", alpha=0.3)
        if y == "platformability_index":
            ax.set_ylim(-0.05, 1.05)
        if y == "n_product_configurations":
            ax.yaxis.get_major_locator().set_params(integer=True)
    axes[0].set_ylabel(ylabel)
    for ax in axes[1:]:
        if not is_money(y):
            ax.tick_params(labelleft=False)
    fig.suptitle(graph.title + " by supply-chain configuration", fontsize=12)
    found = {}
    for ax in axes:
        for h, l in zip(*ax.get_legend_handles_labels()):
            found.setdefault(l, h)
    labels = [l for l in order if l in found]  # segments ascending, with discount first
    handles = [found[l] for l in labels]
    note = f"mean over the other factors ({solved_note(data)}); bars: min–max"
    # one legend column per segment count (with / without discount stacked), as wide as fits
    ncol = max(1, min(len(labels) // len(variants) or 1, int(fig.get_figwidth() // 2.6)))
    fig.legend(handles, labels, loc="outside lower center", ncol=ncol, fontsize=9,
               title=note, title_fontsize=8, frameon=False)
    log.debug("%s: %d panels, %d series", measure, len(axes), len(labels))
    return fig


def paper_graphs(df: pd.DataFrame) -> dict[str, Figure]:
    """All four graphs, keyed by file stem."""
    return {name: paper_graph(df, name) for name in PAPER_GRAPHS}


def factor_plot(df: pd.DataFrame, y: str, x: str, by: str | None = None) -> Figure:
    """Any measure ``y`` against any factor ``x``, one series per level of ``by``.

    Means over the remaining factors with min–max bars; x levels are categorical
    (configurations in the paper's order, other factors sorted).
    """
    data = solved(df)
    for col in (y, x) + ((by,) if by else ()):
        if col not in data.columns:
            raise ValueError(f"unknown column {col!r} (have: {', '.join(map(str, data.columns))})")
    try:
        data[y] = data[y].astype(float)
    except (TypeError, ValueError):
        raise ValueError(f"{y!r} is not numeric") from None
    div, word = money_scale(data[y]) if is_money(y) else (1.0, "")
    xs = factor_levels(data[x], x)
    groups = [(None, data)] if by is None else [(v, data[data[by] == v]) for v in factor_levels(data[by], by)]
    fig = Figure(figsize=(max(7.0, 0.9 * len(xs) + 5), 4.4), layout="constrained")
    ax = fig.add_subplot()
    offsets = _offsets(len(groups))
    for i, (level, sub) in enumerate(groups):
        label = "all scenarios" if by is None else f"{by} = {_level_text(by, level)}"
        _series(ax, sub, x, xs, y, div, label=label, color=_COLORS[i % len(_COLORS)],
                marker=_MARKERS[i % len(_MARKERS)], style="-", offset=offsets[i])
    ax.set_xticks(range(len(xs)), [_level_text(x, v) if x == "volume" else str(v) for v in xs])
    ax.set_xlim(-0.5, len(xs) - 0.5)
    ax.set_xlabel(measure_label(x))
    ax.set_ylabel(measure_label(y, word))
    ax.grid(axis="y", alpha=0.3)
    ax.set_title(f"{measure_label(y, word).split(' (')[0]} by {measure_label(x).split(' (')[0].lower()}"
                 + (f" and {by}" if by else ""), fontsize=11)
    note = solved_note(data).replace(", ", ",\n")  # a narrow legend
    fig.legend(*ax.get_legend_handles_labels(), loc="outside right upper", fontsize=9, frameon=False,
               title=f"mean of {note};\nbars: min–max", title_fontsize=8)
    return fig


def save(fig: Figure, stem, formats=("png", "svg"), dpi: int = 150) -> list:
    """Write ``fig`` as ``stem.<fmt>`` for each format; returns the paths."""
    from pathlib import Path
    out = []
    for fmt in formats:
        path = Path(f"{stem}.{fmt}")
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, format=fmt, dpi=dpi)
        out.append(path)
    return out


def sweep_plot(table: pd.DataFrame, param: str) -> Figure:
    """What-if sweep: total cost and platform measures against the swept parameter."""
    shown = [param, "objective", "platformability_index", "n_product_configurations", "n_options_developed"]
    ok = table.reindex(columns=list(dict.fromkeys([*table.columns, *shown])))  # no solution at all: no columns
    ok = ok[ok["objective"].notna()]
    fig = Figure(figsize=(10, 3.8), layout="constrained")
    ax_cost, ax_index, ax_conf = fig.subplots(1, 3)
    div, word = money_scale(ok["objective"]) if len(ok) else (1.0, "")
    ax_cost.plot(ok[param], ok["objective"] / div, marker="o")
    ax_cost.set_ylabel(measure_label("objective", word))
    ax_index.plot(ok[param], ok["platformability_index"], marker="o", color="tab:green")
    ax_index.set_ylabel(measure_label("platformability_index"))
    ax_conf.plot(ok[param], ok["n_product_configurations"], marker="o", color="tab:red", label="configurations")
    ax_conf.plot(ok[param], ok["n_options_developed"], marker="s", color="tab:purple", label="options developed")
    ax_conf.set_ylabel("count")
    ax_conf.legend()
    for ax in (ax_cost, ax_index, ax_conf):
        ax.set_xlabel(param.replace("_", " "))
        ax.grid(alpha=0.3)
    fig.suptitle(f"What-if: {param.replace('_', ' ')}")
    return fig
