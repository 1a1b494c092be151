"""``platform-sc``: a thin command line over the library (one module per command)."""
from __future__ import annotations

import logging

import click

from .batch import batch, results
from .generate import generate
from .solve import solve
from .inventory import inventory
from .plot import draw, plot
from .report import report
from .suppliers import suppliers
from .sweep import sweep


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
def main(verbose: int) -> None:
    """Joint product-platform and global supply-chain optimisation (Ghosh, Murthy & Park 2004)."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


main.add_command(solve)
main.add_command(batch)
main.add_command(results)
main.add_command(inventory)
main.add_command(suppliers)
main.add_command(generate)
main.add_command(plot)
main.add_command(draw)
main.add_command(report)
main.add_command(sweep)
