"""The risk index: a pure function of its stored inputs; weights change the ranking as they
should; a stored run reproduces exactly; comparing runs; one current run."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import AreaIndicatorFactory, FactorFactory, LSOAFactory, make_risk_run
from vru import selectors, services
from vru.models import RiskRun, RiskScore, Role
from vru.services.areas import risk

pytestmark = pytest.mark.django_db

INPUTS = {
    "E01000001": {"crime": 10.0, "deprivation": 0.1},
    "E01000002": {"crime": 1.0, "deprivation": 0.9},
    "E01000003": {"crime": 5.0, "deprivation": 0.5},
    "E01000004": {"crime": 2.0, "deprivation": 0.2},
}


def ranking(scored):
    return [s.code for s in scored]


def test_computing_twice_gives_identical_scores_and_ranks():
    first = risk.compute_index(INPUTS, {"crime": 1, "deprivation": 1})
    second = risk.compute_index(dict(reversed(INPUTS.items())), {"deprivation": 1, "crime": 1})

    assert first == second


def test_weights_change_the_ranking_as_expected():
    crime_led = risk.compute_index(INPUTS, {"crime": 1, "deprivation": 0})
    deprivation_led = risk.compute_index(INPUTS, {"crime": 0, "deprivation": 1})

    assert ranking(crime_led)[0] == "E01000001"
    assert ranking(deprivation_led)[0] == "E01000002"


def test_doubling_a_weight_moves_areas_high_on_that_factor_up():
    equal = risk.compute_index(INPUTS, {"crime": 1, "deprivation": 1})
    crime_heavy = risk.compute_index(INPUTS, {"crime": 3, "deprivation": 1})
    rank = {s.code: s.rank for s in equal}
    heavy_rank = {s.code: s.rank for s in crime_heavy}

    assert heavy_rank["E01000001"] <= rank["E01000001"]
    assert heavy_rank["E01000002"] >= rank["E01000002"]


def test_a_missing_value_counts_as_the_mean():
    inputs = {"A": {"x": 1.0}, "B": {"x": 3.0}, "C": {"x": None}}

    scored = {s.code: s for s in risk.compute_index(inputs, {"x": 1})}

    assert scored["C"].score == 0
    assert scored["A"].score == -scored["B"].score


def test_ties_are_broken_by_lsoa_code_and_priority_is_the_top_share():
    inputs = {f"E01{n:06d}": {"x": 1.0} for n in range(40, 0, -1)}

    scored = risk.compute_index(inputs, {"x": 1}, top_percent=Decimal(5))

    assert ranking(scored) == sorted(inputs)
    assert [s.is_priority for s in scored].count(True) == 2  # 5% of 40


def test_the_essex_priority_count_is_five_percent_rounded_down():
    assert risk.priority_count(1111, Decimal(5)) == 55
    assert risk.priority_count(10, Decimal(5)) == 1  # never none
    assert risk.priority_count(0, Decimal(5)) == 0


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(
        st.from_regex(r"E01\d{6}", fullmatch=True),
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
        min_size=1,
        max_size=30,
    )
)
def test_ranks_are_a_permutation_and_percentiles_stay_in_range(values):
    scored = risk.compute_index({k: {"x": v} for k, v in values.items()}, {"x": 1})

    assert sorted(s.rank for s in scored) == list(range(1, len(values) + 1))
    assert all(0 <= s.percentile <= 100 for s in scored)
    assert [s.score for s in scored] == sorted((s.score for s in scored), reverse=True)


def test_a_stored_run_reproduces_its_ranks_exactly(partnership):
    values = {f"E01{n:06d}": float((n * 37) % 11) for n in range(1, 41)}
    run = make_risk_run(partnership, values=values)

    reproduced = services.risk_run_reproduce(run=run)
    stored = list(
        RiskScore.objects.filter(run=run)
        .order_by("rank")
        .values_list("lsoa__code", "rank", "score", "is_priority")
    )

    assert [(s.code, s.rank, s.score, s.is_priority) for s in reproduced] == stored


def test_a_run_records_its_inputs_method_weights_and_author(partnership, user_with_role):
    analyst = user_with_role(Role.ANALYST)
    factor = FactorFactory(partnership=partnership, key="need", is_proxy=True)
    lsoa = LSOAFactory(partnership=partnership)
    AreaIndicatorFactory(lsoa=lsoa, factor=factor, value=4.0)

    run = services.risk_run_create(
        actor=analyst,
        partnership=partnership,
        weights={"need": "2.5"},
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    run = services.risk_run_compute(run_id=run.pk)

    assert run.status == RiskRun.Status.DONE
    assert run.created_by == analyst
    assert run.weights == {"need": "2.5"}
    assert run.method["name"] == "weighted z-score"
    assert run.factors[0]["is_proxy"] is True
    assert run.scores.get().inputs == {"need": 4.0}


def test_computing_a_finished_run_again_changes_nothing(partnership):
    run = make_risk_run(partnership)
    before = list(RiskScore.objects.filter(run=run).values_list("pk", "rank"))

    services.risk_run_compute(run_id=run.pk)

    assert list(RiskScore.objects.filter(run=run).values_list("pk", "rank")) == before


def test_starting_a_run_schedules_its_computation_on_commit(
    partnership, user_with_role, django_capture_on_commit_callbacks
):
    FactorFactory(partnership=partnership, key="need")
    LSOAFactory(partnership=partnership)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = services.risk_run_create(
            actor=user_with_role(Role.ANALYST),
            partnership=partnership,
            weights={"need": 1},
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
        )

    assert len(callbacks) == 1
    run.refresh_from_db()
    assert run.status == RiskRun.Status.DONE
    assert run.progress == 100


@pytest.mark.parametrize(
    "role", [r for r in Role if r not in {Role.ANALYST, Role.ADMINISTRATOR}], ids=str
)
def test_only_analysts_and_administrators_run_the_index(partnership, user_with_role, role):
    FactorFactory(partnership=partnership, key="need")

    with pytest.raises(PermissionDenied):
        services.risk_run_create(
            actor=user_with_role(role),
            partnership=partnership,
            weights={"need": 1},
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
        )


def test_a_run_needs_a_positive_weight_on_a_known_factor(partnership):
    FactorFactory(partnership=partnership, key="need")
    period = {"period_start": datetime.date(2025, 1, 1), "period_end": datetime.date(2025, 12, 31)}

    with pytest.raises(ValidationError):
        services.risk_run_create(actor=None, partnership=partnership, weights={"need": 0}, **period)
    with pytest.raises(ValidationError):
        services.risk_run_create(actor=None, partnership=partnership, weights={"nope": 1}, **period)


def test_one_run_is_current_and_defines_the_priority_lsoas(partnership, other_partnership):
    values = {f"E01{n:06d}": float(n) for n in range(1, 21)}
    first = make_risk_run(partnership, values=values)
    services.risk_run_make_current(actor=None, run=first)
    assert selectors.priority_lsoa_codes(partnership) == {"E01000020"}

    second = services.risk_run_compute(
        run_id=services.risk_run_create(
            actor=None,
            partnership=partnership,
            weights={"need": 1},
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
            top_percent=Decimal(10),
        ).pk
    )
    services.risk_run_make_current(actor=None, run=second)

    first.refresh_from_db()
    assert not first.is_current
    assert selectors.priority_lsoa_codes(partnership) == {"E01000020", "E01000019"}
    assert selectors.priority_lsoa_codes(other_partnership) == set()


def test_comparing_runs_lists_lsoas_that_entered_and_left_the_priority_set(
    partnership, user_with_role
):
    viewer = user_with_role(Role.COMMISSIONER)
    values = {f"E01{n:06d}": float(n) for n in range(1, 21)}
    before = make_risk_run(partnership, values=values)
    # Reverse the need: the lowest LSOA becomes the highest.
    for indicator in before.partnership.factors.get(key="need").indicators.all():
        indicator.value = -indicator.value
        indicator.save(update_fields=["value"])
    after = services.risk_run_compute(
        run_id=services.risk_run_create(
            actor=None,
            partnership=partnership,
            weights={"need": 1},
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
        ).pk
    )

    comparison = selectors.risk_run_compare(viewer=viewer, run=after, other=before)

    assert [s.lsoa.code for s in comparison.entered] == ["E01000001"]
    assert [s.lsoa.code for s in comparison.left] == ["E01000020"]
    assert comparison.stayed == 0


def test_an_analyst_cannot_write_to_another_partnership(
    partnership, other_partnership, user_with_role
):
    stranger = user_with_role(Role.ANALYST)  # in `partnership`
    run = make_risk_run(other_partnership)  # makes the factor "need" there

    with pytest.raises(PermissionDenied):
        services.risk_run_create(
            actor=stranger,
            partnership=other_partnership,
            weights={"need": 1},
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
        )
    with pytest.raises(PermissionDenied):
        services.risk_run_make_current(actor=stranger, run=run)
    with pytest.raises(PermissionDenied):
        services.crime_file_import(
            actor=stranger, partnership=other_partnership, file_name="f.csv", content=b""
        )
