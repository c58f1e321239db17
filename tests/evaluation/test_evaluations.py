"""Evaluations (services and the findings the impact report reads) and cost and benefit:
the benefit-cost ratio on hand-made numbers, with the published Essex figure beside it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from evaluation import selectors, services
from evaluation.models import Evaluation, UnitCost
from tests.evaluation.factories import EvaluationFactory, award_for, past_referral, unit_cost
from tests.factories import ProgrammeFactory, programme_staff
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


# --- Reference data ---------------------------------------------------------------------


def test_home_office_unit_costs_are_stored_with_source_and_price_year():
    # Heeks et al. (2018), Research Report 99, 2015/16 prices
    expected = {
        "Homicide": Decimal("3217740"),
        "Violence with injury": Decimal("14050"),
        "Violence without injury": Decimal("5930"),
        "Robbery (personal)": Decimal("11320"),
    }
    unit_cost("Homicide")  # seeded by the migration (ensured after a flush)
    stored = UnitCost.objects.filter(partnership=None)

    assert {u.offence: u.amount for u in stored} == expected
    assert {u.price_year for u in stored} == {"2015/16"}
    assert all("Research Report 99" in u.source for u in stored)


# --- Services ---------------------------------------------------------------------------


def _fields(**overrides):
    return {
        "title": "ReRoute evaluation",
        "kind": "independent",
        "method": "comparison",
        "evaluator": "University of Essex",
        "starts_on": datetime.date(2025, 4, 1),
    } | overrides


def test_an_analyst_records_an_evaluation_of_a_programme_and_it_is_audited(
    partnership, user_with_role
):
    programme = ProgrammeFactory(partnership=partnership)
    analyst = user_with_role(Role.ANALYST)

    evaluation = services.evaluation_save(
        actor=analyst, partnership=partnership, programme=programme, **_fields()
    )

    assert evaluation.programme == programme
    assert evaluation.status == Evaluation.Status.PLANNED
    assert AuditEvent.objects.filter(verb="evaluation.created", actor=analyst).count() == 1


def test_an_evaluation_is_of_a_programme_or_an_award_not_both_nor_neither(partnership):
    programme = ProgrammeFactory(partnership=partnership)
    award = award_for(partnership)

    for subject in [{}, {"programme": programme, "award": award}]:
        with pytest.raises(ValidationError, match="either a programme or a grant award"):
            services.evaluation_save(actor=None, partnership=partnership, **subject, **_fields())


def test_a_reported_evaluation_needs_findings_and_a_report_date(partnership):
    programme = ProgrammeFactory(partnership=partnership)

    with pytest.raises(ValidationError, match="findings"):
        services.evaluation_save(
            actor=None, partnership=partnership, programme=programme, **_fields(status="reported")
        )
    with pytest.raises(ValidationError):
        services.evaluation_save(
            actor=None,
            partnership=partnership,
            programme=programme,
            **_fields(status="reported", findings="It worked."),
        )


def test_the_rating_is_on_the_maryland_scale_1_to_5(partnership):
    programme = ProgrammeFactory(partnership=partnership)
    with pytest.raises(ValidationError):
        services.evaluation_save(
            actor=None, partnership=partnership, programme=programme, **_fields(evidence_rating=6)
        )


def test_practitioners_and_commissioners_cannot_record_evaluations(partnership, user_with_role):
    programme = ProgrammeFactory(partnership=partnership)
    for role in [Role.PRACTITIONER, Role.COMMISSIONER, Role.YOUTH_REVIEWER]:
        with pytest.raises(PermissionDenied):
            services.evaluation_save(
                actor=user_with_role(role),
                partnership=partnership,
                programme=programme,
                **_fields(),
            )


def test_managers_evaluate_only_the_programmes_they_manage(partnership):
    mine = ProgrammeFactory(partnership=partnership)
    theirs = ProgrammeFactory(partnership=partnership)
    manager = programme_staff(mine, "manager")

    services.evaluation_save(actor=manager, partnership=partnership, programme=mine, **_fields())
    with pytest.raises(ValidationError, match="programme you manage"):
        services.evaluation_save(
            actor=manager, partnership=partnership, programme=theirs, **_fields()
        )


def test_nothing_of_another_partnership_can_be_evaluated(partnership, other_partnership):
    with pytest.raises(ValidationError, match="of your partnership"):
        services.evaluation_save(
            actor=None,
            partnership=partnership,
            programme=ProgrammeFactory(partnership=other_partnership),
            **_fields(),
        )
    with pytest.raises(ValidationError, match="of your partnership"):
        services.evaluation_save(
            actor=None,
            partnership=partnership,
            award=award_for(other_partnership),
            **_fields(),
        )


def test_changing_an_evaluation_records_which_fields_changed(partnership, user_with_role):
    evaluation = EvaluationFactory(partnership=partnership)
    analyst = user_with_role(Role.ANALYST)

    services.evaluation_save(
        actor=analyst,
        partnership=partnership,
        evaluation=evaluation,
        programme=evaluation.programme,
        **_fields(title=evaluation.title, status="in_progress", evaluator="University of Essex"),
    )

    event = AuditEvent.objects.get(verb="evaluation.changed")
    assert "status" in event.changes["fields"]
    assert Evaluation.objects.get().status == "in_progress"


def test_benefit_assumptions_use_published_or_own_unit_costs_only(partnership, other_partnership):
    evaluation = EvaluationFactory(partnership=partnership)
    theirs = UnitCost.objects.create(
        partnership=other_partnership,
        offence="Robbery",
        amount=Decimal("12000"),
        price_year="2023/24",
        source="Uprated",
    )

    with pytest.raises(ValidationError):
        services.benefit_assumption_add(
            actor=None,
            evaluation=evaluation,
            unit_cost=theirs,
            offences_averted_per_participant=Decimal("0.1"),
            basis="x",
        )
    with pytest.raises(ValidationError):
        services.benefit_assumption_add(
            actor=None,
            evaluation=evaluation,
            unit_cost=unit_cost("Robbery (personal)"),
            offences_averted_per_participant=Decimal("-0.1"),
            basis="x",
        )


# --- What the impact report reads --------------------------------------------------------


def test_findings_are_the_evaluations_running_in_the_period(partnership, user_with_role):
    programme = ProgrammeFactory(partnership=partnership)
    early = EvaluationFactory(
        partnership=partnership,
        programme=programme,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 6, 30),
    )
    open_ended = EvaluationFactory(partnership=partnership, starts_on=datetime.date(2025, 9, 1))
    EvaluationFactory(
        partnership=partnership,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
    )
    commissioner = user_with_role(Role.COMMISSIONER)

    found = selectors.evaluation_findings_for(
        viewer=commissioner,
        partnership=partnership,
        start=datetime.date(2025, 5, 1),
        end=datetime.date(2025, 10, 1),
    )
    one = selectors.evaluation_findings_for(
        viewer=commissioner,
        partnership=partnership,
        start=datetime.date(2025, 5, 1),
        end=datetime.date(2025, 10, 1),
        programme=programme,
    )

    assert set(found) == {early, open_ended}
    assert list(one) == [early]


@pytest.mark.parametrize("role", [Role.YOUTH_REVIEWER, Role.APPLICANT])
def test_findings_are_not_for_reviewers_or_applicants(partnership, user_with_role, role):
    EvaluationFactory(partnership=partnership)
    assert not selectors.evaluation_findings_for(
        viewer=user_with_role(role), partnership=partnership, start=None, end=None
    )


def test_findings_of_another_partnership_are_empty(partnership, other_partnership, user_with_role):
    EvaluationFactory(partnership=partnership)
    viewer = user_with_role(Role.ADMINISTRATOR, partnership=other_partnership)
    assert not selectors.evaluation_findings_for(
        viewer=viewer, partnership=partnership, start=None, end=None
    )


# --- Cost and benefit ----------------------------------------------------------------------


def _assume(evaluation, offence, averted):
    services.benefit_assumption_add(
        actor=None,
        evaluation=evaluation,
        unit_cost=unit_cost(offence),
        offences_averted_per_participant=Decimal(averted),
        basis="From the evaluation's effect size.",
    )


def test_benefit_cost_ratio_on_recorded_cost_and_participants(partnership, user_with_role):
    evaluation = EvaluationFactory(partnership=partnership, cost=Decimal("50000"), participants=200)
    _assume(evaluation, "Violence with injury", "0.1")  # 0.1 x £14,050 = £1,405
    _assume(evaluation, "Robbery (personal)", "0.02")  # 0.02 x £11,320 = £226.40

    [row] = selectors.cost_benefit_for(
        viewer=user_with_role(Role.ANALYST), partnership=partnership, start=None, end=None
    )

    assert row.cost_per_participant == Decimal("250.00")  # 50,000 / 200
    assert row.benefit_per_participant == Decimal("1631.40")
    assert row.benefit == Decimal("326280.00")  # 200 x 1,631.40
    assert row.ratio == Decimal("6.53")  # 326,280 / 50,000 = 6.5256
    assert row.published["ratio"] == 3.5


def test_benefit_cost_ratio_arithmetic():
    line = selectors.BenefitLine(
        UnitCost(offence="Homicide", amount=Decimal("3217740"), price_year="2015/16"),
        Decimal("0.001"),
        "",
    )
    benefit, ratio = selectors.benefit_cost_ratio(
        cost=Decimal("100000"), participants=150, lines=[line]
    )
    assert benefit == Decimal("482661.00")  # 150 x 0.001 x 3,217,740
    assert ratio == Decimal("4.83")


def test_without_recorded_figures_the_budget_and_referrals_in_the_dates_are_used(
    partnership, user_with_role
):
    programme = ProgrammeFactory(partnership=partnership, budget=Decimal("60000"))
    for days_ago in [10, 20, 30, 40, 50, 60]:
        past_referral(programme, days_ago=days_ago)
    past_referral(programme, days_ago=400)  # before the evaluation started
    EvaluationFactory(
        partnership=partnership,
        programme=programme,
        starts_on=timezone.localdate() - datetime.timedelta(days=100),
    )

    [row] = selectors.cost_benefit_for(
        viewer=user_with_role(Role.ANALYST), partnership=partnership, start=None, end=None
    )

    assert (row.cost, row.cost_source) == (Decimal("60000"), "programme budget (no spend recorded)")
    assert row.participants == 6
    assert row.cost_per_participant == Decimal("10000.00")
    assert (row.benefit, row.ratio) == (None, None)  # no benefit assumptions yet


def test_an_awards_cost_and_reach_come_from_the_award_and_its_approved_return(
    partnership, user_with_role
):
    from grants.models import MonitoringReturn

    award = award_for(partnership, amount=Decimal("4000"))
    MonitoringReturn.objects.create(
        award=award,
        number=1,
        due_on=datetime.date(2025, 10, 1),
        status="approved",
        approved_at=timezone.now(),
        young_people_by_age_band={"10-13": 12, "14-17": 20},
    )
    MonitoringReturn.objects.create(
        award=award,
        number=2,
        due_on=datetime.date(2026, 4, 1),
        young_people_by_age_band={"10-13": 90},  # not approved: not counted
    )
    EvaluationFactory(partnership=partnership, programme=None, award=award)

    [row] = selectors.cost_benefit_for(
        viewer=user_with_role(Role.GRANTS_OFFICER), partnership=partnership, start=None, end=None
    )

    assert (row.cost, row.participants) == (Decimal("4000"), 32)
    assert row.cost_per_participant == Decimal("125.00")


def test_commissioners_get_no_figure_that_reveals_fewer_than_5_participants(
    partnership, user_with_role
):
    evaluation = EvaluationFactory(partnership=partnership, cost=Decimal("9000"), participants=3)
    _assume(evaluation, "Violence with injury", "0.5")

    [row] = selectors.cost_benefit_for(
        viewer=user_with_role(Role.COMMISSIONER), partnership=partnership, start=None, end=None
    )

    assert row.participants is None
    assert row.participants_shown == "<5"
    assert (row.cost_per_participant, row.benefit, row.ratio) == (None, None, None)


def test_a_higher_small_number_threshold_hides_every_figure_that_would_reveal_the_count(
    partnership, user_with_role, settings
):
    settings.VRU_SMALL_NUMBER_THRESHOLD = 10
    evaluation = EvaluationFactory(partnership=partnership, cost=Decimal("9000"), participants=7)
    _assume(evaluation, "Violence with injury", "0.5")

    [row] = selectors.cost_benefit_for(
        viewer=user_with_role(Role.COMMISSIONER), partnership=partnership, start=None, end=None
    )

    assert row.participants_shown == "<10"
    assert (row.participants, row.cost_per_participant, row.benefit, row.ratio) == (
        None,
        None,
        None,
        None,
    )


def test_cost_benefit_takes_a_bounded_number_of_queries(
    partnership, user_with_role, django_assert_max_num_queries
):
    for _ in range(5):
        _assume(EvaluationFactory(partnership=partnership), "Homicide", "0.001")
    EvaluationFactory(partnership=partnership, programme=None, award=award_for(partnership))
    analyst = user_with_role(Role.ANALYST)
    analyst.role_names  # noqa: B018 - roles cached, as on a request

    # evaluations (with referral counts); monitoring returns; tranches paid; benefit
    # assumptions; spend recorded for the programmes (finance)
    with django_assert_max_num_queries(5):
        rows = selectors.cost_benefit_for(
            viewer=analyst, partnership=partnership, start=None, end=None
        )
    assert len(rows) == 6
