"""``platform-sc sweep DIR --param P --values a,b,c``: what-if table and plot."""
from __future__ import annotations

import math
from pathlib import Path

import click
import pandas as pd

from ..io import read
from ..plots import save, sweep_plot
from ..result import SolveOptions
from ..whatif import PARAMS, sweep as run_sweep
from .common import EXIT_NO_SOLUTION, friendly_errors, time_limit_option


def _values(text: str, param: str) -> list[float]:
    """The --values list: finite numbers, positive for demand_scale (no demand is no
    instance), non-negative for the cost multipliers."""
    try:
        vals = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a comma-separated list of numbers", param_hint="--values") from None
    positive = param == "demand_scale"
    bad = [v for v in vals if not math.isfinite(v) or v < 0 or (positive and v == 0)]
    if bad or not vals:
        kind = "positive" if positive else "non-negative"
        raise click.BadParameter(f"{param} takes a comma-separated list of {kind} numbers (got {text!r})",
                                 param_hint="--values")
    return vals


def _no_solution_notes(table: pd.DataFrame, param: str) -> list[str]:
    """One line per value without a solution: its status and, when known, why."""
    notes = []
    for _, row in table.iterrows():
        if pd.notna(row.get("objective")):
            continue
        error = row.get("error")
        why = f": {error}" if isinstance(error, str) and error else ""
        notes.append(f"{param} = {row[param]:g}: no solution ({row['status']}){why}".replace("\n", "\n    "))
    return notes


@click.command()
@click.argument("instance", type=click.Path(exists=True))
@click.option("--param", required=True, type=click.Choice(PARAMS), help="Parameter to vary.")
@click.option("--values", required=True, help="Comma-separated values, e.g. 0.5,1,1.5.")
@click.option("--method", type=click.Choice(["auto", "monolithic", "decomposition", "exact"]), default="auto",
              show_default=True, help="Solve method for demand_scale (cost scales reuse built models).")
@time_limit_option(help="Seconds per solve.")
@click.option("--out", type=click.Path(file_okay=False), help="Write sweep.csv and sweep.png/svg here.")
@friendly_errors
def sweep(instance, param, values, method, time_limit, out):
    """Re-solve INSTANCE for each value of PARAM and tabulate cost and platform measures.

    A value without a solution (e.g. a demand_scale beyond the capacity of the suppliers
    or plants, or an infeasible or timed-out solve) is a result of the sweep: its row shows
    the status, and the reason is printed under the table. The exit status is 0 when at
    least one value has a solution, 1 when none has.
    """
    vals = _values(values, param)
    table = run_sweep(read(instance), param, vals, SolveOptions(method=method, time_limit=time_limit))
    cols = [c for c in (param, "status", "objective", "gap", "n_product_configurations",
                        "platformability_index", "n_options_developed") if c in table]
    click.echo(table[cols].to_string(index=False))
    notes = _no_solution_notes(table, param)
    if notes:
        click.echo("\n" + "\n".join(notes))
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        table.to_csv(Path(out) / "sweep.csv", index=False, lineterminator="\n")
        save(sweep_plot(table, param), Path(out) / "sweep")
        click.echo(f"wrote {out}/sweep.csv and sweep.png/svg")
    if len(notes) == len(table):
        click.echo(f"error: no value of {param} has a solution", err=True)
        raise SystemExit(EXIT_NO_SOLUTION)
