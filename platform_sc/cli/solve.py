"""``platform-sc solve DIR``: solve one instance and print or save the result."""
from __future__ import annotations

import contextlib
import json
import math
from dataclasses import replace

import click

from ..console import stdout_to
from ..measures import configurations
from ..pipeline import run
from .common import EXIT_NO_SOLUTION, friendly_errors, solver_options


def strict_json(value):
    """``value`` with non-finite floats (±inf, NaN: e.g. lower bounds of plant sets that
    cannot hold the optimum) as None, so it is valid JSON (null)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: strict_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict_json(v) for v in value]
    return value


def _money(x) -> str:
    return "-" if x is None else f"{x:,.2f}"


def _cost_label(result) -> str:
    """What the objective is: a (expected, with demand scenarios) total cost, or an upper
    bound on it when a solution is not proven optimal."""
    cost = "expected total cost" if result.method == "stochastic" else "total cost"
    proven = result.status == "optimal" or result.objective is None
    return f"{cost:<13} " if proven else f"incumbent (upper bound on {cost}) "


def format_result(result) -> str:
    lines = [f"status        {result.status}  (method {result.method}, certificate {result.certificate})",
             f"{_cost_label(result)}{_money(result.objective)}",
             f"lower bound   {_money(result.lower_bound)}",
             f"gap           {'-' if result.gap is None else f'{result.gap:.2e}'}",
             f"time          build {result.build_seconds:.2f}s, solve {result.solve_seconds:.2f}s"]
    if result.cost_breakdown:
        lines.append("\ncost breakdown")
        lines += [f"  {k:<22}{_money(v):>22}" for k, v in result.cost_breakdown.items()]
    if result.metrics:
        lines.append("\nplatform measures")
        lines += [f"  {k:<26}{v:>14.4g}" for k, v in result.metrics.items()]
    if result.solution is not None:
        lines.append("\nproduct configuration offered to each segment")
        lines.append(configurations(result.solution).to_string())
    return "\n".join(lines)


@click.command()
@click.argument("instance", type=click.Path(exists=True))
@solver_options
@click.option("--json", "as_json", is_flag=True,
              help="Print one (strict) JSON object instead of a summary; infinite or NaN numbers are null.")
@click.option("--out", type=click.Path(file_okay=False), help="Write the solution tables as CSV here.")
@click.option("--threads", type=click.IntRange(1), default=1, show_default=True,
              help="HiGHS threads per solve (per process with --workers): HiGHS searches the MIP tree in parallel.")
@friendly_errors
def solve(instance, opts, as_json, out, threads):
    """Solve INSTANCE (a folder of CSV files or an .xlsx workbook)."""
    opts = replace(opts, threads=threads)
    with stdout_to(2) if as_json else contextlib.nullcontext():  # --json: the solver log (--log) to stderr
        result = run(instance, opts, out=out)
    if as_json:
        click.echo(json.dumps(strict_json(result.summary()), indent=2, allow_nan=False))
    else:
        click.echo(format_result(result))
    if result.solution is None:
        click.echo(f"error: no solution found (status {result.status})", err=True)
        raise SystemExit(EXIT_NO_SOLUTION)
