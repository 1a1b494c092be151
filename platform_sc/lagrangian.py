"""Lagrangian agreement of the per-module problems within one set of set-up plants (ours).

Within the configurations setting up exactly the plants O, Theorem 2.1 lets each module j
choose its own manufacturing flows fin_j. Relaxing the agreement fin_j = fin with
multipliers λ_j[p,m], Σ_j λ_j[p,m] = 0 on every arc (so the common fin drops out), gives

    L(λ) = Σ_j min { Z_j(x_j) + Σ_(p,m) λ_j[p,m]·fin_j[p,m] : x_j feasible for module j in O }

with L(λ) ≤ Z*_O for every such λ, and L(0) the Theorem 2.1 bound within O. Subgradient
ascent with Polyak's step toward the incumbent Z̄: g_j = fin_j − mean_i fin_i (a feasible
direction: it sums to zero over j), λ ← λ + θ·(Z̄ − L)/‖g‖²·g, θ halved after ``patience``
iterations without a better bound, stopped when θ < ``min_step``. Each L(λ) uses the proven
bounds of the module problems, so every bound reported is valid even when they stop short.

Upper bounds: decompositions (Theorem 2.2) at the configurations the modules choose: at
λ = 0 each module's (the costliest module's first), then at each iteration the one of the
module closest to the mean, which the others disagree with least (each configuration once).
The modules often agree on the plants and differ on which segments a plant serves, a tie the
paper's pre-processing breaks by manufacturing cost alone; as they come to agree, their
configurations are the ones worth trying.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from .decomposition import decompose_at, map_modules, out_of_time
from .result import RunResult
from .sets import Sets

log = logging.getLogger(__name__)


@dataclass
class LagrangianOptions:
    patience: int = 1        # iterations without a better bound before θ halves
    min_step: float = 0.25   # stop once θ falls below this
    max_iterations: int = 100


@dataclass
class Agreement:
    bound: float                          # best L(λ), a lower bound on Z*_O
    best: RunResult | None                # best decomposition found (None: none beat the incumbent)
    build_seconds: float = 0.0
    iterations: list = field(default_factory=list)  # iteration log: bound, upper bound, gap, seconds


def agree_within(S: Sets, sub, O: frozenset, parts: list, incumbent: float, gap: float,
                 deadline: float | None, config: LagrangianOptions | None = None) -> Agreement:
    """Raise the bound on the configurations with set-up plants O (module docstring).
    ``parts``: the module problems at λ = 0 (Theorem 2.1 within O); ``sub``: options of the
    module problems; stops when the bound proves the best objective within ``gap``."""
    config = config or LagrangianOptions()
    t0 = time.perf_counter()
    arcs = [a for a in S.muc if a[0] in O]
    lam = {j: {a: 0.0 for a in arcs} for j in S.modules}
    upper, best, theta, stale, tried = incumbent, None, 1.0, 0, []
    out = Agreement(float("-inf"), None)
    for it in range(config.max_iterations):
        if any(r.lower_bound is None or r.flows is None for r in parts):
            break
        value = sum(r.lower_bound for r in parts)
        if value > out.bound:
            out.bound, stale = value, 0
        else:
            stale += 1
        fins = {r.module: {a: r.flows.get(a, 0.0) for a in arcs} for r in parts}
        mean = {a: sum(f[a] for f in fins.values()) / len(fins) for a in arcs}
        # at λ = 0 every module's configuration (the costliest module's first), then the nearest
        candidates = (sorted(parts, key=lambda r: -r.objective) if it == 0 else
                      [min(parts, key=lambda r: sum((fins[r.module][a] - mean[a]) ** 2 for a in arcs))])
        for part in candidates:
            if out_of_time(deadline) or out.bound >= upper * (1 - gap) or part.flows in tried:
                continue
            tried.append(part.flows)
            # module j's own problem at its configuration: its Lagrangian solution is optimal there
            res = decompose_at(S, sub, part.flows, deadline, starts={part.module: part.values})
            out.build_seconds += res.build_seconds
            if res.solution is not None and res.objective < upper:
                upper, best = res.objective, res
                res.details["configuration_of"] = f"{part.module} (Lagrangian iteration {it})"
        out.iterations.append({"iteration": it, "lower_bound": out.bound, "upper_bound": upper,
                               "gap": (upper - out.bound) / upper, "seconds": time.perf_counter() - t0})
        log.info("Lagrangian %d: bound %.6g, upper bound %.6g, gap %.3g", it, out.bound, upper,
                 out.iterations[-1]["gap"])
        if stale >= config.patience:
            theta, stale = theta / 2, 0
        g = {j: {a: fins[j][a] - mean[a] for a in arcs} for j in fins}
        norm = sum(v * v for gj in g.values() for v in gj.values())
        if out.bound >= upper * (1 - gap) or theta < config.min_step or norm < 1e-9 or out_of_time(deadline):
            break
        step = theta * (upper - value) / norm
        lam = {j: {a: lam[j][a] + step * g[j][a] for a in arcs} for j in lam}
        parts = map_modules(S, None, sub, deadline, O, prices=lam, starts={r.module: r.values for r in parts})
        out.build_seconds += sum(r.build_seconds for r in parts)
    out.best = best
    return out
