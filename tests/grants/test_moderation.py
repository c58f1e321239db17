"""Moderation arithmetic against hand-computed cases (see grants/selectors/moderation.py)."""

from decimal import Decimal

import pytest

from grants.selectors import moderation


def test_weighted_score_is_the_weighted_mean_on_the_one_to_five_scale():
    # criterion 1 weight 2 scored 4, criterion 2 weight 1 scored 1: (8 + 1) / 3 = 3
    assert moderation.weighted_score({1: 4, 2: 1}, {1: Decimal("2"), 2: Decimal("1")}) == 3.0
    # weights 3 and 1, scores 5 and 3: (15 + 3) / 4 = 4.5
    assert moderation.weighted_score({1: 5, 2: 3}, {1: 3, 2: 1}) == 4.5


def test_spread_and_the_disagreement_flag_at_the_documented_threshold():
    assert moderation.DISAGREEMENT_THRESHOLD == 1.5
    assert moderation.spread([2.0, 3.5, 3.0]) == 1.5
    assert moderation.disagree([2.0, 3.5, 3.0])  # exactly 1.5: flagged
    assert not moderation.disagree([2.0, 3.4])  # 1.4: not flagged
    assert not moderation.disagree([1.0])  # one reviewer cannot disagree


def test_krippendorff_alpha_interval_by_hand():
    # Units (1, 2) and (4, 5). D_o: each unit has ordered-pair squares 1 + 1 = 2, divided
    # by (m - 1) = 1 -> 2 + 2 = 4, over n = 4 values -> 1.
    # D_e: unordered pairs of 1, 2, 4, 5: 1 + 9 + 16 + 4 + 9 + 1 = 40, ordered 80, over
    # n(n - 1) = 12 -> 20/3. alpha = 1 - 1 / (20/3) = 1 - 3/20 = 0.85.
    assert moderation.krippendorff_alpha_interval([[1, 2], [4, 5]]) == pytest.approx(0.85)


def test_krippendorff_alpha_with_three_reviewers_and_a_missing_score():
    # Units (1, 1, 2), (3, 3, 3), (5, 4) and (2,) which is not pairable.
    # D_o: unit 1 ordered squares: pairs (1,2) twice each way = 4 * 1 = 4, / (3-1) = 2;
    # unit 2: 0; unit 3: 2 * 1 = 2, / 1 = 2. Sum 4, n = 8 values -> D_o = 0.5.
    # Values 1,1,2,3,3,3,5,4: sum 22, sum of squares 1+1+4+9+9+9+25+16 = 74;
    # ordered-pair squares = 2 * (8 * 74 - 22^2) = 2 * 108 = 216; / (8 * 7) = 216/56.
    # alpha = 1 - 0.5 / (216/56) = 1 - 28/216 = 0.87037...
    alpha = moderation.krippendorff_alpha_interval([[1, 1, 2], [3, 3, 3], [5, 4], [2]])
    assert alpha == pytest.approx(1 - 28 / 216)


def test_krippendorff_alpha_is_one_for_perfect_agreement_and_undefined_without_variation():
    assert moderation.krippendorff_alpha_interval([[1, 1], [4, 4]]) == pytest.approx(1.0)
    assert moderation.krippendorff_alpha_interval([[3, 3], [3, 3]]) is None
    assert moderation.krippendorff_alpha_interval([[3]]) is None


def test_normalised_scores_are_z_scores_per_reviewer():
    # Reviewer 1 scores 2 and 4 (mean 3, sd 1): z = -1, +1. Reviewer 2 scores all 3: z = 0.
    z = moderation.normalise({1: {10: 2.0, 11: 4.0}, 2: {10: 3.0, 11: 3.0}})
    assert z == {1: {10: -1.0, 11: 1.0}, 2: {10: 0.0, 11: 0.0}}


def test_ranking_against_the_budget_runs_a_total_down_the_list():
    rows = [
        (1, 3.0, Decimal("4000")),
        (2, 4.5, Decimal("5000")),
        (3, None, Decimal("1000")),
        (4, 4.0, Decimal("2000")),
    ]
    ranked = moderation.rank_against_budget(rows, Decimal("8000"))
    assert ranked == [
        (2, 1, Decimal("5000"), True),
        (4, 2, Decimal("7000"), True),
        (1, 3, Decimal("11000"), False),
        (3, 4, Decimal("12000"), False),
    ]
