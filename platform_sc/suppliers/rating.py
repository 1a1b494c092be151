"""Supplier performance rating: 100-point composite, nonconformity score, A/B/C/D grade.

Inputs (optional instance tables, see :data:`platform_sc.schema.OPTIONAL_SCHEMA`):

* ``supplier_performance`` – one row per rated supplier with seven indicators, each a share
  in [0, 1];
* ``nonconformities`` – a log ``id, supplier, date, severity`` with severity
  ``critical | major | minor``.

Composite score (the spec's worked company scheme, 100 points)::

    score_s = 100 * sum_i w_i x_si / sum_i w_i
    w = (incoming 15, in-use 15, batch 15, service 15, fill 15, on-time 15, feedback 10)

so with the default weights (summing to 100) the score is simply ``sum_i w_i x_si``.

Nonconformity score over a period: ``NC_s = 5 #critical + 3 #major + 1 #minor``.

Grade (defaults of :class:`GradeRule`, chosen because the source gives none):

* base grade from the composite: A >= 90, B >= 80, C >= 70, D below 70 – the usual
  "excellent / good / qualified / unqualified" bands of 10 points, with 70 the pass mark;
* nonconformity downgrade: each threshold of ``nc_steps = (5, 10, 15)`` that NC_s reaches
  lowers the grade one step (floor D). One critical nonconformity (or five minors) costs a
  grade; three criticals (or any mix worth 15) make even an A supplier unqualified.

Suppliers without a performance row are ``"unrated"`` (not excluded) unless
``GradeRule.unrated_grade`` gives them a base grade.

Use in the model: :func:`exclude_graded` removes suppliers of the given grades (D by default,
C too on request) from a copy of the instance, so they cannot be selected; ``model.py`` is
untouched.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, fields

import pandas as pd

from ..errors import InputError, Problem
from ..io import Instance
from ..validate import validate

log = logging.getLogger(__name__)

GRADES: tuple[str, ...] = ("A", "B", "C", "D")
UNRATED = "unrated"
SEVERITY_POINTS: dict[str, int] = {"critical": 5, "major": 3, "minor": 1}
ACTIONS: dict[str, str] = {
    "A": "excellent: keep (single source keeps 100% of orders)",
    "B": "good: keep; with a single source, develop a second source",
    "C": "qualified: replace quickly if single-sourced",
    "D": "unqualified: drop, whatever the number of sources",
    UNRATED: "no performance record",
}
#: Indicator columns of ``supplier_performance`` (also the field names of :class:`RatingWeights`).
INDICATORS: tuple[str, ...] = ("incoming_pass_rate", "in_use_pass_rate", "batch_pass_rate", "service_score",
                               "order_fill_rate", "on_time_rate", "customer_feedback")


@dataclass(frozen=True)
class RatingWeights:
    """Points per indicator (default: the spec's worked 100-point scheme)."""

    incoming_pass_rate: float = 15.0   # product quality level (incoming inspection)
    in_use_pass_rate: float = 15.0     # annual average in-use pass rate
    batch_pass_rate: float = 15.0
    service_score: float = 15.0
    order_fill_rate: float = 15.0
    on_time_rate: float = 15.0
    customer_feedback: float = 10.0

    def as_dict(self) -> dict[str, float]:
        return {f.name: float(getattr(self, f.name)) for f in fields(self)}

    def __post_init__(self):
        w = self.as_dict()
        if any(v < 0 for v in w.values()) or sum(w.values()) <= 0:
            raise ValueError(f"rating weights must be non-negative with a positive sum (got {w})")


@dataclass(frozen=True)
class GradeRule:
    """Grade cut-offs on the 100-point composite and the nonconformity downgrade rule."""

    a: float = 90.0                    # composite >= a -> A
    b: float = 80.0                    # composite >= b -> B
    c: float = 70.0                    # composite >= c -> C, else D
    nc_steps: tuple[float, ...] = (5.0, 10.0, 15.0)  # each reached -> one grade lower
    unrated_grade: str | None = None   # base grade for suppliers without a performance row

    def __post_init__(self):
        if not (100 >= self.a >= self.b >= self.c >= 0):
            raise ValueError(f"grade cut-offs must satisfy 100 >= a >= b >= c >= 0 (got {self.a}, {self.b}, {self.c})")
        if list(self.nc_steps) != sorted(self.nc_steps) or any(s <= 0 for s in self.nc_steps):
            raise ValueError(f"nc_steps must be positive and increasing (got {self.nc_steps})")
        if self.unrated_grade not in (None, *GRADES):
            raise ValueError(f"unrated_grade must be one of {GRADES} or None")

    def base_grade(self, score: float) -> str:
        return "A" if score >= self.a else "B" if score >= self.b else "C" if score >= self.c else "D"

    def downgrades(self, nc_score: float) -> int:
        return sum(nc_score >= s for s in self.nc_steps)


def _typed(instance: Instance) -> Instance:
    """Validated copy (typed columns); the raw instance may hold text."""
    return validate(instance)


def composite_scores(instance: Instance, weights: RatingWeights | None = None, *, typed: bool = False) -> pd.DataFrame:
    """``supplier, composite`` (0–100) from ``supplier_performance`` (empty if the table is absent)."""
    inst = instance if typed else _typed(instance)
    w = (weights or RatingWeights()).as_dict()
    if "supplier_performance" not in inst:
        return pd.DataFrame({"supplier": pd.Series(dtype=object), "composite": pd.Series(dtype=float)})
    perf = inst["supplier_performance"]
    total = sum(w.values())
    score = sum(w[c] * perf[c].astype(float) for c in INDICATORS) * (100.0 / total)
    return pd.DataFrame({"supplier": perf["supplier"].tolist(), "composite": score.round(6).tolist()})


def nonconformity_scores(instance: Instance, since: str | None = None, until: str | None = None,
                         *, typed: bool = False) -> pd.DataFrame:
    """``supplier, n_critical, n_major, n_minor, nonconformity_score`` over ``[since, until]``.

    ``NC = 5 critical + 3 major + 1 minor``. Bad severities or dates are reported with file,
    row and column (:class:`~platform_sc.errors.InputError`).
    """
    inst = instance if typed else _typed(instance)
    cols = ["supplier", "n_critical", "n_major", "n_minor", "nonconformity_score"]
    if "nonconformities" not in inst:
        return pd.DataFrame(columns=cols)
    log_ = inst["nonconformities"]
    problems, sev, dates = [], [], []
    for i, (s, d) in enumerate(zip(log_["severity"], log_["date"])):
        row = inst.line("nonconformities", i)
        s_norm = str(s).strip().lower()
        if s_norm not in SEVERITY_POINTS:
            problems.append(Problem(inst.where("nonconformities"), row, "severity",
                                    f"must be one of {', '.join(SEVERITY_POINTS)} (got {s!r})"))
        sev.append(s_norm)
        day = pd.to_datetime(str(d).strip(), errors="coerce", format="%Y-%m-%d")
        if pd.isna(day):
            problems.append(Problem(inst.where("nonconformities"), row, "date",
                                    f"must be a date YYYY-MM-DD (got {d!r})"))
        dates.append(day)
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame({"supplier": log_["supplier"].tolist(), "severity": sev, "date": dates})
    if since is not None:
        frame = frame[frame["date"] >= pd.Timestamp(since)]
    if until is not None:
        frame = frame[frame["date"] <= pd.Timestamp(until)]
    counts = pd.crosstab(frame["supplier"], frame["severity"]).reindex(columns=list(SEVERITY_POINTS), fill_value=0)
    out = pd.DataFrame({"supplier": counts.index.tolist(),
                        "n_critical": counts["critical"].tolist(), "n_major": counts["major"].tolist(),
                        "n_minor": counts["minor"].tolist()})
    out["nonconformity_score"] = sum(SEVERITY_POINTS[k] * out[f"n_{k}"] for k in SEVERITY_POINTS)
    return out[cols]


def grade_suppliers(instance: Instance, weights: RatingWeights | None = None, rule: GradeRule | None = None,
                    since: str | None = None, until: str | None = None) -> pd.DataFrame:
    """The grade table: one row per supplier of the instance.

    Columns: ``supplier, module, region, composite, n_critical, n_major, n_minor,
    nonconformity_score, base_grade, downgrades, grade, action``.
    """
    rule = rule or GradeRule()
    inst = _typed(instance)
    sup = inst["suppliers"][["supplier", "module", "region"]].reset_index(drop=True)
    table = sup.merge(composite_scores(inst, weights, typed=True), on="supplier", how="left")
    table = table.merge(nonconformity_scores(inst, since, until, typed=True), on="supplier", how="left")
    for c in ("n_critical", "n_major", "n_minor", "nonconformity_score"):
        table[c] = table[c].fillna(0).astype(int)
    base, down, grade = [], [], []
    for score, nc in zip(table["composite"], table["nonconformity_score"]):
        b = rule.unrated_grade if pd.isna(score) else rule.base_grade(score)
        k = rule.downgrades(nc)
        base.append(b or UNRATED)
        down.append(k if b else 0)
        grade.append(GRADES[min(GRADES.index(b) + k, len(GRADES) - 1)] if b else UNRATED)
    table["base_grade"], table["downgrades"], table["grade"] = base, down, grade
    table["action"] = table["grade"].map(ACTIONS)
    log.info("graded %d suppliers: %s", len(table), table["grade"].value_counts().to_dict())
    return table


#: Tables whose ``supplier`` column refers to ``suppliers`` (rows of excluded suppliers are dropped).
_SUPPLIER_TABLES = ("suppliers", "supplier_options", "price_breaks", "supplier_plant",
                    "supplier_performance", "nonconformities", "lead_times")


def exclude_graded(instance: Instance, grades: pd.DataFrame, exclude: tuple[str, ...] = ("D",)) -> Instance:
    """A copy of ``instance`` without the suppliers whose grade is in ``exclude``.

    Their rows in ``suppliers``, ``supplier_options``, ``price_breaks``, ``supplier_plant`` and
    the optional supplier tables are removed, so the MILP cannot select them. If that leaves a
    module without enough capacity, validation of the returned instance says so.
    """
    bad = set(grades.loc[grades["grade"].isin(exclude), "supplier"])
    if not bad:
        return instance
    log.info("excluding suppliers graded %s: %s", "/".join(exclude), ", ".join(sorted(bad)))
    new = {t: instance[t][~instance[t]["supplier"].astype(str).str.strip().isin(bad)].reset_index(drop=True)
           for t in _SUPPLIER_TABLES if t in instance}
    return instance.replace(**new)
