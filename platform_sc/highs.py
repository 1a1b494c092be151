"""A direct HiGHS interface: Pyomo's linear compiler into one ``highspy`` model.

Pyomo's persistent HiGHS interface (``pyomo.contrib.solver``) spends longer translating the
small per-module problems than HiGHS spends solving them: on CC/72/2M/low, 1.0 s per instance
outside HiGHS against 0.3–0.4 s inside; 0.45 s outside with this module. Every active
constraint and the objective go through :class:`pyomo.repn.linear.LinearRepnVisitor` (the
compiler of Pyomo's LP writer) into one row-wise matrix handed to HiGHS in a single call;
fixed variables are constants. Rows and columns come in the order the persistent interface
used (constraints in declaration order, variables as first met), so HiGHS sees the same
model. Polishing re-solves in the same HiGHS object.

Two of HiGHS's primal heuristics are off unless the caller turns them on (``options``,
``--solver-option``): our problems have easy feasibility (HiGHS finds good incumbents early
by other means), and on 96 module problems of the paper grid the feasibility jump and RENS
(a sub-MIP at the root) took 17–20 % of the solve time, 37 % on the smaller ones, every
problem still proven within 1e-4 (benchmarks/README.md).
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.collections import ComponentSet
from pyomo.core.base import SortComponents
from pyomo.repn.linear import LinearRepnVisitor
from pyomo.repn.util import VarRecorder

from .console import stdout_to
from .errors import SolveError

log = logging.getLogger(__name__)

INF = highspy.kHighsInf
_STATUS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kTimeLimit: "time_limit",
    highspy.HighsModelStatus.kIterationLimit: "iteration_limit",
    highspy.HighsModelStatus.kSolutionLimit: "iteration_limit",
    highspy.HighsModelStatus.kInterrupt: "interrupted",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible_or_unbounded",
    highspy.HighsModelStatus.kUnbounded: "unbounded",
    highspy.HighsModelStatus.kObjectiveBound: "objective_limit",
    highspy.HighsModelStatus.kObjectiveTarget: "objective_limit",
}


SAVE = "mip_improving_solution_save"  # HiGHS option: keep every improving incumbent (HighsRun.found)

DEFAULT_OPTIONS = {"mip_heuristic_run_feasibility_jump": False, "mip_heuristic_run_rens": False}


_bannered = False  # this process has constructed a Highs object (see new_highs)


def new_highs(tee: bool = False) -> highspy.Highs:
    """A ``Highs`` object logging to the console only if ``tee``. highspy 1.16 prints its
    banner from the first constructor of a process, before ``output_flag`` can be set, on the
    process's stdout (where it broke ``platform-sc solve --json``): unless ``tee``, that first
    constructor runs with stdout sent to the null device. Only the first: the redirection is
    process-wide, and would swallow what other threads write meanwhile. Run it with
    :func:`run`."""
    global _bannered
    if tee or _bannered:
        h = highspy.Highs()
    else:
        with stdout_to(None):
            h = highspy.Highs()
    _bannered = True
    h.setOptionValue("output_flag", bool(tee))
    return h


_threads: int | None = None  # the thread count of this process's HiGHS scheduler, once started


def run(h: highspy.Highs, threads: int | None = None) -> None:
    """``h.run()`` with ``threads`` threads (None: as many as the solves before it, 1 for the
    first). HiGHS starts one scheduler per process, at its first run, and refuses to run
    (model status "Not Set") with another ``threads`` value: a change of count restarts it."""
    global _threads
    n = int(threads or 0) or _threads or 1
    if _threads is not None and n != _threads:
        highspy.Highs.resetThreadScheduler(True)
    h.setOptionValue("threads", n)
    _threads = n
    h.run()


@dataclass
class HighsRun:
    status: str
    objective: float | None   # incumbent, None without a feasible solution
    bound: float | None       # proven dual bound
    values: list | None       # column values of the incumbent
    columns: list             # the Pyomo variables, in column order
    found: list = field(default_factory=list)  # [(objective, column values)] of every improving incumbent (see SAVE)


def row_wise_lp(cost: list, col_lower: list, col_upper: list, rows: tuple, row_lower: list,
                row_upper: list) -> highspy.HighsLp:
    """A HiGHS model (minimise) from its columns and its rows, ``rows`` = (start, index,
    value) compressed row-wise."""
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cost), len(row_lower)
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, col_lower, col_upper
    lp.row_lower_, lp.row_upper_ = row_lower, row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = len(cost), len(row_lower)
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = rows
    return lp


def compile_model(model) -> tuple[highspy.HighsLp, list]:
    """The model's active linear constraints and its one active objective as a HiGHS model,
    and the Pyomo variables of its columns."""
    var_map: dict = {}
    visitor = LinearRepnVisitor({}, var_recorder=VarRecorder(var_map, SortComponents.deterministic))
    col: dict = {}

    def columns_of(repn, component) -> tuple[list, list]:
        if repn.nonlinear is not None:  # the name only now: naming every row costs a third of compiling
            raise ValueError(f"{component.name} is not linear")
        index = []
        for vid in repn.linear:
            if vid not in col:
                col[vid] = len(col)
            index.append(col[vid])
        return index, list(repn.linear.values())

    start, index, value, row_lo, row_hi = [0], [], [], [], []  # rows, compressed
    for con in model.component_data_objects(pyo.Constraint, active=True):
        lb, body, ub = con.to_bounded_expression(True)
        repn = visitor.walk_expression(body)
        idx, val = columns_of(repn, con)
        row_lo.append(-INF if lb is None else lb - repn.constant)
        row_hi.append(INF if ub is None else ub - repn.constant)
        index += idx
        value += val
        start.append(len(index))
    (objective,) = model.component_data_objects(pyo.Objective, active=True)
    repn = visitor.walk_expression(objective.expr)
    cost_index, cost_value = columns_of(repn, objective)
    variables = [var_map[vid] for vid in col]
    cost = [0.0] * len(variables)
    for i, c in zip(cost_index, cost_value):
        cost[i] = c
    lp = row_wise_lp(cost, [-INF if v.lb is None else v.lb for v in variables],
                     [INF if v.ub is None else v.ub for v in variables], (start, index, value), row_lo, row_hi)
    lp.offset_ = repn.constant
    if objective.sense == pyo.maximize:
        lp.sense_ = highspy.ObjSense.kMaximize
    integer = ComponentSet(v for v in variables if v.is_integer())
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger if v in integer else highspy.HighsVarType.kContinuous
                           for v in variables]
    return lp, variables


def column_key(v) -> tuple:
    """A variable's (name, index): the same key in every model built over the same sets."""
    return v.parent_component().local_name, v.index()


def solution_of(model) -> dict:
    """The values of ``model``'s free variables, keyed by (variable name, index): a MIP start
    for another model over the same variables (see :func:`run_highs`)."""
    return {column_key(v): v.value for v in model.component_data_objects(pyo.Var) if not v.fixed and v.value is not None}


def run_highs(model, time_limit: float | None, gap: float, threads: int | None, tee: bool,
              options: dict | None = None, start: dict | None = None) -> HighsRun:
    """Solve ``model`` (not modified: call :func:`load` to set the variable values) with
    ``threads`` threads (``options``' "threads" if given; see :func:`run`).
    ``start`` (from :func:`solution_of`, possibly of another model): a MIP start for the
    columns it names; HiGHS ignores it if infeasible and completes it if partial."""
    lp, columns = compile_model(model)
    h = new_highs(tee)
    options = dict(options or {})
    threads = options.pop("threads", threads)
    for key, val in {"mip_rel_gap": gap, **DEFAULT_OPTIONS, **options}.items():
        if h.setOptionValue(key, val) != highspy.HighsStatus.kOk:
            raise ValueError(f"HiGHS does not accept the option {key}={val!r}")
    if time_limit is not None and h.setOptionValue("time_limit", float(time_limit)) != highspy.HighsStatus.kOk:
        raise ValueError(f"HiGHS does not accept the time limit {time_limit!r} (seconds, at least 0)")
    h.passModel(lp)
    if start:
        _set_start(h, columns, start)
    run(h, threads)
    if h.getModelStatus() == highspy.HighsModelStatus.kNotset:
        raise SolveError("HiGHS did not solve the model (model status Not Set): see its log (--log)")
    status = _STATUS.get(h.getModelStatus(), h.modelStatusToString(h.getModelStatus()))
    info = h.getInfo()
    mip = info.mip_node_count >= 0
    if info.primal_solution_status != 2:  # 2: feasible
        # a MIP's dual bound holds even without an incumbent (e.g. a cutoff search stopped by time)
        return HighsRun(status, None, _finite(info.mip_dual_bound) if mip else None, None, columns)
    values = list(h.getSolution().col_value)
    objective = info.objective_function_value
    bound = info.mip_dual_bound if mip else (objective if status == "optimal" else None)
    found = [(float(np.dot(lp.col_cost_, s.col_value)) + lp.offset_, list(s.col_value))
             for s in h.getSavedMipSolutions()] if options.get(SAVE) else []
    values = _polish(h, lp, values) or values
    return HighsRun(status, objective, _finite(bound), values, columns, found)


def _set_start(h: highspy.Highs, columns: list, start: dict) -> None:
    keys = [column_key(v) for v in columns]
    index = [i for i, k in enumerate(keys) if k in start]
    if index:
        h.setSolution(len(index), np.array(index, dtype=np.int32), np.array([start[keys[i]] for i in index]))


def _finite(x):
    return x if x is not None and math.isfinite(x) else None


def _polish(h: highspy.Highs, lp: highspy.HighsLp, values: list) -> list | None:
    """HiGHS accepts a binary within 1e-6 of integral, and a binary at 1e-7 still lets a flow
    of bound·1e-7 units through (a fraction of a unit on a 200,000-unit link). Fix the integer
    columns at their rounded values and re-solve the LP, so that the reported flows agree
    exactly with the reported decisions; None (keep the MIP values) if nothing to do or the
    LP fails."""
    ints = [i for i, t in enumerate(lp.integrality_) if t == highspy.HighsVarType.kInteger]
    if all(abs(values[i] - round(values[i])) <= 1e-9 for i in ints):
        return None
    for i in ints:
        h.changeColBounds(i, round(values[i]), round(values[i]))
        h.changeColIntegrality(i, highspy.HighsVarType.kContinuous)
    # an LP: no cutoff (objective_bound would stop the dual simplex early), its own time
    for key, val in {"objective_bound": INF, "time_limit": 60.0, "output_flag": False}.items():
        h.setOptionValue(key, val)
    run(h)
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        log.warning("polishing LP ended %s; keeping the MIP values", h.modelStatusToString(h.getModelStatus()))
        return None
    return list(h.getSolution().col_value)


def load(run: HighsRun) -> None:
    """Set the Pyomo variables to the incumbent (integers rounded after polishing)."""
    for var, x in zip(run.columns, run.values):
        var.set_value(round(x) if var.is_integer() and abs(x - round(x)) <= 1e-9 else x, skip_validation=True)
