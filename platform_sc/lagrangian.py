"""Lagrangian agreement of the per-module problems within one set of set-up plants (ours).

Within the configurations setting up exactly the plants O, Theorem 2.1 lets each module j
choose its own manufacturing flows fin_j. Relaxing the agreement fin_j = fin with
multipliers λ_j[p,m], Σ_j λ_j[p,m] = 0 on every arc (so the common fin drops out), gives

    L(λ) = Σ_j L_j(λ_j),
    L_j(λ_j) = min { Z_j(x) + Σ_(p,m) λ_j[p,m]·fin_j[p,m](x) : x feasible for module j in O }

with L(λ) ≤ Z*_O for every such λ, and L(0) the Theorem 2.1 bound within O. Each L(λ) uses
the proven bounds of the module problems, so every bound reported is valid even when they
stop short.

L is concave; we maximise it by a proximal bundle method. Every feasible point x^k of module
j within O met so far gives a cut L_j(λ_j) ≤ Z_j(x^k) + λ_j·fin_j(x^k): the solutions of its
problems, every incumbent HiGHS met on the way to them (``keeping_incumbents``), and its
Z''(j) solutions in every decomposition within O (plus the setup share of the plants of O
that configuration leaves idle). The master QP maximises Σ_j θ_j under these cuts and
Σ_j λ_j = 0, less ‖λ − λ̂‖² / 2t, λ̂ the centre (the best multipliers so far). The extra
cuts tell the master what agreeing costs (with every module's cut at a configuration F, the
model is at most the decomposition at F): on GG/24/0.5M/high/dev-low/pb2, 4 of 10 steps
(the first among them) were null steps without them, none of 7 with them (benchmarks/README.md).
With one cut per module its step is the subgradient step t·g, g_j = fin_j − mean_i fin_i;
the first t is Polyak's, (Z̄ − L(0)) / ‖g‖² toward the incumbent Z̄ (the one passed in:
toward the lower one that λ = 0's decompositions often leave, the first steps were shorter
and the gaps at 60 s larger, benchmarks/README.md). The centre moves (a
serious step) when L gains at least ``serious`` of what the master predicted (t doubles if L
gains half of it), else the new cut alone corrects the model (a null step; t is multiplied
by ``null_shrink``, 1 as in the classic proximal bundle method: halving it at every null
step left t too short after the first steps, which overshoot, and L then crept up by small
serious steps, benchmarks/README.md). Stopped when the master predicts no gain, t falls
below ``min_step`` of its start (only null steps shrink t, so only if ``null_shrink`` < 1),
or the bound proves the incumbent. Unlike
subgradient steps (the former method), it keeps every cut, which is what the slow tail of
the agreement needs (benchmarks/README.md).

Patterns: the module problems' solutions mostly keep their discrete decisions from one λ to
the next and route the units anew, which the cut of one point per solution does not foresee
(L made 18–73 % of the gains the master predicted on GG/24/0.5M/high/dev-low/pb2). Each
pattern of discrete decisions seen (module solutions and Z''(j) within O) is an LP in the
units (:mod:`platform_sc.patterns`);
before a trial point goes to the module problems, the master is solved again with the cut of
each module's cheapest known pattern at its trial point, until its prediction there is within
``pattern_agree`` of its gain of what the patterns give (at most ``pattern_rounds`` times).
The MIPs are then spent where the patterns no longer tell (benchmarks/README.md).

Inexact module problems: L(λ) takes the module problems' proven bounds and a cut any
feasible solution, so neither needs a proven optimum. At λ ≠ 0 they stop once within
``oracle_gap`` of the gain the master predicts (a twentieth, half of what makes a serious
step: a bound that loses that much turns few serious steps into null ones), or after
``oracle_time`` × the longest problem at λ = 0. Solved to the caller's gap, one module
problem at times took 50–65 s where the others took 1–4 s, its bound at its final value
after 5 s (benchmarks/README.md). A module stopped by that cap before a null step gets twice
the time from then on: its weak bound made the step null, and the master then proposes
nearly the same multipliers again (GG/72/0.5M/high/dev-high/pb2: the interior stopped at
its 2.5 s nine times in a row, the bound stuck at 1.1e-4 from the proof). The caller's
relative gap no longer applies there: at 2.5e-5 of a module's ~2e9 it left the cuts up
to 1e5 above the bounds L takes, as much as the gain predicted near the end, so the master
proposed the same multipliers again and again (84 null steps on GG/24/0.5M/low/dev-medium/pb2).

Upper bounds: decompositions (Theorem 2.2) at the configurations the modules choose: every
module's while they stop at their first solution (below), else the one of the module closest
to the mean, which the others disagree with least (each configuration once; at λ¹ the body's
configuration proved GG/72/0.5M/high/dev-low/pb2 at 50 s, where the one nearest the mean did
not within 60 s, benchmarks/README.md). Their Z''(j) start from the
modules' own solutions (HiGHS keeps the discrete decisions and routes the flows anew by an
LP). At λ = 0 they stop at their first solution, which is feasible, so each decomposition
is an upper bound at the cost of a few LPs (HiGHS: ``mip_max_nodes`` = 0, the LP for the
start's discrete decisions alone; its root node's cuts and sub-MIP heuristics took 13 times
as long, 6.9 s for the 16 of GG/24/0.5M/high/dev-low/pb2, and lowered 4 of them by at most
5e5, benchmarks/README.md), and the cheapest is then solved in full (in the
next call, started from those solutions). Later ones stop at their first solution too only
while such first solutions overstated no full decomposition by more than the gap to prove,
and are then solved in full only if they could beat the upper bound by that much. On
GG/24/0.5M/high/dev-low/pb2 first solutions overstated nothing (a full decomposition costs
10 s of the 60); on GG/24/0.5M/low/dev-low/pb2 they overstated it by 3e-4, and the full
decompositions at later iterations found the optimum (benchmarks/README.md). Those at
λ = 0 and those stopped at their first solution run alone, as they often prove the set at
once (a fraction of a second; sharing a call with the module problems, one that proved
GG/72/0.5M/high/dev-low/pb2 waited 23 s for them); those in full share one call to the
processes with the next iteration's module problems.
The modules often agree on the plants and differ on which segments a plant serves, a tie the
paper's pre-processing breaks by manufacturing cost alone; as they come to agree, their
configurations are the ones worth trying. So are the master's aggregate flows, the convex
combination of the cuts' flows its dual weights make (the primal estimate of bundle
methods), decomposed at first solutions at every iteration and once more at the end: when
the bound already equals Z*_O and no module's own configuration reaches it, the aggregate
does (GG/48/0.5M/high/dev-low/pb2: bound 8259089351.9 at the first step, decomposition at
the aggregate 8259089357, proven at 16 s instead of 37 s; without it the patterns' more
exact model turned to pairs there and ran out of time).

Pairs of modules: the dual can stop short of Z*_O (the module problems are not convex). On
GG/24/0.5M/low/dev-medium/pb2 the bundle converged at 8.51497e9, 1.5e-4 below the best
decomposition, 8.51624e9 (a cutoff MILP found nothing below 8.51621e9 in 546 s). Two
modules solved as one problem, priced by the sum of their λ_j (the sums over blocks still
zero), keep their flows in agreement, and with the others alone bound Z*_O from below as
well: at that centre, (chassis, body) and (engine, interior) bound 8.51589e9; the other two
pairings gained 3e5 and 6e3. Pairs are chosen by an estimate from the decompositions solved
in full (solutions that agree): greedily by the gain of a pair's least value among them
over its modules' own bounds, and only if the estimated bound reaches the one to prove. A
pair takes 10–20 s where a module takes 1 s, so pairs are solved once, at the centre, when
the cuts promise less than ``pairs_at`` of the gain left to prove even ``pairs_reach`` × t
away (the modules alone would not prove the set soon), or when the iterations end short of
a proof. Judged by the step's own prediction, pairs came too early once the cuts grew: with
the cuts of decompositions and HiGHS's incumbents, GG/24/0.5M/high/dev-medium/pb2–4 turned
to pairs after one null step and ran out of time (proven at 12–15 s before those cuts);
looking 64 × t away, the modules alone prove them at 27 s (benchmarks/README.md).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace

import highspy

from .decomposition import (Problem, assemble_decomposition, configuration, decomposition_problems,
                            map_problems, out_of_time)
from .highs import SAVE, new_highs, row_wise_lp, run
from .patterns import PatternOracle
from .result import RunResult
from .sets import Sets

log = logging.getLogger(__name__)


MASTER_SECONDS = 1.0  # the master QP takes 0.01–0.1 s; past this it is solved again, scaled anew (_master)


@dataclass
class LagrangianOptions:
    step: float = 1.0        # first proximal step t, share of Polyak's (Z̄ − L(0)) / ‖g‖²
    min_step: float = 1 / 64  # stop once t has shrunk below this share of the first
    serious: float = 0.1     # the centre moves when L gains this share of the predicted gain
    null_shrink: float = 1.0  # t is multiplied by this after a null step
    max_iterations: int = 100
    oracle_gap: float = 0.05  # module problems at λ ≠ 0 solved to this share of the gain predicted (absolute)
    pairs_at: float = 0.3  # pairs of modules once the master predicts less than this share of the gain to prove
    pairs_reach: float = 64.0  # ... with steps up to this multiple of t (module docstring)
    oracle_time: float = 2.0  # or for at most this multiple of the longest module problem at λ = 0
    pattern_rounds: int = 20  # master re-solved with the known patterns' cuts at most this often per step
    pattern_agree: float = 0.1  # ... until its prediction is within this share of its gain of the patterns' value


@dataclass
class Agreement:
    bound: float                          # best L(λ), a lower bound on Z*_O
    best: RunResult | None                # best decomposition found (None: none beat the incumbent)
    build_seconds: float = 0.0
    iterations: list = field(default_factory=list)  # log: step kind, bound, upper bound, gap, t, seconds


def _cuts(parts: list, lam: dict, fins: dict) -> list:
    """(module, Z_j(x), fin_j(x)) of each module solution x (its objective less the charge)."""
    return [(r.module, r.objective - sum(lam[r.module][a] * f for a, f in fins[r.module].items()), fins[r.module])
            for r in parts]


def _master(cuts: list, arcs: list, centre: dict, t: float, s: float) -> tuple[dict, float, dict] | None:
    """The proximal master QP: max Σ_j θ_j − ‖λ − centre‖² / 2t subject to
    θ_j ≤ Z_j(x^k) + λ_j·fin_j(x^k) for every cut k and Σ_j λ_j = 0 on every arc. Returns the
    next multipliers, the model's value Σ_j θ_j there, and the aggregate flows mean_j ḡ_j
    (below: a convex combination of the modules' flows, the primal estimate of bundle
    methods); None if HiGHS fails.

    Solved as its dual, the usual form of bundle methods: convex weights α_k of each
    module's cuts (Σ_(k of j) α_k = 1) minimising Σ_k α_k·(cut k at the centre) + t/2·Σ_j ‖y_j‖²,
    y_j = ḡ_j − mean_i ḡ_i, ḡ_j = Σ_(k of j) α_k·fin_j(x^k); then λ_j = centre_j + t·y_j.
    With the patterns' cuts (many meet at each kink of the model) HiGHS's active-set QP
    solver took 2–5 s on the primal form, once 180 s, and failed on some, where this form
    takes 0.05–0.1 s (~200 cuts, GG/72/0.5M/high/dev-medium/pb2). Scaled for HiGHS's
    absolute tolerances: the cuts less base_j (module j's lowest at the centre) divided by
    s (the gain sought), the flows by the largest. A cut repeated at the same point (the
    patterns' LPs return the same vertex at nearby multipliers) is kept once, the lowest.
    The QP solver still stalls now and then at one scaling (10 s on one of 69 cuts that it
    solves in 0.016 s scaled by 1.1 or 0.99, GG/48/0.5M/high/dev-low/pb2): after
    ``MASTER_SECONDS`` it is solved again scaled anew."""
    J, n, inf = list(centre), len(arcs), highspy.kHighsInf
    lowest: dict = {}
    for j, z, fin in cuts:
        key = (j, tuple(round(fin[a], 6) for a in arcs))
        if key not in lowest or z < lowest[key][1]:
            lowest[key] = (j, z, fin)
    at = [(j, z + sum(centre[j][a] * f for a, f in fin.items()), fin) for j, z, fin in lowest.values()]  # at the centre
    base = {j: min(v for i, v, _ in at if i == j) for j in J}
    K, scale = len(at), max((abs(f) for _, _, fin in at for f in fin.values()), default=0.0) or 1.0
    y = {(j, a): K + i * n + q for i, j in enumerate(J) for q, a in enumerate(arcs)}
    mean = {a: K + len(y) + q for q, a in enumerate(arcs)}
    ncol = K + len(y) + n
    start, index, value = [0], [], []

    def row(cols: list, coefs: list) -> None:
        index.extend(cols), value.extend(coefs), start.append(len(index))

    for j in J:  # Σ_(k of j) α_k = 1
        row([k for k, c in enumerate(at) if c[0] == j], [1.0] * sum(c[0] == j for c in at))
    for a in arcs:  # mean[a] = Σ_k α_k·fin_k[a] / |J| (flows scaled)
        used = [k for k, c in enumerate(at) if c[2].get(a)]
        row([mean[a]] + used, [1.0] + [-at[k][2][a] / scale / len(J) for k in used])
    for j in J:
        for a in arcs:  # y_j[a] = Σ_(k of j) α_k·fin_k[a] − mean[a]
            used = [k for k, c in enumerate(at) if c[0] == j and c[2].get(a)]
            row([y[j, a], mean[a]] + used, [1.0, 1.0] + [-at[k][2][a] / scale for k in used])
    rhs = [1.0] * len(J) + [0.0] * (n + len(y))
    for gain in (s, 1.1 * s, 0.7 * s):  # the same problem scaled anew if HiGHS stalls (docstring)
        lp = row_wise_lp([(v - base[j]) / gain for j, v, _ in at] + [0.0] * (len(y) + n),
                         [0.0] * K + [-inf] * (ncol - K), [inf] * ncol, (start, index, value), rhs, rhs)
        h = new_highs()
        h.setOptionValue("time_limit", MASTER_SECONDS)
        h.passModel(lp)
        h.passHessian(ncol, len(y), highspy.HessianFormat.kTriangular, [0] * (K + 1) + list(range(1, len(y) + 1))
                      + [len(y)] * n, list(range(K, K + len(y))), [t * scale * scale / gain] * len(y))
        run(h)
        if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            break
        log.debug("Lagrangian: the master QP ended %s", h.modelStatusToString(h.getModelStatus()))
    else:
        log.warning("Lagrangian: the master QP failed")
        return None
    x = h.getSolution().col_value
    lam = {j: {a: centre[j][a] + t * scale * x[y[j, a]] for a in arcs} for j in J}
    model = {}
    for j, z, fin in lowest.values():
        v = z + sum(lam[j][a] * f for a, f in fin.items())
        model[j] = min(model.get(j, v), v)
    return lam, sum(model.values()), {a: scale * x[mean[a]] for a in arcs}


def _absolute(sub, absolute: float, **changes):
    """``sub`` with ``changes``, stopping at HiGHS's absolute gap ``absolute`` alone, not also
    at the relative one (module docstring); other solvers keep their gap."""
    if sub.solver != "highs":
        return replace(sub, **changes)
    return replace(sub, gap=0.0, solver_options={**sub.solver_options, "mip_abs_gap": absolute}, **changes)


@dataclass
class _Decomposition:
    """A decomposition for the upper bound: Theorem 2.2's Z''(j) at ``flows`` (the
    configuration module ``of`` chose), each started from ``starts[j]``; ``first``: stopped
    at their first solution (HiGHS: the start itself, once its flows are routed anew)."""
    of: str
    flows: dict
    starts: dict
    first: bool
    estimate: float | None = None  # solved in full: the objective at its first solutions


def keeping_incumbents(sub):
    """``sub`` keeping every incumbent HiGHS meets (each is a cut; module docstring)."""
    return replace(sub, solver_options={**sub.solver_options, SAVE: True}) if sub.solver == "highs" else sub


def _first_solution(sub):
    """``sub`` stopping each problem at its first solution (HiGHS options)."""
    return replace(sub, solver_options={**sub.solver_options, "mip_max_nodes": 0})


def _problems(S: Sets, sub, jobs: list, seconds: dict) -> list:
    """The Z''(j) of the decompositions ``jobs``: those stopped at their first solution are
    expected to take no time (the processes take them last), the others ``seconds``."""
    quick = _first_solution(sub)
    return [q for d in jobs for q in decomposition_problems(
        S, quick if d.first else sub, d.flows, d.starts, dict.fromkeys(S.modules, 0.0) if d.first else seconds)]


def _pairs(lam: dict, own: dict, joint: list, target: float) -> tuple[list, float] | None:
    """Pairs of modules to solve together at ``lam`` (module docstring, pairs): greedily
    those whose estimate gains most over their own bounds ``own``, the estimate of a pair
    being the least value at ``lam`` of its modules' solutions in one decomposition
    ``joint`` [(flows, {module: Z''(j)})] (solutions that agree). Returns the pairs and the
    estimated bound, or None when that estimate falls short of ``target``."""
    def value(pair):
        return min(sum(z[j] + sum(lam[j].get(a, 0.0) * f for a, f in flows.items()) for j in pair)
                   for flows, z in joint)

    if not joint:
        return None
    J = list(own)
    gains = sorted(((value((a, b)) - own[a] - own[b], (a, b)) for i, a in enumerate(J) for b in J[i + 1:]),
                   reverse=True)
    pairs, used, estimate = [], set(), sum(own.values())
    for gain, pair in gains:
        if gain > 0 and not used & set(pair):
            pairs.append(pair), used.update(pair)
            estimate += gain
    return (pairs, estimate) if pairs and estimate >= target else None


def agree_within(S: Sets, sub, O: frozenset, parts: list, incumbent: float, gap: float,
                 deadline: float | None, config: LagrangianOptions | None = None,
                 fixed_seconds: dict | None = None) -> Agreement:
    """Raise the bound on the configurations with set-up plants O (module docstring).
    ``parts``: the module problems at λ = 0 (Theorem 2.1 within O); ``sub``: options of the
    module problems; stops when the bound proves the best objective within ``gap``.
    ``fixed_seconds``: {module: seconds} of a recent Z''(j), to balance the processes."""
    config = config or LagrangianOptions()
    t0 = time.perf_counter()
    arcs = [a for a in S.muc if a[0] in O]
    J = len(S.modules)
    lam = {j: {a: 0.0 for a in arcs} for j in S.modules}
    centre, at_centre, upper, best, tried, cuts, polish = lam, float("-inf"), incumbent, None, [], [], []
    aggregate: list = []  # the master's aggregate flows, a configuration to decompose at (_master)
    joint, own = [], {}  # decompositions solved in full (module objectives); module bounds at the centre
    overstated = None  # the most a decomposition at first solutions overstated its full one (relative)
    out = Agreement(float("-inf"), None)
    # each module's time at λ ≠ 0 (module docstring), doubled once it has held back a null step
    caps = dict.fromkeys(S.modules, max(1.0, config.oracle_time * max(r.solve_seconds for r in parts)))
    fixed_seconds = dict(fixed_seconds or {})
    oracles = {j: PatternOracle(S, j, O, arcs) for j in S.modules} if sub.solver == "highs" else {}

    def learn(results: list) -> None:
        """The patterns of these module solutions, for :func:`refined`."""
        for r in results:
            if r.module in oracles:
                oracles[r.module].add(r.values)

    def decomposed(jobs: list, results: list) -> list:
        """Take the decompositions ``jobs`` (their Z''(j): the first results) as upper
        bounds; returns the cheapest at first solutions to solve in full if, by as much as
        first solutions overstated their full decomposition so far, it could beat the upper
        bound (always before the first such measure)."""
        nonlocal upper, best, overstated
        cheapest = None
        for k, d in enumerate(jobs):
            fixed = results[k * J:(k + 1) * J]
            out.build_seconds += sum(r.build_seconds for r in fixed)
            used = {p for p, _ in d.flows}
            if used <= O:  # Z''(j)'s solutions are module j's within O, the idle plants set up too: cuts
                idle = sum(S.plant_setup[p] for p in O - used) / J
                cuts.extend((r.module, r.objective + idle, {a: d.flows.get(a, 0.0) for a in arcs})
                            for r in fixed if r.objective is not None)
                learn(fixed)
            if not d.first:
                fixed_seconds.update((r.module, r.solve_seconds) for r in fixed)
                if all(r.objective is not None for r in fixed):
                    joint.append((d.flows, {r.module: r.objective for r in fixed}))
            res = assemble_decomposition(S, sub, d.flows, fixed, deadline)
            log.info("Lagrangian %d: decomposition at %s's configuration (%s): %s", it, d.of,
                     "first solutions" if d.first else "in full", res.objective)
            if res.solution is None:
                continue
            if d.first and (cheapest is None or res.objective < cheapest[1].objective):
                cheapest = (d, res)
            if d.estimate is not None:
                overstated = max(overstated or 0.0, (d.estimate - res.objective) / res.objective)
            if res.objective < upper or (d.estimate is not None and res.objective <= upper):  # in full at par
                upper, best = res.objective, res
                res.details["configuration_of"] = f"{d.of} (Lagrangian iteration {it})"
        if cheapest is None or (
                overstated is not None and cheapest[1].objective > upper * (1 + overstated)):
            return []
        d, res = cheapest
        return [_Decomposition(d.of, d.flows, res.starts, False, res.objective)]

    def at_first(it: int) -> bool:
        """Stop the next decompositions at their first solution (HiGHS only): always at
        λ = 0, later while first solutions overstated no full decomposition by more than
        the gap to prove."""
        return sub.solver == "highs" and (not it or (overstated is not None and overstated <= gap))

    def decompose(jobs: list) -> list:
        """:func:`decomposed` on ``jobs`` alone, in one call to the processes."""
        return decomposed(jobs, map_problems(S, _problems(S, sub, jobs, fixed_seconds), deadline, sub.workers))

    def proven() -> bool:
        return out.bound >= upper * (1 - gap)

    def record(step: str, t: float | None) -> float:
        """Log a step in ``out.iterations``; returns its gap."""
        out.iterations.append({"iteration": len(out.iterations), "step": step, "lower_bound": out.bound,
                               "upper_bound": upper, "gap": (upper - out.bound) / upper, "step_length": t,
                               "seconds": time.perf_counter() - t0})
        return out.iterations[-1]["gap"]

    def reach(master) -> float:
        """The most the cuts promise within ``pairs_reach`` × t of the centre (at least the
        step's own prediction ``master``)."""
        far = _master(cuts, arcs, centre, t * config.pairs_reach, max(upper - at_centre, 1.0))
        return master[1] if far is None else max(master[1], far[1])

    def refined(master):
        """``master`` re-solved with the cuts of the known patterns at its trial point until
        its prediction there is within ``pattern_agree`` of the patterns' value
        (:mod:`platform_sc.patterns`)."""
        if not oracles:
            return master
        t1 = time.perf_counter()
        for rounds in range(config.pattern_rounds):
            trial, predicted, _ = master
            points = {j: oracles[j].best(trial[j]) for j in S.modules}
            if any(p is None for p in points.values()):
                break
            modelled = {j: min(z + sum(trial[j][a] * f for a, f in fin.items()) for i, z, fin in cuts if i == j)
                        for j in S.modules}
            value, tiny = 0.0, 1e-3 * max(predicted - at_centre, 1.0) / J
            for j, (z, fin) in points.items():  # only cuts below the model at the trial point: no near-repeats
                priced = z + sum(trial[j].get(a, 0.0) * f for a, f in fin.items())
                if priced < modelled[j] - tiny:
                    cuts.append((j, z, {a: fin.get(a, 0.0) for a in arcs}))
                value += min(priced, modelled[j])
            if predicted - value <= config.pattern_agree * (predicted - at_centre) or out_of_time(deadline):
                break
            again = _master(cuts, arcs, centre, t, max(upper - at_centre, 1.0))
            if again is None:
                break
            master = again
        log.debug("Lagrangian: %d rounds with %s patterns, %.2f s", rounds + 1,
                  [len(o.patterns) for o in oracles.values()], time.perf_counter() - t1)
        return master

    def untried(candidates: list, starts: dict, first: bool) -> list:
        """Decompositions at the configurations (of, flows) ``candidates`` not tried yet."""
        if proven() or out_of_time(deadline):
            return []
        jobs = []
        for of, flows in candidates:
            if flows not in tried:
                tried.append(flows)
                jobs.append(_Decomposition(of, flows, starts, first))
        return jobs

    def pairing():
        return _pairs(centre, {j: b for j, (b, _) in own.items()}, joint, upper * (1 - gap))

    def paired() -> None:
        """The bound at the centre with pairs of modules solved together (module docstring)."""
        chosen = pairing()
        if chosen is None:
            log.info("Lagrangian: no pairs of modules estimated to prove the set")
            return
        pairs, estimate = chosen
        # each pair to a quarter of the estimate's margin over the bound to prove: the estimate
        # overstates the pairs (by 2.4e5 of a 7.3e5 margin on GG/24/0.5M/low/dev-medium/pb2)
        opts = _absolute(sub, (estimate - upper * (1 - gap)) / (4 * len(pairs)))
        results = map_problems(S, [Problem(p, opts, open_set=O, prices={a: sum(centre[j][a] for j in p) for a in arcs},
                                           start={k: v for j in p for k, v in (own[j][1] or {}).items() if k[0] != "fin"})
                                   for p in pairs], deadline, sub.workers)
        out.build_seconds += sum(r.build_seconds for r in results)
        if any(r.lower_bound is None for r in results):
            return
        alone = [j for j in own if not any(j in p for p in pairs)]
        value = sum(r.lower_bound for r in results) + sum(own[j][0] for j in alone)
        out.bound = max(out.bound, value)
        log.info("Lagrangian: pairs %s at the centre: bound %.6g (estimated %.6g), gap %.3g", pairs, value, estimate,
                 record("pairs", None))

    for it in range(config.max_iterations):
        if any(r.lower_bound is None or r.flows is None for r in parts):
            break
        starts = {r.module: r.values for r in parts}
        learn(parts)
        value = sum(r.lower_bound for r in parts)
        fins = {r.module: {a: r.flows.get(a, 0.0) for a in arcs} for r in parts}
        cuts += _cuts(parts, lam, fins)
        cuts += [(r.module, z, {a: f.get(a, 0.0) for a in arcs}) for r in parts for z, f in r.found or []]
        gained = 1.0 if it == 0 else (value - at_centre) / max(predicted - at_centre, 1e-9)
        step = "start" if it == 0 else "serious" if gained >= config.serious else "null"
        if step == "null":
            t *= config.null_shrink
            for r in parts:  # a time-capped bound may be what made the step null (module docstring)
                if r.status == "time_limit":
                    caps[r.module] *= 2
        else:
            if step == "serious" and gained >= 0.5:  # L gained half the prediction: go further
                t *= 2
            centre, at_centre = lam, value
            own = {r.module: (r.lower_bound, r.values) for r in parts}
        out.bound = max(out.bound, value)
        mid = {a: sum(f[a] for f in fins.values()) / len(fins) for a in arcs}
        if it == 0:  # Polyak's step toward the incumbent passed in (module docstring)
            norm = sum((f[a] - mid[a]) ** 2 for f in fins.values() for a in arcs)
            t = first = config.step * (upper - value) / max(norm, 1e-9)
        # every module's configuration while at first solutions, else the one nearest the mean;
        # and the master's aggregate, at first solutions (module docstring)
        quick = at_first(it)
        jobs = untried([(r.module, r.flows) for r in (parts if it == 0 or quick else [
            min(parts, key=lambda r: sum((fins[r.module][a] - mid[a]) ** 2 for a in arcs))])], starts, quick)
        jobs += untried(aggregate, starts, sub.solver == "highs")
        alone = [d for d in jobs if d.first or not it]  # quick, and they often prove the set (module docstring)
        if alone:
            polish, jobs = polish + decompose(alone), [d for d in jobs if d not in alone]
        jobs += [] if proven() or out_of_time(deadline) else polish
        master = None
        if not proven() and t >= first * config.min_step and not out_of_time(deadline):
            master = _master(cuts, arcs, centre, t, max(upper - at_centre, 1.0))
            master = master if master is None else refined(master)
            aggregate = [] if master is None else [("the bundle's aggregate", configuration(S, master[2]))]
            if master is not None and master[1] <= at_centre + 1e-6 * abs(at_centre):
                master = None  # the cuts admit no gain worth a step: the centre is (nearly) where L is largest
            elif master is not None and reach(master) - at_centre < config.pairs_at * (upper * (1 - gap) - at_centre) \
                    and pairing() is not None:
                master = None  # the modules alone are unlikely to prove the set soon: pairs of them (module docstring)
        problems = _problems(S, sub, jobs, fixed_seconds)
        if master is not None:
            lam, predicted, _ = master
            # within oracle_gap of the gain predicted per module, or after its cap (module docstring)
            opts = keeping_incumbents(_absolute(sub, config.oracle_gap * (predicted - at_centre) / J))
            problems += [Problem(r.module, replace(opts, time_limit=caps[r.module]), open_set=O, prices=lam[r.module],
                                 start=r.values, expected=r.solve_seconds) for r in parts]
        results = map_problems(S, problems, deadline, sub.workers)
        polish = decomposed(jobs, results)
        log.info("Lagrangian %d (%s): bound %.6g, upper bound %.6g, gap %.3g", it, step, out.bound, upper,
                 record(step, t))
        if master is None or proven():
            break
        parts = results[len(jobs) * J:]
        out.build_seconds += sum(r.build_seconds for r in parts)
    if not proven() and not out_of_time(deadline):
        polish += decompose(untried(aggregate, starts, sub.solver == "highs"))
    if polish and not proven() and not out_of_time(deadline):
        decompose(polish)
    if not proven() and not out_of_time(deadline):
        paired()
    out.best = best
    out.build_seconds += sum(o.build_seconds for o in oracles.values())
    return out
