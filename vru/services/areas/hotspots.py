"""The hotspot rule: pure statistics on counts, no database.

**Rule.** For one crime factor and one year, each LSOA's observed count `k` is compared with
its expected count `expected = (partnership's total count / partnership's population) x the
LSOA's population`, i.e. what the LSOA would have if crime were spread evenly per resident.
Under that null hypothesis the count is Poisson(expected). The LSOA is a **hotspot** when the
one-sided p-value P(X >= k | expected) is below `alpha` (default 0.01) and `k > expected`.
An LSOA without a population has no expected count and is never a hotspot.

**Persistence** is the number of years, among the last N ending with the year in question
(default 5, as the Essex index counts domestic-abuse hotspot years), in which the LSOA was a
hotspot. A hotspot is **new** when the LSOA was not a hotspot in the year before.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

DEFAULT_ALPHA = 0.01
DEFAULT_PERSISTENCE_YEARS = 5


def poisson_upper_tail(k: float, mean: float) -> float:
    """P(X >= k) for X ~ Poisson(mean), summed in log space so tiny p-values stay exact."""
    k = math.ceil(k)
    if k <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    log_mean = math.log(mean)

    def log_pmf(i: int) -> float:
        return i * log_mean - mean - math.lgamma(i + 1)

    if k <= mean:
        # The lower tail is the small side: 1 - P(X <= k - 1).
        lower = sum(math.exp(log_pmf(i)) for i in range(k))
        return max(0.0, 1.0 - lower)
    total = 0.0
    i = k
    while True:
        term = math.exp(log_pmf(i))
        total += term
        if term < total * 1e-16 or i > k + 10_000:
            break
        i += 1
    return min(1.0, total)


@dataclass(frozen=True)
class HotspotTest:
    code: str
    observed: float
    expected: float
    p_value: float
    is_hotspot: bool


def hotspot_tests(
    counts: Mapping[str, float], populations: Mapping[str, int | None], *, alpha: float
) -> list[HotspotTest]:
    """Test every LSOA in `populations` (count 0 where missing from `counts`)."""
    known = {code: pop for code, pop in populations.items() if pop}
    total_population = sum(known.values())
    total_count = sum(counts.get(code, 0) for code in known)
    rate = total_count / total_population if total_population else 0.0
    results = []
    for code in sorted(populations):
        observed = counts.get(code, 0)
        population = populations[code]
        if not population:
            results.append(HotspotTest(code, observed, 0.0, 1.0, is_hotspot=False))
            continue
        expected = rate * population
        p_value = poisson_upper_tail(observed, expected)
        results.append(
            HotspotTest(
                code,
                observed,
                expected,
                p_value,
                is_hotspot=observed > expected and p_value < alpha,
            )
        )
    return results


def persistence(
    hotspot_years: Iterable[int], *, year: int, years: int = DEFAULT_PERSISTENCE_YEARS
) -> int:
    """In how many of the `years` years ending with `year` the LSOA was a hotspot."""
    return len({y for y in hotspot_years if year - years < y <= year})


def is_new_hotspot(hotspot_years: Iterable[int], *, year: int) -> bool:
    found = set(hotspot_years)
    return year in found and (year - 1) not in found
