"""Shared fixtures: the hand-checked tiny instance as editable DataFrames."""
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


def tiny_frames() -> dict[str, pd.DataFrame]:
    """data/tiny as typed DataFrames (a fresh copy each call, so tests may edit them)."""
    frames = {f.stem: pd.read_csv(f) for f in sorted((DATA / "tiny").glob("*.csv"))}
    # numbers as float so tests can set fractional values (pandas 3 refuses lossy casts)
    return {t: f.astype({c: float for c in f.columns if f[c].dtype.kind in "iu"}) for t, f in frames.items()}


@pytest.fixture
def tiny():
    return tiny_frames()
