"""Those who keep funding add and rename provider organisations, add contracts (provider,
programme, value, dates), change a contract's value and dates, and add, change and delete its
KPIs on pages. Each refusal names the field (the models' rules, the same for every door);
a KPI with figures is not deleted (what the provider reported stays); every write is
audited; everyone else gets 404."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from finance import services
from finance.models import KPI, Contract, Provider
from tests.factories import ProgrammeFactory, UserFactory
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_reauthentication(settings):
    settings.VRU_REAUTH_REQUIRED = False


@pytest.fixture
def officer(partnership):
    return UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])


@pytest.fixture
def contract(partnership, officer):
    provider = services.provider_create(actor=officer, partnership=partnership, name="Youth Trust")
    return services.contract_create(
        actor=officer,
        provider=provider,
        programme=ProgrammeFactory(partnership=partnership, name="ReRoute"),
        value=Decimal("50000"),
        starts_on=datetime.date(2025, 4, 1),
        ends_on=datetime.date(2026, 3, 31),
        kpis=[("Young people engaged", Decimal("40"), "young people")],
    )


def dates(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def errors_of(response) -> dict:
    return response.context["form"].errors


def test_a_grants_officer_adds_a_provider_and_a_contract_then_its_kpis(
    client, partnership, officer
):
    programme = ProgrammeFactory(partnership=partnership, name="Mentoring")
    client.force_login(officer)

    added = client.post(reverse("finance:provider_list"), {"name": "Sports Club"})
    assert added.status_code == 302
    provider = Provider.objects.get(name="Sports Club")
    response = client.post(
        reverse("finance:contract_create"),
        {
            "provider": provider.pk,
            "programme": programme.pk,
            "value": "75000",
            **dates("starts_on", datetime.date(2025, 4, 1)),
            **dates("ends_on", datetime.date(2026, 3, 31)),
        },
    )
    contract = Contract.objects.get(provider=provider)
    assert response.status_code == 302
    assert (contract.programme, contract.value) == (programme, Decimal("75000"))
    client.post(
        reverse("finance:kpi_create", args=[contract.pk]),
        {"name": "Sessions run", "target": "120", "unit": "sessions"},
    )
    assert contract.kpis.get().target == Decimal("120")
    page = client.get(reverse("finance:contract_detail", args=[contract.pk])).content.decode()
    assert "Sessions run" in page
    assert "Add a KPI" in page
    verbs = set(AuditEvent.objects.filter(actor=officer).values_list("verb", flat=True))
    assert {"provider.created", "contract.created", "kpi.created"} <= verbs


def test_a_contract_that_ends_before_it_starts_is_refused_on_the_end_date(
    client, officer, contract
):
    client.force_login(officer)

    response = client.post(
        reverse("finance:contract_edit", args=[contract.pk]),
        {
            "value": "50000",
            **dates("starts_on", datetime.date(2025, 4, 1)),
            **dates("ends_on", datetime.date(2025, 3, 1)),
        },
    )

    assert response.status_code == 400
    assert "ends_on" in errors_of(response)
    contract.refresh_from_db()
    assert contract.ends_on == datetime.date(2026, 3, 31)


def test_a_contract_changes_value_and_dates_and_the_change_is_audited(client, officer, contract):
    client.force_login(officer)

    client.post(
        reverse("finance:contract_edit", args=[contract.pk]),
        {
            "value": "60000",
            **dates("starts_on", datetime.date(2025, 4, 1)),
            **dates("ends_on", datetime.date(2026, 9, 30)),
        },
    )

    contract.refresh_from_db()
    assert (contract.value, contract.ends_on) == (Decimal("60000"), datetime.date(2026, 9, 30))
    event = AuditEvent.objects.get(verb="contract.updated")
    assert event.changes["value"] == {"before": "50000.00", "after": "60000"}


def test_a_providers_name_is_unique_in_the_partnership_named_on_the_field(
    client, officer, contract
):
    client.force_login(officer)

    response = client.post(reverse("finance:provider_list"), {"name": "youth trust"})

    assert response.status_code == 400
    assert "name" in errors_of(response)
    assert Provider.objects.count() == 1


def test_a_kpi_name_is_unique_on_its_contract_and_its_target_not_below_0(officer, contract):
    with pytest.raises(ValidationError) as same_name:
        services.kpi_save(
            actor=officer, contract=contract, name="Young people engaged", target=Decimal("5")
        )
    assert "name" in same_name.value.message_dict
    with pytest.raises(ValidationError) as below_zero:
        services.kpi_save(actor=officer, contract=contract, name="Other", target=Decimal("-1"))
    assert "target" in below_zero.value.message_dict


def test_a_kpi_is_changed_on_its_page(client, officer, contract):
    kpi = contract.kpis.get()
    client.force_login(officer)

    client.post(
        reverse("finance:kpi_edit", args=[contract.pk, kpi.pk]),
        {"name": "Young people engaged", "target": "55", "unit": "young people"},
    )

    kpi.refresh_from_db()
    assert kpi.target == Decimal("55")
    assert AuditEvent.objects.filter(verb="kpi.updated", target_id=str(kpi.pk)).exists()


def test_a_kpi_without_figures_is_deleted_after_confirming(client, officer, contract):
    kpi = contract.kpis.get()
    client.force_login(officer)
    url = reverse("finance:kpi_delete", args=[contract.pk, kpi.pk])

    confirm = client.get(url)
    assert "Delete the KPI Young people engaged?" in confirm.content.decode()
    assert KPI.objects.filter(pk=kpi.pk).exists()  # asking deletes nothing

    client.post(url)
    assert not KPI.objects.filter(pk=kpi.pk).exists()
    assert AuditEvent.objects.filter(verb="kpi.deleted").exists()


def test_a_kpi_with_figures_is_not_deleted(client, officer, contract):
    kpi = contract.kpis.get()
    services.kpi_figure_record(
        actor=officer, kpi=kpi, financial_year=2025, quarter=1, value=Decimal("12")
    )
    client.force_login(officer)
    url = reverse("finance:kpi_delete", args=[contract.pk, kpi.pk])

    assert "cannot be deleted" in client.get(url).content.decode()
    client.post(url)

    assert KPI.objects.filter(pk=kpi.pk).exists()
    assert kpi.figures.count() == 1
    with pytest.raises(ValidationError):
        services.kpi_delete(actor=officer, kpi=kpi)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ADMINISTRATOR, 200),
        (Role.GRANTS_OFFICER, 200),
        (Role.ANALYST, 404),
        (Role.PROGRAMME_MANAGER, 404),
        (Role.PRACTITIONER, 404),
        (Role.COMMISSIONER, 404),
        (Role.PROVIDER, 404),
        (Role.YOUTH_REVIEWER, 404),
        (Role.APPLICANT, 404),
        (Role.PARTNER, 404),
    ],
)
def test_only_those_who_keep_funding_open_the_provider_contract_and_kpi_pages(
    client, partnership, contract, role, status
):
    user = UserFactory(partnership=partnership, roles=[role])
    if role == Role.PROVIDER:  # even the contract's own provider's staff
        services.provider_staff_add(actor=None, provider=contract.provider, user=user)
    client.force_login(user)
    kpi = contract.kpis.get()

    for url in (
        reverse("finance:provider_list"),
        reverse("finance:provider_edit", args=[contract.provider_id]),
        reverse("finance:contract_create"),
        reverse("finance:contract_edit", args=[contract.pk]),
        reverse("finance:kpi_create", args=[contract.pk]),
        reverse("finance:kpi_edit", args=[contract.pk, kpi.pk]),
        reverse("finance:kpi_delete", args=[contract.pk, kpi.pk]),
    ):
        assert client.get(url).status_code == status, url
    if status == 404:
        assert (
            client.post(reverse("finance:kpi_delete", args=[contract.pk, kpi.pk])).status_code
            == 404
        )
        assert KPI.objects.filter(pk=kpi.pk).exists()


def test_another_partnerships_provider_and_contract_are_not_found(
    client, other_partnership, contract
):
    client.force_login(UserFactory(partnership=other_partnership, roles=[Role.GRANTS_OFFICER]))

    assert client.get(reverse("finance:contract_edit", args=[contract.pk])).status_code == 404
    assert (
        client.get(reverse("finance:provider_edit", args=[contract.provider_id])).status_code == 404
    )
