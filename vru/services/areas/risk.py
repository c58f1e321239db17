"""The risk index: a pure function of its stored inputs, no database.

**Method ("weighted z-score", version 1).** For each factor, the LSOAs' values are
standardised across the partnership: z = (value - mean) / standard deviation (population
SD; a factor with no spread contributes 0). A missing value counts as the mean (z = 0), so
a gap neither raises nor lowers an LSOA. Higher values always mean more risk (IMD domain
scores and crime rates both grow with need). The score is the sum of weight x z over the
factors. LSOAs are ranked by score, highest first, ties broken by LSOA code so a run is
reproducible to the rank. Percentile = share of other LSOAs with a lower score x 100.
The top `top_percent` per cent, rounded down but at least one, are the **priority** LSOAs
(Essex: 5% of 1,111 gives 55; the Essex SNA's 54 came from its own GIS rounding).
"""

import bisect
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

METHOD = {
    "name": "weighted z-score",
    "version": 1,
    "missing": "mean (z = 0)",
    "ties": "LSOA code",
    "priority": "floor(n x top_percent / 100), at least 1",
}


@dataclass(frozen=True)
class ScoredArea:
    code: str
    inputs: dict
    score: float
    rank: int
    percentile: float
    is_priority: bool


def priority_count(n: int, top_percent: Decimal | float) -> int:
    if n == 0:
        return 0
    return max(1, math.floor(n * Decimal(str(top_percent)) / 100))


def _z_scores(values: list[float | None]) -> list[float]:
    present = [v for v in values if v is not None]
    if not present:
        return [0.0] * len(values)
    mean = math.fsum(present) / len(present)
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in present) / len(present))
    if sd == 0:
        return [0.0] * len(values)
    return [0.0 if v is None else (v - mean) / sd for v in values]


def compute_index(
    inputs: Mapping[str, Mapping[str, float | None]],
    weights: Mapping[str, float | Decimal | str],
    *,
    top_percent: Decimal | float = Decimal(5),
) -> list[ScoredArea]:
    """Score and rank. `inputs` maps LSOA code -> {factor key: value or None}."""
    codes = sorted(inputs)
    keys = sorted(weights)
    columns = {key: [inputs[code].get(key) for code in codes] for key in keys}
    weighted_z = [[float(weights[key]) * z for z in _z_scores(columns[key])] for key in keys]
    # Sum across factors per LSOA (fsum: exact, so the order of factors never matters), then
    # round away floating noise so equal inputs give equal scores on every machine.
    scores = (
        [round(math.fsum(parts), 9) for parts in zip(*weighted_z, strict=True)]
        if keys
        else [0.0] * len(codes)
    )
    order = sorted(range(len(codes)), key=lambda i: (-scores[i], codes[i]))
    n = len(codes)
    cutoff = priority_count(n, top_percent)
    sorted_scores = sorted(scores)
    result = []
    for position, i in enumerate(order, start=1):
        lower = _count_below(sorted_scores, scores[i])
        result.append(
            ScoredArea(
                code=codes[i],
                inputs={key: columns[key][i] for key in keys},
                score=scores[i],
                rank=position,
                percentile=round(lower * 100 / (n - 1), 2) if n > 1 else 100.0,
                is_priority=position <= cutoff,
            )
        )
    return result


def _count_below(sorted_scores: list[float], value: float) -> int:
    return bisect.bisect_left(sorted_scores, value)
