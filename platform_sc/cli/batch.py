"""``platform-sc batch`` and ``platform-sc results``: scenario grids into a results store."""
from __future__ import annotations

import signal
from dataclasses import replace
from pathlib import Path

import click
import pandas as pd

from ..batch import read_results, run_batch
from ..scenarios import load_grid
from .common import EXIT_SOLVE_ERROR, friendly_errors, solver_options

EXIT_INTERRUPTED = 130


def _stop(signum, frame):
    raise KeyboardInterrupt


@click.command()
@click.argument("scenario_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="SQLite results store.")
@click.option("--scenario", "names", multiple=True, help="Scenario(s) of the file to run (default: its 'run').")
@solver_options(workers_help="Worker processes, one scenario each (one HiGHS thread per process).")
@click.option("--module-workers", type=click.IntRange(1), default=1, show_default=True,
              help="Processes per worker for a scenario's per-module problems (decomposition, exact), "
                   "kept for the whole batch.")
@click.option("--retry-failed", is_flag=True, help="Re-run scenarios recorded with an error.")
@click.option("--retry", "retry", multiple=True, metavar="STATUS",
              help="Re-run scenarios recorded with STATUS (repeatable), e.g. time_limit with a longer "
                   "--time-limit; the summary lists the statuses in the store.")
@click.option("--dask-scheduler", metavar="tcp://HOST:PORT", help="Submit to a Dask cluster instead.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@friendly_errors
def batch(scenario_file, db, names, opts, workers, module_workers, retry_failed, retry, dask_scheduler,
          no_progress):
    """Solve every grid point of SCENARIO_FILE; re-running resumes where it stopped."""
    points = load_grid(scenario_file, list(names) or None)
    previous = signal.signal(signal.SIGTERM, _stop)  # a job scheduler's kill stops like Ctrl-C
    try:
        summary = run_batch(points, db, replace(opts, workers=module_workers), workers=workers,
                            retry=(*retry, "error") if retry_failed else retry, dask_scheduler=dask_scheduler,
                            progress=not no_progress)
    finally:
        signal.signal(signal.SIGTERM, previous)
    click.echo(f"{summary.total} scenarios: {summary.skipped} already in {db}, {summary.done} solved, "
               f"{summary.failed} failed, in {summary.wall_seconds:.1f}s")
    click.echo("in the store now: " + (", ".join(f"{n} {s}" for s, n in sorted(summary.statuses.items())) or "none"))
    overhead = summary.overhead(workers) if not dask_scheduler else None
    if overhead is not None:
        click.echo(f"worker time outside scenarios (scheduling, start-up, idle tail): {overhead:.1%}")
    if summary.interrupted:
        click.echo("interrupted: finished results are kept; run the same command again to resume", err=True)
        raise SystemExit(EXIT_INTERRUPTED)
    errors = summary.statuses.get("error", 0)
    if errors:  # failed now or in an earlier run: a script or CI job must see it; the rows are kept
        click.echo(f"{errors} scenario(s) of this grid failed: the errors are in {db} "
                   "(platform-sc results); --retry-failed runs them again", err=True)
        raise SystemExit(EXIT_SOLVE_ERROR)


def markdown_table(df: pd.DataFrame) -> str:
    """A plain Markdown table (no extra dependency)."""
    def cell(v):
        if isinstance(v, float):
            return "" if pd.isna(v) else f"{v:.6g}"
        return "" if v is None else str(v).replace("|", "\\|").replace("\n", "<br>")  # e.g. an error's traceback
    head = "| " + " | ".join(df.columns) + " |"
    rule = "|" + "|".join("---" for _ in df.columns) + "|"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([head, rule, *rows])


@click.command()
@click.argument("db", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "markdown"]), default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="File to write (default: stdout; parquet needs it).")
@friendly_errors
def results(db, fmt, out):
    """Export the scenario table of results store DB."""
    df = read_results(db)
    if fmt == "parquet":
        if out is None:
            raise click.UsageError("--format parquet needs --out FILE")
        try:  # text columns as strings: price_breaks mixes levels 1–4 with "none"
            df.astype({c: "string" for c in df.columns[df.dtypes == object]}).to_parquet(out, index=False)
        except ImportError:
            raise click.ClickException("parquet export needs pyarrow: pip install pyarrow") from None
        return
    text = df.to_csv(index=False, lineterminator="\n") if fmt == "csv" else markdown_table(df) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        Path(out).write_text(text)
