"""``platform-sc suppliers rate DIR``: supplier composite scores and A/B/C/D grades."""
from __future__ import annotations

import click

from ..io import read
from ..suppliers.rating import GradeRule, grade_suppliers
from .common import friendly_errors


@click.group()
def suppliers() -> None:
    """Supplier rating and qualification."""


@suppliers.command()
@click.argument("instance", type=click.Path(exists=True))
@click.option("--a", "a", type=float, default=90.0, show_default=True, help="Composite score for grade A.")
@click.option("--b", "b", type=float, default=80.0, show_default=True, help="Composite score for grade B.")
@click.option("--c", "c", type=float, default=70.0, show_default=True, help="Composite score for grade C.")
@click.option("--nc-steps", default="5,10,15", show_default=True,
              help="Nonconformity scores that each lower the grade one step.")
@click.option("--since", help="Count nonconformities from this date (YYYY-MM-DD).")
@click.option("--until", help="Count nonconformities up to this date (YYYY-MM-DD).")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@friendly_errors
def rate(instance, a, b, c, nc_steps, since, until, as_csv):
    """Grade the suppliers of INSTANCE from supplier_performance.csv and nonconformities.csv."""
    try:
        steps = tuple(float(x) for x in nc_steps.split(",") if x.strip())
    except ValueError:
        raise click.BadParameter(f"{nc_steps!r} is not a comma-separated list of numbers",
                                 param_hint="--nc-steps") from None
    table = grade_suppliers(read(instance), rule=GradeRule(a=a, b=b, c=c, nc_steps=steps), since=since, until=until)
    if as_csv:
        click.echo(table.to_csv(index=False, lineterminator="\n"), nl=False)
    else:
        click.echo(table.to_string(index=False, float_format=lambda x: f"{x:.2f}"))
