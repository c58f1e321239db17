"""The little statistics outcome measures need: Student's t quantile and a paired-change
confidence interval from sums the database computes.

The t distribution function is written through the regularised incomplete beta function,
evaluated by its continued fraction (modified Lentz; Numerical Recipes §6.4); the quantile
is found by bisection to machine precision. No scipy needed.
"""

import math
from dataclasses import dataclass
from fractions import Fraction


def _betacf(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            break
    return h


def regularised_incomplete_beta(a: float, b: float, x: float) -> float:
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with `df` degrees of freedom."""
    if df <= 0:
        raise ValueError("Degrees of freedom must be positive.")
    tail = 0.5 * regularised_incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The t such that P(T <= t) = p (e.g. t_quantile(0.975, 9) = 2.262157...)."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must be between 0 and 1.")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if p == 0.5:
        return 0.0
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        low, high = high, high * 2.0
    for _ in range(200):
        mid = (low + high) / 2.0
        if mid in (low, high):
            break
        if t_cdf(mid, df) < p:
            low = mid
        else:
            high = mid
    return (low + high) / 2.0


@dataclass(frozen=True)
class MeanInterval:
    n: int
    mean: float
    sd: float | None
    low: float | None
    high: float | None


def paired_change_interval(*, n: int, total: int, total_squares: int, level: float = 0.95):
    """Mean change with its paired-t confidence interval, from n, Σd and Σd² (exact integer
    sums from the database). None for no participants; no interval for one participant."""
    if n <= 0:
        return None
    mean = Fraction(total, n)
    if n == 1:
        return MeanInterval(n=1, mean=float(mean), sd=None, low=None, high=None)
    variance = (Fraction(total_squares) - n * mean * mean) / (n - 1)
    sd = math.sqrt(max(float(variance), 0.0))
    half = t_quantile(1.0 - (1.0 - level) / 2.0, n - 1) * sd / math.sqrt(n)
    return MeanInterval(
        n=n, mean=float(mean), sd=sd, low=float(mean) - half, high=float(mean) + half
    )
