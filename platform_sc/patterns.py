"""A cheap oracle for the Lagrangian: module problems at known discrete decisions (ours).

Module j's Lagrangian problem within O (:mod:`platform_sc.lagrangian`) is a MIP, but its
solutions repeat the same discrete decisions (options, offers, suppliers, tooling, price
breaks) from one multiplier to the next and differ in how the units are routed: on
GG/24/0.5M/high/dev-low/pb2 the engine kept one pattern through all 8 iterations, and 4 new
patterns appeared in 28 module solutions (benchmarks/README.md). With the discrete decisions
d fixed the problem is an LP,

    LP_j,d(λ_j) = min { Z_j(x) + λ_j·fin_j(x) : x feasible for module j in O, discrete part d },

and every solution of it is a feasible point of module j, so a cut for the bundle. Solving
these LPs at the master's trial multipliers lets the master's model follow min_d LP_j,d(λ),
the module's value over the patterns seen so far, before a MIP is spent on a trial point.
The LPs only change costs from one λ to the next, so each pattern keeps its own HiGHS
object and restarts from its last basis.
"""
from __future__ import annotations

import time

import highspy
import numpy as np

from .highs import column_key, compile_model, new_highs, run
from .model import build_model
from .sets import Sets

DISCRETE = ("ada", "cpo", "sfc", "sft", "sqc")  # the decisions a pattern fixes (mps: fixed by O)


class PatternOracle:
    """Module ``module``'s problem within the set-up plants ``O`` as LPs, one per pattern of
    discrete decisions :meth:`add` was given; :meth:`best` the cheapest at given prices.
    The model is built at the first :meth:`best` (0.25–0.4 s for the four modules of a GG
    instance, spared when the agreement ends before its first step); ``build_seconds``."""

    def __init__(self, S: Sets, module: str, O: frozenset, arcs: list):
        self.source = (S, module, O, arcs)
        self.waiting: list[dict] = []  # solutions given before the model was built
        self.patterns: dict[tuple, highspy.Highs] = {}
        self.build_seconds = 0.0
        self.lp = None

    def _build(self) -> None:
        t0 = time.perf_counter()
        S, module, O, arcs = self.source
        model = build_model(S, modules=[module], manufacturing_scale=1 / len(S.modules), open_set=O)
        self.lp, columns = compile_model(model)
        self.keys = [column_key(v) for v in columns]
        self.discrete = [i for i, k in enumerate(self.keys) if k[0] in DISCRETE]
        at = {k: i for i, k in enumerate(self.keys)}
        self.arcs = [a for a in arcs if ("fin", a) in at]
        self.fin = np.array([at["fin", a] for a in self.arcs], dtype=np.int32)
        self.cost = [self.lp.col_cost_[i] for i in self.fin]
        self.lp.integrality_ = [highspy.HighsVarType.kContinuous] * self.lp.num_col_
        self.lower, self.upper = list(self.lp.col_lower_), list(self.lp.col_upper_)
        self.build_seconds += time.perf_counter() - t0

    def add(self, values: dict | None) -> None:
        """The pattern of a module solution (``values``: :func:`platform_sc.highs.solution_of`
        of any model of this module; discrete decisions it lacks are 0)."""
        if values is None:
            return
        if self.lp is None:
            self.waiting.append(values)
            return
        pattern = tuple(round(values.get(self.keys[i], 0.0)) for i in self.discrete)
        if pattern in self.patterns:
            return
        lower, upper = list(self.lower), list(self.upper)
        for i, v in zip(self.discrete, pattern):
            lower[i] = upper[i] = v
        self.lp.col_lower_, self.lp.col_upper_ = lower, upper
        h = new_highs()
        h.passModel(self.lp)
        self.patterns[pattern] = h

    def best(self, prices: dict) -> tuple[float, dict] | None:
        """(Z_j(x), fin_j(x)) of the point x minimising Z_j + prices·fin over the known
        patterns (None if none is known, or none solves)."""
        if self.lp is None:
            self._build()
            for values in self.waiting:
                self.add(values)
            self.waiting = []
        cost = np.array([c + prices.get(a, 0.0) for c, a in zip(self.cost, self.arcs)])
        best = None
        for h in self.patterns.values():
            h.changeColsCost(len(self.fin), self.fin, cost)
            run(h)
            if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                continue
            value = h.getInfo().objective_function_value
            if best is None or value < best[0]:
                x = h.getSolution().col_value
                best = (value, {a: x[i] for a, i in zip(self.arcs, self.fin)})
        if best is None:
            return None
        value, fin = best
        return value - sum(prices.get(a, 0.0) * f for a, f in fin.items()), fin
