"""Moderation arithmetic: pure functions over numbers, hand-checked in tests.

Weighted score: a reviewer's score for an application is the weighted mean of their 1-5
criterion scores, sum(weight x score) / sum(weight), so it stays on the 1-5 scale.

Spread and disagreement: the spread is the highest minus the lowest reviewer's weighted
score. Reviewers **disagree** when the spread is at least DISAGREEMENT_THRESHOLD = 1.5
points: more than a third of the 4-point range, e.g. one reviewer says "good" (4) where
another says "weak" (2.5 or below). Flagged applications are discussed by the panel.

Agreement for the round: Krippendorff's alpha with the interval metric, over the reviewers'
weighted scores (units = applications, coders = reviewers; units with fewer than two scores
are left out). With n pairable values, m_u values in unit u:
    D_o = (1/n) * sum_u [ sum over ordered pairs i != j in u of (v_i - v_j)^2 / (m_u - 1) ]
    D_e = sum over ordered pairs c != k of all pairable values of (v_c - v_k)^2 / (n(n-1))
    alpha = 1 - D_o / D_e
alpha is 1 for perfect agreement and 0 for agreement no better than chance; Krippendorff
suggests relying on alpha >= 0.8 and drawing tentative conclusions from 0.667. It is
undefined (None) with no pairable values or when every value is the same.

Normalised scores (optional): each reviewer's weighted scores are turned into z-scores
against that reviewer's own mean and standard deviation across the round, so a generous
and a strict reviewer count alike; a reviewer with one score or no variation gets 0.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

DISAGREEMENT_THRESHOLD = 1.5


def weighted_score(scores: Mapping[int, int], weights: Mapping[int, Decimal | float]) -> float:
    """Weighted mean of criterion scores (criterion id -> score), over the given weights."""
    total_weight = sum(float(weights[c]) for c in scores)
    if not total_weight:
        raise ValueError("No weighted criteria scored.")
    return sum(float(weights[c]) * s for c, s in scores.items()) / total_weight


def spread(values: Sequence[float]) -> float:
    return max(values) - min(values) if values else 0.0


def disagree(values: Sequence[float], threshold: float = DISAGREEMENT_THRESHOLD) -> bool:
    return len(values) >= 2 and spread(values) >= threshold - 1e-9


def krippendorff_alpha_interval(units: Iterable[Sequence[float]]) -> float | None:
    pairable = [list(u) for u in units if len(u) >= 2]
    values = [v for u in pairable for v in u]
    n = len(values)
    if n < 2:
        return None
    observed = (
        sum(
            sum((a - b) ** 2 for i, a in enumerate(u) for j, b in enumerate(u) if i != j)
            / (len(u) - 1)
            for u in pairable
        )
        / n
    )
    # sum over ordered pairs of (a - b)^2 = 2 * (n * sum(v^2) - (sum v)^2)
    total = sum(values)
    expected = 2 * (n * sum(v * v for v in values) - total * total) / (n * (n - 1))
    if expected <= 1e-12:
        return None
    return 1 - observed / expected


def normalise(by_reviewer: Mapping[int, Mapping[int, float]]) -> dict[int, dict[int, float]]:
    """reviewer -> {application -> score} to reviewer -> {application -> z-score}."""
    result: dict[int, dict[int, float]] = {}
    for reviewer, scores in by_reviewer.items():
        values = list(scores.values())
        mean = sum(values) / len(values) if values else 0.0
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) if values else 0.0
        result[reviewer] = {
            app: ((v - mean) / sd if sd > 1e-12 else 0.0) for app, v in scores.items()
        }
    return result


def rank_against_budget(
    rows: Sequence[tuple[int, float | None, Decimal]], budget: Decimal
) -> list[tuple[int, int, Decimal, bool]]:
    """(application, score, amount) -> (application, rank, running total, within budget),
    highest score first; unscored applications come last. An application is within budget
    when the running total of the amounts up to and including it fits the budget."""
    ordered = sorted(rows, key=lambda r: (r[1] is None, -(r[1] or 0.0), r[0]))
    out = []
    running = Decimal("0")
    for rank, (app, _score, amount) in enumerate(ordered, start=1):
        running += amount or Decimal("0")
        out.append((app, rank, running, running <= budget))
    return out
