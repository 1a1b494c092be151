"""``platform-sc sweep DIR --param P --values a,b,c``: what-if table and plot."""
from __future__ import annotations

from pathlib import Path

import click

from ..io import read
from ..plots import save, sweep_plot
from ..result import SolveOptions
from ..whatif import PARAMS, sweep as run_sweep
from .common import friendly_errors


@click.command()
@click.argument("instance", type=click.Path(exists=True))
@click.option("--param", required=True, type=click.Choice(PARAMS), help="Parameter to vary.")
@click.option("--values", required=True, help="Comma-separated values, e.g. 0.5,1,1.5.")
@click.option("--method", type=click.Choice(["auto", "monolithic", "decomposition", "exact"]), default="auto",
              show_default=True, help="Solve method for demand_scale (cost scales reuse built models).")
@click.option("--time-limit", type=float, default=None, help="Seconds per solve.")
@click.option("--out", type=click.Path(file_okay=False), help="Write sweep.csv and sweep.png/svg here.")
@friendly_errors
def sweep(instance, param, values, method, time_limit, out):
    """Re-solve INSTANCE for each value of PARAM and tabulate cost and platform measures."""
    try:
        vals = [float(v) for v in values.split(",") if v.strip()]
    except ValueError:
        raise click.BadParameter(f"{values!r} is not a comma-separated list of numbers", param_hint="--values")
    table = run_sweep(read(instance), param, vals, SolveOptions(method=method, time_limit=time_limit))
    cols = [c for c in (param, "status", "objective", "gap", "n_product_configurations",
                        "platformability_index", "n_options_developed") if c in table]
    click.echo(table[cols].to_string(index=False))
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        table.to_csv(Path(out) / "sweep.csv", index=False, lineterminator="\n")
        save(sweep_plot(table, param), Path(out) / "sweep")
        click.echo(f"wrote {out}/sweep.csv and sweep.png/svg")
