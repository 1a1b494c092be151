"""The typed options of a solve and the result every solving method returns."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields

from .extract import Solution
from .solve import DEFAULT_GAP


@dataclass
class SolveOptions:
    """How to solve: one typed object passed through every method."""

    method: str = "auto"             # auto | monolithic | decomposition | exact | stochastic
    solver: str = "highs"
    time_limit: float | None = None  # seconds, whole solve
    gap: float = DEFAULT_GAP         # relative MIP gap to prove
    tee: bool = False                # stream the solver log
    threads: int = 1                 # HiGHS threads per solve, in every module process (batches: 1)
    solver_options: dict = field(default_factory=dict)
    workers: int = 1                 # processes for the per-module problems (decomposition)
    wait_and_see: bool = True        # stochastic: also solve each demand scenario alone (EVPI)


def certificate_of(status: str, lower_bound: float | None) -> str:
    """``exact`` for a proven optimum, however proven; else ``bounded`` (a proven lower
    bound) or ``none``. The decomposition keeps its own (Theorem 2.2 exact or bounded)."""
    return "exact" if status == "optimal" else ("bounded" if lower_bound is not None else "none")


@dataclass
class RunResult:
    status: str
    method: str
    objective: float | None
    lower_bound: float | None
    gap: float | None
    build_seconds: float
    solve_seconds: float
    cost_breakdown: dict | None = None
    metrics: dict | None = None
    certificate: str | None = None
    timings: dict = field(default_factory=dict)
    details: dict = field(default_factory=dict)
    solution: Solution | None = field(default=None, repr=False)
    model: object = field(default=None, repr=False)
    starts: dict | None = field(default=None, repr=False)  # decomposition: its Z''(j) solutions (MIP starts)

    def summary(self) -> dict:
        """JSON-ready summary (no tables, no model): a copy of the other fields only."""
        return {f.name: copy.deepcopy(getattr(self, f.name)) for f in fields(self) if f.name not in _NOT_SUMMARISED}


_NOT_SUMMARISED = ("solution", "model", "starts")
