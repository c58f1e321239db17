"""Commissioned providers: a contract for a programme with KPIs and targets; the provider's
staff are linked to it, become practitioners of the contracted programme, and record their
own contract's quarterly KPI figures, nobody else's."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from finance import services
from finance.models import KPIFigure
from programmes.models import ProgrammeStaff
from tests.factories import ProgrammeFactory, UserFactory
from vru.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(partnership):
    return UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])


def contracted(partnership, officer, name, programme):
    provider = services.provider_create(actor=officer, partnership=partnership, name=name)
    contract = services.contract_create(
        actor=officer,
        provider=provider,
        programme=programme,
        value=Decimal("120000"),
        starts_on=datetime.date(2025, 4, 1),
        ends_on=datetime.date(2026, 3, 31),
        kpis=[("Young people engaged", Decimal("80"), "young people")],
    )
    return provider, contract


def test_provider_staff_become_practitioners_of_their_contracts_programme(partnership, officer):
    programme = ProgrammeFactory(partnership=partnership)
    provider, _ = contracted(partnership, officer, "Youth Trust", programme)
    staff = UserFactory(partnership=partnership, roles=[Role.PROVIDER])

    services.provider_staff_add(actor=officer, provider=provider, user=staff)

    membership = ProgrammeStaff.objects.get(user=staff)
    assert (membership.programme, membership.role) == (programme, "practitioner")


def test_provider_staff_record_their_own_contracts_kpi_figures_only(partnership, officer):
    ours, our_contract = contracted(
        partnership, officer, "Youth Trust", ProgrammeFactory(partnership=partnership)
    )
    _, their_contract = contracted(
        partnership, officer, "Sports Club", ProgrammeFactory(partnership=partnership)
    )
    staff = UserFactory(partnership=partnership, roles=[Role.PROVIDER])
    services.provider_staff_add(actor=officer, provider=ours, user=staff)

    services.kpi_figure_record(
        actor=staff,
        kpi=our_contract.kpis.get(),
        financial_year=2025,
        quarter=1,
        value=Decimal("23"),
    )
    with pytest.raises(PermissionDenied):
        services.kpi_figure_record(
            actor=staff,
            kpi=their_contract.kpis.get(),
            financial_year=2025,
            quarter=1,
            value=Decimal("5"),
        )

    assert KPIFigure.objects.get().value == Decimal("23")


def test_only_provider_staff_are_linked_to_a_provider(partnership, officer):
    provider, _ = contracted(
        partnership, officer, "Youth Trust", ProgrammeFactory(partnership=partnership)
    )
    with pytest.raises(ValidationError):
        services.provider_staff_add(
            actor=officer,
            provider=provider,
            user=UserFactory(partnership=partnership, roles=[Role.PRACTITIONER]),
        )


def test_providers_are_kept_by_administrators_and_grants_officers(partnership, user_with_role):
    for role in (Role.PROVIDER, Role.PROGRAMME_MANAGER, Role.COMMISSIONER):
        with pytest.raises(PermissionDenied):
            services.provider_create(actor=user_with_role(role), partnership=partnership, name="X")
