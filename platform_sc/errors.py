"""Errors that reach users: every problem names its file, row and column."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem found in the input data."""

    source: str          # file (or sheet / table) the problem is in
    row: int | None      # 1-based line in that file (header is line 1); None for whole-table problems
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.source
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class InputError(Exception):
    """Invalid or infeasible input data; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the input data:"
        super().__init__("\n".join([head] + [f"  - {p}" for p in self.problems]))


class NoSolutionError(Exception):
    """A solution was asked for where there is none (e.g. a stored scenario that was
    infeasible or timed out without an incumbent): the CLI's exit 1, as for a solve."""


class SolveError(Exception):
    """The solver found no feasible solution (infeasible, unbounded or out of time)."""
