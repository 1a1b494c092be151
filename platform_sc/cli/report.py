"""``platform-sc report DB --out DIR``: one self-contained HTML summary of a batch."""
from __future__ import annotations

from pathlib import Path

import click

from ..batch import read_results
from .common import friendly_errors


@click.command()
@click.argument("db", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder for report.html.")
@click.option("--title", default=None, help="Report title (default: the database's name).")
@friendly_errors
def report(db, out, title):
    """Write DIR/report.html: grid, status, gaps, run times, the four graphs, means by configuration."""
    from ..report import write_report

    df = read_results(db)
    if df.empty:
        raise click.ClickException(f"{db} holds no scenarios")
    path = write_report(df, out, title or f"Batch report — {Path(db).stem}", source=str(db))
    click.echo(str(path))
