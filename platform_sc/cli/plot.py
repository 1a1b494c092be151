"""``platform-sc plot`` (the paper's graphs from a results store) and ``platform-sc draw``."""
from __future__ import annotations

from pathlib import Path

import click

from ..batch import read_results
from .common import EXIT_NO_SOLUTION, friendly_errors, solver_options

FORMATS = ("png", "svg", "pdf")


def _formats(text: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower().lstrip(".") for f in text.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise click.BadParameter(f"use a comma-separated list of {', '.join(FORMATS)}", param_hint="--format")
    return formats


def _check_columns(df, y: str, x: str, by: str | None) -> None:
    """--y names a numeric results column, --x and --by any results column."""
    columns = ", ".join(map(str, df.columns))
    for hint, col in (("--y", y), ("--x", x), ("--by", by)):
        if col is not None and col not in df.columns:
            raise click.BadParameter(f"unknown column {col!r} (have: {columns})", param_hint=hint)
    try:
        df[y].astype(float)
    except (TypeError, ValueError):
        raise click.BadParameter(f"{y!r} is not a numeric measure", param_hint="--y") from None


@click.command()
@click.argument("db", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder for the images.")
@click.option("--format", "fmt", default="png,svg", show_default=True, help="Comma-separated: png, svg, pdf.")
@click.option("--y", "y", metavar="MEASURE", help="Custom plot: a results column (e.g. objective, gap).")
@click.option("--x", "x", metavar="FACTOR", help="Custom plot: the factor on the x axis (e.g. volume).")
@click.option("--by", "by", metavar="FACTOR", help="Custom plot: one series per level of this factor.")
@friendly_errors
def plot(db, out, fmt, y, x, by):
    """Write the paper's four graphs from results store DB (or one custom --y/--x plot)."""
    from .. import plots

    formats = _formats(fmt)
    if (y is None) != (x is None) or (by is not None and y is None):
        raise click.UsageError("a custom plot needs both --y MEASURE and --x FACTOR (and optionally --by)")
    df = read_results(db)
    if y is None:
        figures = plots.paper_graphs(df)
    else:
        _check_columns(df, y, x, by)
        figures = {f"{y}_by_{x}" + (f"_and_{by}" if by else ""): plots.factor_plot(df, y, x, by)}
    for stem, fig in figures.items():
        for path in plots.save(fig, Path(out) / stem, formats):
            click.echo(str(path))


@click.command()
@click.argument("instance", required=False, type=click.Path(exists=True))
@click.option("--db", type=click.Path(exists=True, dir_okay=False), help="Results store of a batch.")
@click.option("--scenario", "scenario_id", metavar="ID", help="Scenario id in --db (see `platform-sc results`).")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Image file (.png, .svg or .pdf).")
@solver_options
@friendly_errors
def draw(instance, db, scenario_id, out, opts):
    """Draw the supply network of INSTANCE (solved first) or of a stored batch scenario."""
    from ..network import draw_network, from_store
    from ..pipeline import run

    if (instance is None) == (db is None) or (db is None) != (scenario_id is None):
        raise click.UsageError("give either INSTANCE or both --db DB and --scenario ID")
    suffix = Path(out).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise click.BadParameter(f"the file name must end in .{', .'.join(FORMATS)}", param_hint="--out")
    if db is not None:
        inst, solution = from_store(db, scenario_id)
        title = f"Supply network — {scenario_id}"
    else:
        result = run(instance, opts)
        if result.solution is None:
            click.echo(f"error: no solution found (status {result.status})", err=True)
            raise SystemExit(EXIT_NO_SOLUTION)
        inst, solution = instance, result.solution
        title = f"Supply network — {Path(instance).name} ({result.status})"
    fig = draw_network(inst, solution, title=title)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=150)
    click.echo(out)
