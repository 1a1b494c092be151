"""Shared CLI plumbing: turning library errors into clear messages and exit codes."""
from __future__ import annotations

import functools
import math

import click

from ..errors import InputError, NoSolutionError, SolveError
from ..result import SolveOptions
from ..solve import DEFAULT_GAP

EXIT_NO_SOLUTION = 1
EXIT_INVALID_INPUT = 2
EXIT_SOLVE_ERROR = 3


def friendly_errors(func):
    """Report known errors as a message on stderr with a non-zero exit, never a traceback."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            click.echo(f"error: {exc}", err=True)
            raise SystemExit(EXIT_INVALID_INPUT) from None
        except NoSolutionError as exc:
            click.echo(f"error: {exc}", err=True)
            raise SystemExit(EXIT_NO_SOLUTION) from None
        except (SolveError, RuntimeError, ValueError) as exc:
            click.echo(f"error: {exc}", err=True)
            raise SystemExit(EXIT_SOLVE_ERROR) from None
    return wrapper


class Number(click.FloatRange):
    """A finite number within optional bounds: click's FloatRange lets ``nan`` and ``inf``
    through (they then fail deep inside a computation, as a ValueError = exit 3)."""

    name = "number"

    def convert(self, value, param, ctx):
        rv = super().convert(value, param, ctx)
        if not math.isfinite(rv):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return rv


POSITIVE = Number(min=0, min_open=True)
NON_NEGATIVE = Number(min=0)


def time_limit_option(help: str = "Seconds for the whole solve of an instance."):
    """--time-limit: positive seconds (default: none), shared by every solving command."""
    return click.option("--time-limit", type=POSITIVE, default=None, help=help)


MODULE_WORKERS = "Processes for the per-module problems (decomposition, exact), started once per solve."


def solver_options(func=None, *, workers_help: str = MODULE_WORKERS):
    """Options every solving command shares, handed to the command as one ``opts``
    (:class:`SolveOptions`). ``@solver_options(workers_help=...)`` where --workers means
    something else: then the command receives ``workers`` itself."""
    if func is None:
        return lambda f: solver_options(f, workers_help=workers_help)

    @functools.wraps(func)
    def wrapper(*args, method, solver, time_limit, gap, solver_option, tee, no_wait_and_see, **kwargs):
        module_workers = kwargs.pop("workers") if workers_help == MODULE_WORKERS else 1
        opts = SolveOptions(method=method, solver=solver, time_limit=time_limit, gap=gap, tee=tee,
                            workers=module_workers, solver_options=parse_solver_options(solver_option),
                            wait_and_see=not no_wait_and_see)
        return func(*args, opts=opts, **kwargs)

    for option in reversed([
        click.option("--method", type=click.Choice(["auto", "monolithic", "decomposition", "exact", "stochastic"]), default="auto",
                     show_default=True, help="auto picks by instance; exact = decomposition bounds + cutoff MILP."),
        click.option("--solver", default="highs", show_default=True, help="Any Pyomo solver name."),
        time_limit_option(),
        click.option("--gap", type=click.FloatRange(min=0), default=DEFAULT_GAP, show_default=True, help="Relative MIP gap to prove."),
        click.option("--solver-option", "solver_option", multiple=True, metavar="KEY=VALUE",
                     help="Passed to the solver (repeatable)."),
        click.option("--log", "tee", is_flag=True, help="Stream the solver log."),
        click.option("--workers", type=click.IntRange(1), default=1, show_default=True,
                     help=workers_help),
        click.option("--no-wait-and-see", is_flag=True,
                     help="Stochastic method: skip solving each demand scenario alone (no EVPI)."),
    ]):
        wrapper = option(wrapper)
    return wrapper


def parse_solver_options(pairs) -> dict:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="--solver-option")
        key, value = pair.split("=", 1)
        for cast in (int, float):
            try:
                value = cast(value)
                break
            except ValueError:
                continue
        out[key] = value
    return out
