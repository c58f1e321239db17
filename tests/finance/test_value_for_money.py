"""Value for money divides what was actually spent where spend is recorded, and says which
it used: actual spend or the budget."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from evaluation import selectors
from finance import services
from grants.models import Tranche
from tests.evaluation.factories import EvaluationFactory, award_for
from tests.factories import ProgrammeFactory
from vru.models import Role

pytestmark = pytest.mark.django_db


def test_value_for_money_uses_the_spend_recorded_in_the_evaluations_dates(
    partnership, user_with_role
):
    programme = ProgrammeFactory(partnership=partnership, budget=Decimal("60000"))
    for year, quarter, amount in ((2025, 1, "10000"), (2025, 2, "11000"), (2024, 4, "99999")):
        services.spend_record(
            actor=None,
            programme=programme,
            financial_year=year,
            quarter=quarter,
            amount=Decimal(amount),
        )
    EvaluationFactory(
        partnership=partnership,
        programme=programme,
        starts_on=datetime.date(2025, 4, 1),
        ends_on=datetime.date(2025, 9, 30),
        participants=20,
    )

    [row] = selectors.cost_benefit_for(
        viewer=user_with_role(Role.ANALYST), partnership=partnership, start=None, end=None
    )

    assert row.cost == Decimal("21000")  # Q1 and Q2 of 2025/26, not the quarter before
    assert row.cost_basis == "actual"
    assert row.cost_source == "actual spend (2 quarters recorded)"
    assert row.cost_per_participant == Decimal("1050.00")


def test_without_spend_recorded_it_uses_the_budget_and_says_so(partnership, user_with_role):
    programme = ProgrammeFactory(partnership=partnership, budget=Decimal("60000"))
    EvaluationFactory(
        partnership=partnership,
        programme=programme,
        starts_on=datetime.date(2025, 4, 1),
        participants=20,
    )

    [row] = selectors.cost_benefit_for(
        viewer=user_with_role(Role.ANALYST), partnership=partnership, start=None, end=None
    )

    assert (row.cost, row.cost_basis) == (Decimal("60000"), "budget")
    assert row.cost_source == "programme budget (no spend recorded)"


def test_an_awards_actual_spend_is_the_tranches_paid(partnership, user_with_role):
    award = award_for(partnership, amount=Decimal("4000"))
    Tranche.objects.create(
        award=award,
        number=1,
        amount=Decimal("2500"),
        due_on=datetime.date(2025, 5, 1),
        released_at=timezone.now(),
    )
    Tranche.objects.create(
        award=award, number=2, amount=Decimal("1500"), due_on=datetime.date(2025, 10, 1)
    )
    EvaluationFactory(partnership=partnership, programme=None, award=award, participants=10)

    [row] = selectors.cost_benefit_for(
        viewer=user_with_role(Role.GRANTS_OFFICER), partnership=partnership, start=None, end=None
    )

    assert (row.cost, row.cost_basis) == (Decimal("2500"), "actual")
    assert row.cost_source == "actual spend (grant tranches paid)"
