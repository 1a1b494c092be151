"""The full MILP (1)–(13) in one model, solved as it stands: the reference the other methods
are checked against, and what ``auto`` uses when a local-content rule couples the modules."""
from __future__ import annotations

import time

from .extract import extract
from .model import build_model
from .result import RunResult, SolveOptions, certificate_of
from .sets import Sets
from .solve import solve_model


def solve_monolithic(S: Sets, opts: SolveOptions) -> RunResult:
    """Build and solve the full MILP (1)–(13)."""
    t0 = time.perf_counter()
    model = build_model(S)
    build = time.perf_counter() - t0
    res = solve_model(model, opts.solver, opts.time_limit, opts.gap, opts.threads, opts.tee,
                      opts.solver_options)
    solution = extract(model) if res.has_solution else None
    return RunResult(res.status, "monolithic", res.objective, res.lower_bound, res.gap, build, res.solve_seconds,
                     certificate=certificate_of(res.status, res.lower_bound), solution=solution, model=model)
