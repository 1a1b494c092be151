r"""Order level for deteriorating items with power demand (Datta & Pal 1988), deterministic case.

Cycle T, instant replenishment, shortages fully backlogged; cumulative demand
D(t) = d (t/T)^{1/n}; on-hand stock deteriorates at rate θ(t) = θ0 t. Stock I(t) on [0, t1]
solves I' + θ0 t I = −D'(t), I(t1) = 0, i.e. I(t) = ∫_t^{t1} D'(u) e^{θ0(u²−t²)/2} du.
To first order in θ0 (the paper's model), with a = d / T^{1/n}:

    S   = I(0)          = a t1^{1/n} + θ0 a t1^{(1+2n)/n} / (2(2n+1))
    Det = S − D(t1)     = θ0 a t1^{(1+2n)/n} / (2(2n+1))
    Q   = S + (d − D(t1)) = d + Det
    C(t1) = [C3 Det + C1 ∫_0^{t1} I + C2 ∫_{t1}^T (D − D(t1))] / T        (eq. 3.7)

**Cubic versus cost function (checked).** The three C1 θ0 terms of the published eq. 3.7,
θ0 C1 d t1^{(1+3n)/n} / T^{(1+n)/n} · [1/(2(2n+1)) − 1/6 + n²/((2n+1)(3n+1))], collapse to
θ0 C1 d t1^{(1+3n)/n} / (3(3n+1) T^{(1+n)/n}) – the same as integrating the first-order I(t)
directly, so eq. 3.7 is right. Its derivative is

    dC/dt1 = t1^{(1−n)/n} / T^{(1+n)/n} · [ C1θ0d/(3n) t1³ + C3θ0d/(2n) t1² + (d/n)(C1+C2) t1 − C2 d T/n ]

so the published cubic L t1³ + M t1² + N t1 + P (L = C1θ0d/(3n), M = C3θ0d/(2n),
N = (d/n)(C1+C2), P = −C2dT/n) is exactly dC/dt1 = 0 with the positive factor removed: no
disagreement; the cubic root and a direct minimisation of eq. 3.7 agree to solver precision
(~1e-9 relative, see tests). Two remarks on the text around it: (i) "exactly one positive
root" holds for every θ0 ≥ 0 (one sign change, Descartes), and the root lies in (0, T)
because the cubic is negative at 0 and equals LT³+MT²+C1dT/n > 0 at T; (ii) "the other two
roots are complex since LN − M² > 0" – the condition needed is M² < 3LN (then the cubic is
monotone); LN > M² is sufficient, not necessary, and fails for large θ0·C3²/C1² without
harming the result. The first-order model itself differs from the exact one
(:func:`exact_average_cost`, no truncation in θ0) by O(θ0²) in cost and in the optimal t1.
"""
from __future__ import annotations

import logging
import math
from dataclasses import asdict, dataclass

import numpy as np

log = logging.getLogger(__name__)

_INV_PHI = (math.sqrt(5) - 1) / 2


@dataclass(frozen=True)
class OrderLevelResult:
    t1: float                 # time at which stock runs out
    S: float                  # initial stock (order level)
    Q: float                  # order quantity per cycle
    deteriorated: float       # units lost per cycle
    average_cost: float       # C(t1*) per unit time, eq. 3.7
    t1_numeric: float         # golden-section minimiser of eq. 3.7 (the check)
    cubic: tuple[float, float, float, float]   # L, M, N, P

    def as_dict(self) -> dict:
        return asdict(self)


def _check(d, T, n, theta0, c1, c2, c3) -> None:
    if not (d > 0 and T > 0 and n > 0):
        raise ValueError(f"need d > 0, T > 0, n > 0 (got d={d}, T={T}, n={n})")
    if min(theta0, c1, c2, c3) < 0:
        raise ValueError("θ0, C1, C2 and C3 must be non-negative")
    if c1 + c2 <= 0:
        raise ValueError("C1 + C2 must be positive")


def average_cost(t1: float, d: float, T: float, n: float, theta0: float, c1: float, c2: float, c3: float) -> float:
    """Average cost per unit time C(t1), Datta & Pal eq. 3.7 term by term as published."""
    Tn1 = T ** ((1 + n) / n)
    return (c3 * theta0 * d * t1 ** ((1 + 2 * n) / n) / (2 * (2 * n + 1) * Tn1)
            + c1 * d * t1 ** ((1 + n) / n) / Tn1
            + c1 * theta0 * d * t1 ** ((1 + 3 * n) / n) / (2 * (2 * n + 1) * Tn1)
            - c1 * theta0 * d * t1 ** ((1 + 3 * n) / n) / (6 * Tn1)
            - c1 * n * d * t1 ** ((1 + n) / n) / ((n + 1) * Tn1)
            + c1 * n ** 2 * theta0 * d * t1 ** ((1 + 3 * n) / n) / ((2 * n + 1) * (3 * n + 1) * Tn1)
            + c2 * n * d / (n + 1)
            - c2 * d * t1 ** (1 / n) / T ** (1 / n)
            + c2 * d * t1 ** ((1 + n) / n) / ((n + 1) * Tn1))


def _series(coef, power, top: float) -> float:
    """sum_k coef(k) * top^(power(k)+1) / (power(k)+1), summed until the terms vanish."""
    total, k = 0.0, 0
    while k < 1000:
        p = power(k)
        term = coef(k) * top ** (p + 1) / (p + 1)
        total += term
        if k > 2 and abs(term) <= 1e-17 * abs(total):
            break
        k += 1
    return total


def exact_average_cost(t1: float, d: float, T: float, n: float, theta0: float, c1: float, c2: float,
                       c3: float) -> float:
    """C(t1) without the first-order truncation (I(t) with e^{θ0(u²−t²)/2}), by exact series.

    With a = d/T^{1/n} and v = u^{1/n} (so dD = a dv):
    S = a ∫_0^{t1^{1/n}} e^{θ0 v^{2n}/2} dv = a Σ_k (θ0/2)^k/k! · t1^{(2nk+1)/n}/(2nk+1), and
    ∫_0^{t1} I = ∫_0^{t1} g(u) dD(u) with g(u) = e^{θ0u²/2} ∫_0^u e^{−θ0t²/2} dt
    = Σ_k θ0^k u^{2k+1}/(1·3···(2k+1)) (g' = 1 + θ0 u g), integrated term by term.
    """
    a = d / T ** (1 / n)
    top = t1 ** (1 / n)
    stock = a * _series(lambda k: (theta0 / 2) ** k / math.factorial(k), lambda k: 2 * n * k, top)
    holding = a * _series(lambda k: theta0 ** k / math.prod(range(1, 2 * k + 2, 2)), lambda k: n * (2 * k + 1), top)
    det = stock - a * top
    shortage = a * (n * T ** ((n + 1) / n) / (n + 1) + t1 ** ((1 + n) / n) / (n + 1) - top * T)
    return (c1 * holding + c2 * shortage + c3 * det) / T


def golden_section(f, lo: float, hi: float, tol: float = 1e-12, max_iter: int = 500) -> float:
    """Minimiser of a unimodal f on [lo, hi] by golden-section search."""
    a, b = lo, hi
    x1, x2 = b - _INV_PHI * (b - a), a + _INV_PHI * (b - a)
    f1, f2 = f(x1), f(x2)
    for _ in range(max_iter):
        if b - a <= tol * max(1.0, abs(a) + abs(b)):
            break
        if f1 <= f2:
            b, x2, f2 = x2, x1, f1
            x1 = b - _INV_PHI * (b - a)
            f1 = f(x1)
        else:
            a, x1, f1 = x1, x2, f2
            x2 = a + _INV_PHI * (b - a)
            f2 = f(x2)
    return (a + b) / 2


def cubic_coefficients(d, T, n, theta0, c1, c2, c3) -> tuple[float, float, float, float]:
    """(L, M, N, P) of L t1³ + M t1² + N t1 + P = 0."""
    return (c1 * theta0 * d / (3 * n), c3 * theta0 * d / (2 * n), d / n * (c1 + c2), -c2 * d * T / n)


def optimal_t1(d, T, n, theta0, c1, c2, c3) -> float:
    """The positive real root of the cubic (C2·T/(C1+C2) when θ0 = 0; 0 when C2 = 0, where
    the cubic's only non-negative root is 0: shortages cost nothing, so none is held)."""
    L, M, N, P = cubic_coefficients(d, T, n, theta0, c1, c2, c3)
    if (L == 0 and M == 0) or P == 0:
        return -P / N
    roots = np.roots([L, M, N, P])
    real = [r.real for r in roots if abs(r.imag) <= 1e-9 * max(1.0, abs(r)) and r.real > 0]
    if len(real) != 1:
        raise ArithmeticError(f"expected one positive real root, got {roots}")
    t1 = real[0]
    # one Newton step polishes numpy's eigenvalue root
    f, df = ((L * t1 + M) * t1 + N) * t1 + P, (3 * L * t1 + 2 * M) * t1 + N
    return t1 - f / df


def order_level(d: float, T: float, n: float, theta0: float, c1: float, c2: float, c3: float) -> OrderLevelResult:
    """t1*, S*, Q*, deteriorated units and average cost of the deterministic Datta–Pal model.

    Raises OverflowError when the inputs put the model out of floating-point range (powers
    such as T^{1/n} with a small n over- or underflow, or the cubic's coefficients do)."""
    _check(d, T, n, theta0, c1, c2, c3)
    try:
        with np.errstate(all="ignore"):  # out-of-range values are checked below
            result = _order_level(d, T, n, theta0, c1, c2, c3)
    except (ArithmeticError, np.linalg.LinAlgError):  # overflow, division by an underflowed 0, lost roots
        result = None
    if result is None or not all(map(math.isfinite, (result.t1, result.S, result.Q, result.average_cost))):
        raise OverflowError(f"d={d:g}, T={T:g}, n={n:g}, θ0={theta0:g}, C1={c1:g}, C2={c2:g}, C3={c3:g} put the "
                            "model out of floating-point range: use units that give numbers nearer 1, or a larger n")
    return result


def _order_level(d, T, n, theta0, c1, c2, c3) -> OrderLevelResult | None:
    """:func:`order_level` without the checks; None when the cubic is out of range."""
    if not all(map(math.isfinite, cubic_coefficients(d, T, n, theta0, c1, c2, c3))):
        return None
    t1 = optimal_t1(d, T, n, theta0, c1, c2, c3)
    det = theta0 * d * t1 ** ((1 + 2 * n) / n) / (2 * (2 * n + 1) * T ** (1 / n))
    S = d * t1 ** (1 / n) / T ** (1 / n) + det
    cost = lambda x: average_cost(x, d, T, n, theta0, c1, c2, c3)  # noqa: E731
    t1_num = golden_section(cost, 0.0, T)
    if abs(t1_num - t1) > 1e-6 * T:
        log.warning("cubic root t1=%.10g and numerical minimiser %.10g of C(t1) differ", t1, t1_num)
    return OrderLevelResult(t1=t1, S=S, Q=d + det, deteriorated=det, average_cost=cost(t1), t1_numeric=t1_num,
                            cubic=cubic_coefficients(d, T, n, theta0, c1, c2, c3))


def exact_optimal_t1(d, T, n, theta0, c1, c2, c3) -> float:
    """Minimiser of :func:`exact_average_cost` (the untruncated model) by golden section."""
    return golden_section(lambda x: exact_average_cost(x, d, T, n, theta0, c1, c2, c3), 0.0, T, tol=1e-10)
