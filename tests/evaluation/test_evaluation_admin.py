"""The admin door for evaluations' reference data: unit costs and instruments, national rows
read-only, each partnership's own rows editable, and nothing of another partnership."""

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluation.models import UnitCost
from tests.evaluation.factories import EvaluationFactory, unit_cost
from vru.models import Role

pytestmark = pytest.mark.django_db

EDITORS = {Role.ADMINISTRATOR, Role.ANALYST}


@pytest.mark.parametrize("role", list(Role))
def test_only_administrators_and_analysts_open_the_evaluation_admin(
    client, user_with_role, partnership, role
):
    evaluation = EvaluationFactory(partnership=partnership, title="Mentoring study")
    client.force_login(user_with_role(role))

    for name in ["unitcost", "instrument", "evaluation"]:
        response = client.get(reverse(f"admin:evaluation_{name}_changelist"))
        if role in EDITORS:
            assert response.status_code == 200, name
        else:
            assert response.status_code in (302, 403, 404), name
    if role in EDITORS:
        page = client.get(reverse("admin:evaluation_evaluation_changelist")).content.decode()
        assert evaluation.title in page


def test_national_unit_costs_are_read_only_and_own_ones_editable(
    client, user_with_role, partnership
):
    national = unit_cost("Homicide")
    client.force_login(user_with_role(Role.ANALYST))

    response = client.post(
        reverse("admin:evaluation_unitcost_change", args=[national.pk]),
        {"offence": "Homicide", "amount": "1", "price_year": "2015/16", "source": "x"},
    )
    assert response.status_code == 403
    national.refresh_from_db()
    assert national.amount == Decimal("3217740")

    response = client.post(
        reverse("admin:evaluation_unitcost_add"),
        {
            "offence": "Violence with injury",
            "amount": "18500",
            "price_year": "2023/24",
            "source": "Heeks et al. 2018 uprated with the GDP deflator",
        },
    )
    assert response.status_code == 302
    own = UnitCost.objects.get(price_year="2023/24")
    assert own.partnership == partnership


def test_another_partnerships_unit_costs_and_evaluations_are_hidden(
    client, user_with_role, other_partnership
):
    theirs = UnitCost.objects.create(
        partnership=other_partnership,
        offence="Robbery",
        amount=Decimal("12000"),
        price_year="2023/24",
        source="Theirs",
    )
    evaluation = EvaluationFactory(partnership=other_partnership, title="Their study")
    client.force_login(user_with_role(Role.ADMINISTRATOR))

    assert (
        client.get(reverse("admin:evaluation_unitcost_change", args=[theirs.pk])).status_code == 302
    )
    page = client.get(reverse("admin:evaluation_evaluation_changelist")).content.decode()
    assert evaluation.title not in page


def test_the_evaluation_register_in_the_admin_is_read_only(client, user_with_role, partnership):
    evaluation = EvaluationFactory(partnership=partnership)
    client.force_login(user_with_role(Role.ADMINISTRATOR))

    response = client.post(
        reverse("admin:evaluation_evaluation_change", args=[evaluation.pk]), {"title": "Changed"}
    )

    assert response.status_code == 403
