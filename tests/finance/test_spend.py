"""Money: funding streams allocated to programmes and grant rounds, spend per programme per
quarter of the financial year (April to June is Q1), and spend against allocation per quarter
and year to date with under- and over-spend. A grant tranche released counts as spend of its
round in the quarter it was paid."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from finance import selectors, services
from finance.models import QuarterlySpend, quarter_dates, quarter_of
from grants.models import Tranche
from tests.evaluation.factories import award_for
from tests.factories import ProgrammeFactory, UserFactory, programme_staff
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(partnership):
    return UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])


def stream(partnership, officer, year=2025, amount="200000"):
    return services.funding_stream_save(
        actor=officer,
        partnership=partnership,
        funder="Home Office",
        grant_name="VRU core grant",
        financial_year=year,
        amount=Decimal(amount),
        spend_type="intervention",
    )


def test_april_to_june_is_the_first_quarter_and_january_to_march_the_fourth():
    assert quarter_of(datetime.date(2025, 4, 1)) == 1
    assert quarter_of(datetime.date(2025, 12, 31)) == 3
    assert quarter_of(datetime.date(2026, 3, 31)) == 4
    assert quarter_dates(2025, 4) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert quarter_dates(2025, 1) == (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))


def test_spend_against_allocation_shows_each_quarter_year_to_date_and_underspend(
    partnership, officer
):
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    services.allocation_add(
        actor=officer,
        stream=stream(partnership, officer),
        programme=programme,
        amount=Decimal("40000"),
    )
    for quarter, amount in ((1, "9000"), (2, "8000"), (3, "12000")):
        services.spend_record(
            actor=officer,
            programme=programme,
            financial_year=2025,
            quarter=quarter,
            amount=Decimal(amount),
        )
    # another year's spend is not this year's
    services.spend_record(
        actor=officer, programme=programme, financial_year=2024, quarter=3, amount=Decimal("777")
    )

    [line] = selectors.spend_against_allocation(viewer=officer, financial_year=2025, upto=3)

    assert line.allocated == Decimal("40000")
    assert line.quarters == [Decimal("9000"), Decimal("8000"), Decimal("12000"), Decimal(0)]
    assert line.year_to_date == Decimal("29000")
    assert line.profile_to_date == Decimal("30000.00")
    assert line.variance == Decimal("-1000.00")
    assert line.status == "Underspend to date"


def test_spend_past_the_allocation_is_shown_as_over_allocation(partnership, officer):
    programme = ProgrammeFactory(partnership=partnership)
    services.allocation_add(
        actor=officer,
        stream=stream(partnership, officer),
        programme=programme,
        amount=Decimal("10000"),
    )
    services.spend_record(
        actor=officer, programme=programme, financial_year=2025, quarter=1, amount=Decimal("12000")
    )

    [line] = selectors.spend_against_allocation(viewer=officer, financial_year=2025, upto=1)

    assert line.status == "Over allocation"
    assert line.remaining == Decimal("-2000")


def test_a_released_grant_tranche_is_spend_of_its_round_in_the_quarter_it_was_paid(
    partnership, officer
):
    award = award_for(partnership, amount=Decimal("4000"))
    grant_round = award.decision.application.grant_round
    services.allocation_add(
        actor=officer,
        stream=stream(partnership, officer),
        grant_round=grant_round,
        amount=Decimal("50000"),
    )
    tz = timezone.get_current_timezone()
    Tranche.objects.create(
        award=award,
        number=1,
        amount=Decimal("2500"),
        due_on=datetime.date(2025, 5, 1),
        released_at=datetime.datetime(2025, 5, 2, 10, tzinfo=tz),
        released_by=officer,
    )
    Tranche.objects.create(  # paid in October: Q3
        award=award,
        number=2,
        amount=Decimal("1500"),
        due_on=datetime.date(2025, 10, 1),
        released_at=datetime.datetime(2025, 10, 3, 10, tzinfo=tz),
        released_by=officer,
    )
    Tranche.objects.create(  # not released: not spend
        award=award,
        number=3,
        amount=Decimal("999"),
        due_on=datetime.date(2025, 7, 1),
    )

    [line] = selectors.spend_against_allocation(viewer=officer, financial_year=2025, upto=4)

    assert (line.kind, line.name) == ("grant round", grant_round.title)
    assert line.quarters == [Decimal("2500"), Decimal(0), Decimal("1500"), Decimal(0)]
    assert line.year_to_date == Decimal("4000")


def test_recording_a_quarter_again_corrects_the_figure_and_audits_both(partnership, officer):
    programme = ProgrammeFactory(partnership=partnership)
    for amount in ("5000", "5200"):
        services.spend_record(
            actor=officer,
            programme=programme,
            financial_year=2025,
            quarter=2,
            amount=Decimal(amount),
        )

    assert QuarterlySpend.objects.get(programme=programme).amount == Decimal("5200")
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="spend.").values_list("verb", flat=True)
    )
    assert sorted(verbs) == ["spend.corrected", "spend.recorded"]


def test_a_programme_manager_records_spend_of_their_programme_only(partnership):
    mine = ProgrammeFactory(partnership=partnership)
    theirs = ProgrammeFactory(partnership=partnership)
    manager = programme_staff(mine, "manager")

    services.spend_record(
        actor=manager, programme=mine, financial_year=2025, quarter=1, amount=Decimal("10")
    )
    with pytest.raises(PermissionDenied):
        services.spend_record(
            actor=manager, programme=theirs, financial_year=2025, quarter=1, amount=Decimal("10")
        )


def test_practitioners_and_commissioners_cannot_keep_funding(partnership, user_with_role):
    for role in (Role.PRACTITIONER, Role.COMMISSIONER, Role.PROVIDER, Role.ANALYST):
        with pytest.raises(PermissionDenied):
            stream(partnership, user_with_role(role))


def test_an_allocation_goes_to_a_programme_or_a_round_of_the_same_partnership(
    partnership, other_partnership, officer
):
    money = stream(partnership, officer)
    with pytest.raises(ValidationError):
        services.allocation_add(actor=officer, stream=money, amount=Decimal("1"))
    with pytest.raises(ValidationError):
        services.allocation_add(
            actor=officer,
            stream=money,
            amount=Decimal("1"),
            programme=ProgrammeFactory(partnership=other_partnership),
        )


def test_nobody_sees_another_partnerships_money(partnership, other_partnership, officer):
    stream(partnership, officer)
    other_officer = UserFactory(partnership=other_partnership, roles=[Role.GRANTS_OFFICER])

    assert not selectors.funding_streams(viewer=other_officer).exists()
    assert selectors.funding_streams(viewer=officer).count() == 1
