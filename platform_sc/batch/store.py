"""Crash-safe results store: one embedded SQLite database per batch.

WAL mode; each finished scenario is written in one transaction (its row and its solution
tables together), so killing the process at any moment loses nothing reported finished
and never leaves a half-written row. Only the submitting process writes.
"""
from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import time
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from ..model import COST_TERMS
from ..scenarios.generator import DEFAULT_PARAMS

METRICS = ("n_product_configurations", "weighted_distance", "max_weighted_distance",
           "platformability_index", "n_options_developed", "n_suppliers_selected", "n_plants_open")
FACTORS = ("config", "capability", "volume", "segments", "dev_cost", "price_breaks", "seed")
RESULT_COLUMNS = ("status", "objective", "lower_bound", "gap", "certificate", "method",
                  "build_seconds", "solve_seconds", "wall_seconds")

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS scenarios (
    id TEXT PRIMARY KEY,
    factors TEXT NOT NULL,
    status TEXT NOT NULL, objective REAL, lower_bound REAL, gap REAL, certificate TEXT, method TEXT,
    build_seconds REAL, solve_seconds REAL, wall_seconds REAL,
    {", ".join(f"cost_{t} REAL" for t in COST_TERMS)},
    {", ".join(f"{m} REAL" for m in METRICS)},
    error TEXT, details TEXT, finished_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS solution_tables (
    scenario_id TEXT NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,
    name TEXT NOT NULL, csv TEXT NOT NULL,
    PRIMARY KEY (scenario_id, name)
);
"""


def _params_of(factors: dict) -> str:
    """The parameter file a grid point names (rows written before grids always named one
    used the default file)."""
    return factors.get("params") or str(DEFAULT_PARAMS)


class ResultsStore:
    """The SQLite store of one batch (see module docstring)."""

    def __init__(self, path: str | Path, read_only: bool = False):
        """Open (or, unless ``read_only``, create) the store at ``path``; read-only opens
        change nothing in the file, so stores in read-only places can be read."""
        self.path = Path(path)
        if read_only:
            self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=60)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=60)
        try:
            if not read_only:
                self.db.execute("PRAGMA journal_mode=WAL")
            tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise InputError([Problem(str(self.path), None, None, f"cannot be opened as a results database "
                                      f"({exc}; not a results database, or not "
                                      f"{'readable' if read_only else 'writable'} here)")]) from None
        if (tables or read_only) and "scenarios" not in tables:  # another program's database: leave it alone
            self.db.close()
            raise InputError([Problem(str(self.path), None, None, "is an SQLite database but not a results "
                                      f"database (its tables: {', '.join(sorted(tables)) or 'none'})")])
        if read_only:
            return
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(_SCHEMA)
        columns = {r[1] for r in self.db.execute("PRAGMA table_info(scenarios)")}
        if "details" not in columns:  # stores written before per-scenario details were kept
            self.db.execute("ALTER TABLE scenarios ADD COLUMN details TEXT")

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def same_parameter_files(self, points: list[dict]) -> None:
        """The rows kept here were computed with the parameter files ``points`` name (a
        point's id does not say which): raise if one of those files changed since, or if a
        point kept here was computed with another file; else record the files' digests."""
        now = {f: hashlib.sha256(Path(f).read_bytes()).hexdigest()
               for f in sorted({_params_of(p) for p in points}) if Path(f).is_file()}
        row = self.db.execute("SELECT value FROM meta WHERE key = 'parameter_files'").fetchone()
        before = json.loads(row[0]) if row else {}
        problems = [f"parameter file {f} changed since the results here were computed"
                    for f, digest in now.items() if before.get(f, digest) != digest]
        kept = {i: _params_of(json.loads(f)) for i, f in self.db.execute("SELECT id, factors FROM scenarios")}
        problems += [f"scenario {p['id']} here was computed with parameter file {kept[p['id']]}, "
                     f"not {_params_of(p)}" for p in points if kept.get(p["id"], _params_of(p)) != _params_of(p)]
        if problems:
            raise InputError([Problem(str(self.path), None, None, f"{text}: resuming would mix both; use another --db")
                              for text in problems[:5]])
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('parameter_files', ?)",
                        (json.dumps({**before, **now}, sort_keys=True),))

    def solved_with(self, ids: set[str]) -> dict[str, int]:
        """How many of the scenarios ``ids`` kept here were solved with each set of solve
        options (JSON text; rows written before rows kept them are not counted)."""
        counts: dict[str, int] = {}
        for i, details in self.db.execute("SELECT id, details FROM scenarios"):
            options = json.loads(details or "{}").get("options") if i in ids else None
            if options is not None:
                key = json.dumps(options, sort_keys=True)
                counts[key] = counts.get(key, 0) + 1
        return counts

    def statuses(self, ids: set[str]) -> dict[str, int]:
        """How many of the scenarios ``ids`` are kept here with each status."""
        counts: dict[str, int] = {}
        for i, status in self.db.execute("SELECT id, status FROM scenarios"):
            if i in ids:
                counts[status] = counts.get(status, 0) + 1
        return counts

    def ids(self, exclude: tuple[str, ...] = ()) -> set[str]:
        """The scenarios kept here, but for those with a status in ``exclude``."""
        return {i for i, status in self.db.execute("SELECT id, status FROM scenarios") if status not in exclude}

    def record(self, row: dict, tables: dict[str, pd.DataFrame] | None = None) -> None:
        """Write one scenario's row and its solution tables in a single transaction."""
        values = {"id": row["id"], "factors": json.dumps(row["factors"], sort_keys=True),
                  "finished_at": time.time(), "error": row.get("error"),
                  "details": json.dumps(row.get("details") or {}, default=str)}
        values.update({k: row.get(k) for k in RESULT_COLUMNS})
        values.update({f"cost_{t}": (row.get("cost_breakdown") or {}).get(t) for t in COST_TERMS})
        values.update({m: (row.get("metrics") or {}).get(m) for m in METRICS})
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        with self.db:  # one transaction
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("DELETE FROM solution_tables WHERE scenario_id = ?", (row["id"],))
            self.db.execute(f"INSERT OR REPLACE INTO scenarios ({cols}) VALUES ({marks})", tuple(values.values()))
            for name, frame in (tables or {}).items():
                self.db.execute("INSERT INTO solution_tables VALUES (?, ?, ?)",
                                (row["id"], name, frame.to_csv(index=False, lineterminator="\n")))

    def frame(self) -> pd.DataFrame:
        """One row per scenario: factors as columns, then results, costs and measures."""
        raw = pd.read_sql_query("SELECT * FROM scenarios ORDER BY id", self.db).drop(columns="details", errors="ignore")
        factors = pd.DataFrame([json.loads(f) for f in raw.pop("factors")], index=raw.index)
        return pd.concat([raw[["id"]], factors, raw.drop(columns="id")], axis=1)

    def details(self, scenario_id: str) -> dict:
        """Method details of one scenario (per-module times, bounds, rule reports)."""
        row = self.db.execute("SELECT details FROM scenarios WHERE id = ?", (scenario_id,)).fetchone()
        return json.loads(row[0]) if row and row[0] else {}

    def table(self, scenario_id: str, name: str) -> pd.DataFrame:
        """One stored solution table of one scenario."""
        row = self.db.execute("SELECT csv FROM solution_tables WHERE scenario_id = ? AND name = ?",
                              (scenario_id, name)).fetchone()
        if row is None:
            raise KeyError(f"no table {name!r} for scenario {scenario_id!r}")
        return pd.read_csv(io.StringIO(row[0]))


EXPORT_COLUMNS = FACTORS + ("status", "objective", "lower_bound", "gap", "certificate",
                            "n_product_configurations", "weighted_distance", "platformability_index",
                            "build_seconds", "solve_seconds") + tuple(f"cost_{t}" for t in COST_TERMS)


def read_results(db: str | Path) -> pd.DataFrame:
    """The scenario table of a batch: the export columns first, then everything else."""
    if not Path(db).exists():
        raise FileNotFoundError(f"results database {db} does not exist")
    with ResultsStore(db, read_only=True) as store:
        df = store.frame()
    front = [c for c in EXPORT_COLUMNS if c in df.columns]
    return df[front + [c for c in df.columns if c not in front]]
