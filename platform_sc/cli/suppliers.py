"""``platform-sc suppliers rate DIR``: supplier composite scores and A/B/C/D grades."""
from __future__ import annotations

import click
import pandas as pd

from ..io import read
from ..suppliers.rating import GradeRule, grade_suppliers
from .common import NON_NEGATIVE, friendly_errors


@click.group()
def suppliers() -> None:
    """Supplier rating and qualification."""


@suppliers.command()
@click.argument("instance", type=click.Path(exists=True))
@click.option("--a", "a", type=NON_NEGATIVE, default=90.0, show_default=True, help="Composite score for grade A.")
@click.option("--b", "b", type=NON_NEGATIVE, default=80.0, show_default=True, help="Composite score for grade B.")
@click.option("--c", "c", type=NON_NEGATIVE, default=70.0, show_default=True, help="Composite score for grade C.")
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
    try:  # the rule checks its cut-offs and steps: user input, so a usage error (exit 2)
        rule = GradeRule(a=a, b=b, c=c, nc_steps=steps)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    for hint, date in (("--since", since), ("--until", until)):
        if date is not None and pd.isna(pd.to_datetime(date, format="%Y-%m-%d", errors="coerce")):
            raise click.BadParameter(f"{date!r} is not a date YYYY-MM-DD", param_hint=hint)
    table = grade_suppliers(read(instance), rule=rule, since=since, until=until)
    if as_csv:
        click.echo(table.to_csv(index=False, lineterminator="\n"), nl=False)
    else:
        click.echo(table.to_string(index=False, float_format=lambda x: f"{x:.2f}"))
