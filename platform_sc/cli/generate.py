"""``platform-sc generate``: write one generated instance, or every point of a scenario grid."""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import click
from click.core import ParameterSource

from ..io import write_folder
from ..scenarios.generator import CAPABILITIES, CONFIGS, DEV_COSTS, generate as make_instance, point_id
from ..scenarios.grid import FACTORS, OPTIONAL_FACTORS, instance_for, load_grid
from .common import friendly_errors


FACTOR_OPTIONS = ("config", "segments", "volume", "capability", "dev_cost", "price_breaks", "seed", "params")


def _price_breaks(ctx, param, value):
    if value is None:
        return None
    from ..scenarios.generator import normalize_price_breaks
    try:
        return normalize_price_breaks(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@click.option("--scenario", type=click.Path(dir_okay=False),
              help="Scenario YAML file: write one folder per grid point plus manifest.csv.")
@click.option("--name", "scenario_name", multiple=True,
              help="With --scenario: expand only this named scenario (repeatable).")
@click.option("--config", type=click.Choice(CONFIGS), help="Supply-chain configuration.")
@click.option("--segments", type=click.IntRange(min=3), help="Number of segments (multiple of 3).")
@click.option("--volume", type=click.IntRange(min=1), help="Worldwide lifetime volume, units.")
@click.option("--capability", type=click.Choice(CAPABILITIES), default="high", show_default=True)
@click.option("--dev-cost", type=click.Choice(DEV_COSTS), default="medium", show_default=True)
@click.option("--price-breaks", callback=_price_breaks, default="2", show_default=True,
              metavar="1..4|none", help="Quantity-discount level.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--params", type=click.Path(dir_okay=False, exists=True),
              help="Parameter YAML (default data/automotive_parameters.yaml).")
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Output folder.")
@friendly_errors
def generate(scenario, scenario_name, config, segments, volume, capability, dev_cost, price_breaks,
             seed, params, out):
    """Generate instances of the paper's experiment (spec §7) as CSV folders.

    Either one instance from its factors (--config, --segments, --volume, ...) written to OUT,
    or with --scenario every grid point as OUT/<id>/ plus OUT/manifest.csv.
    """
    if scenario:
        ctx = click.get_current_context()
        given = [f"--{name.replace('_', '-')}" for name in FACTOR_OPTIONS
                 if ctx.get_parameter_source(name) is not ParameterSource.DEFAULT]
        if given:
            raise click.UsageError(f"the scenario file sets the factors and its parameter file; "
                                   f"drop {', '.join(given)} or --scenario")
        points = load_grid(scenario, list(scenario_name) or None)
        root = Path(out)
        root.mkdir(parents=True, exist_ok=True)
        with click.progressbar(points, label="generating", file=sys.stderr) as bar:
            for point in bar:
                write_folder(instance_for(point), root / point["id"])
        with open(root / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            columns = [*FACTORS, *OPTIONAL_FACTORS]  # optional ones at their default when a point omits them
            writer.writerow(["id", *columns, "folder"])
            for p in points:
                writer.writerow([p["id"], *(p.get(k, OPTIONAL_FACTORS.get(k)) for k in columns), p["id"]])
        click.echo(f"wrote {len(points)} instances and manifest.csv to {root}")
        return
    missing = [o for o, v in (("--config", config), ("--segments", segments), ("--volume", volume)) if v is None]
    if missing:
        raise click.UsageError(f"missing {', '.join(missing)} (or use --scenario FILE)")
    try:
        inst = make_instance(config, segments, volume, capability, dev_cost, price_breaks, seed, params=params)
    except ValueError as exc:  # factors that do not fit together, or a broken parameter file
        raise click.UsageError(str(exc)) from None
    write_folder(inst, out)
    click.echo(f"wrote {inst.name} to {out}")
