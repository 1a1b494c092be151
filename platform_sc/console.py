"""The process's standard output while solvers write to it from C (HiGHS prints there, not
through Python's ``sys.stdout``)."""
from __future__ import annotations

import contextlib
import ctypes
import os
import sys


@contextlib.contextmanager
def stdout_to(fd: int | None = None):
    """Send file descriptor 1 to ``fd`` (None: the null device) within the block, what Python
    and C buffered before and within it included."""
    _flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY) if fd is None else None
    os.dup2(fd if null is None else null, 1)
    try:
        yield
    finally:
        _flush()
        os.dup2(saved, 1)
        os.close(saved)
        if null is not None:
            os.close(null)


def _flush() -> None:
    sys.stdout.flush()
    try:
        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError, TypeError):  # no C library of that name (Windows)
        pass
