"""Read and write instances: a folder of CSV files, one Excel workbook, or DataFrames.

Everything is read as text first; :mod:`platform_sc.validate` converts types so that a bad
cell is reported with its file, row and column instead of failing inside pandas.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import InputError, Problem
from .schema import OPTIONAL_TABLES, TABLES


@dataclass
class Instance:
    """An instance: one DataFrame per table, plus where each table came from.

    ``source[t]`` names the file/sheet for messages; a DataFrame row with positional index
    ``i`` is reported as row ``i + row_offset`` (2 for files with a header line), or as
    ``lines[t][i]`` where rows were skipped (blank lines of a CSV file).
    """

    tables: dict[str, pd.DataFrame]
    name: str = "instance"
    source: dict[str, str] = field(default_factory=dict)
    row_offset: int = 2
    lines: dict[str, list[int]] = field(default_factory=dict)

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]

    def __contains__(self, table: str) -> bool:
        return table in self.tables

    def where(self, table: str) -> str:
        return self.source.get(table, table)

    def line(self, table: str, row: int) -> int:
        """The line (or sheet row) where positional row ``row`` of ``table`` was read."""
        known = self.lines.get(table)
        return known[row] if known is not None and row < len(known) else row + self.row_offset

    def replace(self, **tables: pd.DataFrame) -> "Instance":
        """A copy with some tables replaced (the what-if / rule transformations use it)."""
        new = dict(self.tables)
        new.update(tables)
        return Instance(new, self.name, dict(self.source), self.row_offset,
                        {t: rows for t, rows in self.lines.items() if t not in tables})


def _missing(source: str, table: str) -> Problem:
    return Problem(source, None, None, f"required table '{table}' is missing")


def read_folder(path: str | Path) -> Instance:
    """Read ``<table>.csv`` for every table of the schema from a folder."""
    folder = Path(path)
    if not folder.is_dir():
        raise InputError([Problem(str(folder), None, None, "instance folder does not exist")])
    tables, source, lines, problems = {}, {}, {}, []
    for table in TABLES + OPTIONAL_TABLES:
        file = folder / f"{table}.csv"
        if not file.exists():
            if table in TABLES:
                problems.append(_missing(str(file), table))
            continue
        try:
            tables[table], lines[table] = _without_blank_rows(
                pd.read_csv(file, dtype=str, keep_default_na=False, skipinitialspace=True, skip_blank_lines=False))
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(file), None, None, f"cannot be read as CSV ({exc})"))
            continue
        source[table] = str(file)
    if problems:
        raise InputError(problems)
    return Instance(tables, folder.name, source, row_offset=2, lines=lines)


def _without_blank_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[int]]:
    """The rows with any text, numbered anew, and the file line of each (the header is line
    1): blank rows are dropped but still counted, so messages name the lines they mean."""
    blank = (frame.fillna("").astype(str).apply(lambda col: col.str.strip()) == "").all(axis=1)
    kept = frame[~blank]
    return kept.reset_index(drop=True), [int(i) + 2 for i in kept.index]


def read_excel(path: str | Path) -> Instance:
    """Read one workbook with a sheet per table."""
    file = Path(path)
    try:
        sheets = pd.read_excel(file, sheet_name=None, dtype=str, keep_default_na=False)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:  # KeyError: a zip without a workbook
        raise InputError([Problem(str(file), None, None, f"cannot be read as a workbook ({exc})")]) from None
    problems = [_missing(f"{file} [sheet {t}]", t) for t in TABLES if t not in sheets]
    if problems:
        raise InputError(problems)
    tables = {t: sheets[t] for t in TABLES + OPTIONAL_TABLES if t in sheets}
    return Instance(tables, file.stem, {t: f"{file} [sheet {t}]" for t in tables}, row_offset=2)


def from_frames(frames: dict[str, pd.DataFrame], name: str = "in-memory") -> Instance:
    """Wrap in-memory DataFrames (rows are reported 1-based, as a notebook user counts them)."""
    problems = [_missing(f"table {t}", t) for t in TABLES if t not in frames]
    if problems:
        raise InputError(problems)
    tables = {t: frames[t].reset_index(drop=True) for t in TABLES + OPTIONAL_TABLES if t in frames}
    return Instance(tables, name, {t: f"table {t}" for t in tables}, row_offset=1)


def read(path: str | Path) -> Instance:
    """Read an instance from a folder of CSV files or an ``.xlsx`` workbook."""
    p = Path(path)
    return read_excel(p) if p.suffix.lower() in {".xlsx", ".xlsm"} else read_folder(p)


def write_folder(instance: Instance, path: str | Path) -> Path:
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    for table, frame in instance.tables.items():
        frame.to_csv(folder / f"{table}.csv", index=False, lineterminator="\n")
    return folder


def write_excel(instance: Instance, path: str | Path) -> Path:
    file = Path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(file) as writer:
        for table, frame in instance.tables.items():
            frame.to_excel(writer, sheet_name=table, index=False)
    return file
