"""Batch runs over scenario grids with a crash-safe SQLite results store."""
from .runner import BatchSummary, run_batch, run_point
from .store import ResultsStore, read_results

__all__ = ["BatchSummary", "run_batch", "run_point", "ResultsStore", "read_results"]
