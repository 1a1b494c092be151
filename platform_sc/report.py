"""A self-contained HTML summary of a batch (images embedded as base64 PNG).

Reads the results frame only: the grid (factor levels), status counts, gaps, run times,
the paper's four graphs and a table of means by supply-chain configuration.
"""
from __future__ import annotations

import base64
import html
import io
import logging
import time
from pathlib import Path

import pandas as pd

from . import plots
from .scenarios.grid import FACTORS

log = logging.getLogger(__name__)

MEAN_COLUMNS = ("objective", "platformability_index", "weighted_distance", "n_product_configurations",
                "n_options_developed", "n_suppliers_selected", "n_plants_open", "gap", "solve_seconds")

_CSS = """
body { font-family: system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif; margin: 2em auto;
       max-width: 1150px; color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; border-bottom: 1px solid #ddd; padding-bottom: .2em;
       margin-top: 1.6em; }
table { border-collapse: collapse; margin: .6em 0; font-size: .9em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: right; }
th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; }
img { max-width: 100%; border: 1px solid #eee; margin: .5em 0; }
.note { color: #666; font-size: .9em; }
"""


def figure_png(fig, dpi: int = 110) -> str:
    """A figure as a base64 PNG data URI."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _fmt(v) -> str:
    if isinstance(v, float):
        if pd.isna(v):
            return ""
        return f"{v:,.0f}" if abs(v) >= 1e5 else f"{v:.4g}"
    return str(v)


def html_table(df: pd.DataFrame, index: bool = False) -> str:
    """A plain HTML table with numbers formatted for reading."""
    if index:
        df = df.reset_index()
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in row) + "</tr>"
                   for row in df.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def grid_table(df: pd.DataFrame) -> pd.DataFrame:
    """Factor levels present in the batch."""
    rows = [(f, ", ".join(str(v) for v in plots.factor_levels(df[f], f)), df[f].nunique())
            for f in FACTORS if f in df.columns]
    return pd.DataFrame(rows, columns=["factor", "levels", "count"])


def status_table(df: pd.DataFrame) -> pd.DataFrame:
    counts = df.groupby(["status", "certificate"], dropna=False).size().rename("scenarios").reset_index()
    return counts.fillna("-")


def summary_table(df: pd.DataFrame) -> pd.DataFrame:
    """Distribution of gap and run times."""
    cols = [c for c in ("gap", "build_seconds", "solve_seconds", "wall_seconds") if c in df.columns]
    out = df[cols].astype(float).describe(percentiles=[0.5, 0.9]).T
    out = out[["count", "mean", "min", "50%", "90%", "max"]].rename(columns={"50%": "median", "90%": "p90"})
    out.insert(0, "total", df[cols].astype(float).sum().values)
    out.loc["gap", "total"] = float("nan")
    return out.rename_axis("measure")


def means_by_configuration(df: pd.DataFrame) -> pd.DataFrame:
    """Mean of each measure per supply-chain configuration (paper order), solved scenarios only."""
    data = plots.solved(df)
    cols = [c for c in MEAN_COLUMNS if c in data.columns]
    grouped = data.groupby("config")
    out = grouped[cols].apply(lambda g: g.astype(float).mean())
    out.insert(0, "scenarios", grouped.size())
    order = plots.factor_levels(data["config"], "config")
    out = out.loc[order].rename_axis("config")
    return out.rename(columns={"objective": "total cost", "n_product_configurations": "product configurations"})


def build_report(df: pd.DataFrame, title: str = "Batch report", source: str = "") -> str:
    """The whole report as one HTML string."""
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
             f"<style>{_CSS}</style></head><body>",
             f"<h1>{html.escape(title)}</h1>",
             f"<p class='note'>{html.escape(source)} · {len(df)} scenarios · generated "
             f"{time.strftime('%Y-%m-%d %H:%M')}</p>",
             "<h2>Grid</h2>", html_table(grid_table(df)),
             "<h2>Status</h2>", html_table(status_table(df)),
             "<h2>Gaps and run times</h2>", html_table(summary_table(df), index=True),
             "<p class='note'>gap: relative MIP gap at the end of the solve; times in seconds.</p>"]
    solved = df["objective"].notna()
    if not solved.any():
        parts.append("<p><b>No scenario has a solution: no graphs.</b></p>")
    else:
        unproven = plots.n_unproven(df[solved])  # graphs and means use them too
        caveat = (f" Not proven optimal: {unproven} of them (time-limited incumbents, see Status); "
                  "their costs are upper bounds." if unproven else "")
        parts += ["<h2>The paper's graphs</h2>"] + ([f"<p class='note'>{html.escape(caveat)}</p>"] if unproven else [])
        for name, fig in plots.paper_graphs(df).items():
            parts.append(f"<figure id='{name}'><img alt='{name}' src='{figure_png(fig)}'>"
                         f"<figcaption class='note'>{name}</figcaption></figure>")
        parts += ["<h2>Means by supply-chain configuration</h2>", html_table(means_by_configuration(df), index=True),
                  "<p class='note'>means over all solved scenarios of each configuration; total cost in "
                  f"currency units.{html.escape(caveat)}</p>"]
    errors = df[df["status"] == "error"]
    if not errors.empty and "error" in errors.columns:
        parts += ["<h2>Errors</h2>", html_table(errors[["id", "error"]].assign(
            error=errors["error"].astype(str).str.split("\n").str[0]))]
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(df: pd.DataFrame, out: str | Path, title: str = "Batch report", source: str = "") -> Path:
    """Write ``report.html`` into folder ``out``; returns its path."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "report.html"
    path.write_text(build_report(df, title, source), encoding="utf-8")
    log.info("wrote %s", path)
    return path
