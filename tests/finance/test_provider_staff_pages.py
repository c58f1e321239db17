"""Those who keep providers link a user with the provider staff role of their partnership to a
provider on the provider's staff page, and unlink them after confirming; both are audited.
The rule (ProviderStaff.clean, run by finance.services) is the same on the page, in the admin
and in a direct call: a user of the partnership, with the provider staff role, linked to one
provider only. Unlinked staff stop being practitioners of the provider's programmes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from finance import services
from finance.models import ProviderStaff
from finance.models.providers import (
    PROVIDER_STAFF_OTHER_PARTNERSHIP,
    PROVIDER_STAFF_ROLE_NEEDED,
    PROVIDER_STAFF_TAKEN,
)
from programmes.models import ProgrammeStaff
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
def provider(partnership, officer):
    provider = services.provider_create(actor=officer, partnership=partnership, name="Youth Trust")
    services.contract_create(
        actor=officer,
        provider=provider,
        programme=ProgrammeFactory(partnership=partnership, name="ReRoute"),
        value=Decimal("50000"),
        starts_on=datetime.date(2025, 4, 1),
        ends_on=datetime.date(2026, 3, 31),
    )
    return provider


@pytest.fixture
def staff(partnership):
    return UserFactory(
        partnership=partnership, roles=[Role.PROVIDER], first_name="Sam", last_name="Worker"
    )


def staff_url(provider):
    return reverse("finance:provider_staff", args=[provider.pk])


def test_a_keeper_links_provider_staff_on_the_providers_staff_page(
    client, officer, provider, staff
):
    client.force_login(officer)
    assert staff.pk in [
        u.pk for u in client.get(staff_url(provider)).context["form"].fields["user"].queryset
    ]

    response = client.post(staff_url(provider), {"user": staff.pk})

    assert response.status_code == 302
    assert ProviderStaff.objects.get().user == staff
    assert ProgrammeStaff.objects.get(user=staff).role == "practitioner"
    event = AuditEvent.objects.get(verb="provider.staff_added")
    assert (event.actor, event.changes) == (officer, {"user": staff.pk})
    page = client.get(staff_url(provider)).content.decode()
    assert "Sam Worker" in page
    assert (
        reverse("finance:provider_staff_remove", args=[provider.pk, ProviderStaff.objects.get().pk])
        in page
    )


def test_only_provider_staff_of_the_partnership_are_offered(
    client, officer, provider, staff, partnership, other_partnership
):
    practitioner = UserFactory(partnership=partnership, roles=[Role.PRACTITIONER])
    elsewhere = UserFactory(partnership=other_partnership, roles=[Role.PROVIDER])
    client.force_login(officer)

    offered = set(
        client.get(staff_url(provider))
        .context["form"]
        .fields["user"]
        .queryset.values_list("pk", flat=True)
    )

    assert offered == {staff.pk}
    for user in (practitioner, elsewhere):
        assert client.post(staff_url(provider), {"user": user.pk}).status_code == 400
    assert not ProviderStaff.objects.exists()


def test_a_user_linked_to_another_provider_is_refused_with_the_rules_words(
    client, officer, partnership, provider, staff
):
    other = services.provider_create(actor=officer, partnership=partnership, name="Sports Club")
    services.provider_staff_add(actor=officer, provider=other, user=staff)
    client.force_login(officer)

    response = client.post(staff_url(provider), {"user": staff.pk})

    assert response.status_code == 400
    assert PROVIDER_STAFF_TAKEN in response.content.decode()
    assert ProviderStaff.objects.get().provider == other


def test_the_rule_is_the_same_for_a_direct_call(officer, partnership, provider, other_partnership):
    with pytest.raises(ValidationError) as refused:
        services.provider_staff_add(
            actor=officer,
            provider=provider,
            user=UserFactory(partnership=partnership, roles=[Role.PRACTITIONER]),
        )
    assert refused.value.message_dict["user"] == [PROVIDER_STAFF_ROLE_NEEDED]
    with pytest.raises(ValidationError) as refused:
        services.provider_staff_add(
            actor=None,
            provider=provider,
            user=UserFactory(partnership=other_partnership, roles=[Role.PROVIDER]),
        )
    assert refused.value.message_dict["user"] == [PROVIDER_STAFF_OTHER_PARTNERSHIP]


def test_the_admin_links_through_the_same_rule_and_audits(client, partnership, provider, staff):
    administrator = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])
    practitioner = UserFactory(partnership=partnership, roles=[Role.PRACTITIONER])
    client.force_login(administrator)
    add = reverse("admin:finance_providerstaff_add")

    refused = client.post(add, {"provider": provider.pk, "user": practitioner.pk})
    assert refused.status_code == 200
    assert PROVIDER_STAFF_ROLE_NEEDED in refused.content.decode()

    assert client.post(add, {"provider": provider.pk, "user": staff.pk}).status_code == 302
    link = ProviderStaff.objects.get()
    assert link.user == staff
    assert ProgrammeStaff.objects.filter(user=staff).exists()
    assert AuditEvent.objects.filter(verb="provider.staff_added", actor=administrator).exists()

    client.post(reverse("admin:finance_providerstaff_delete", args=[link.pk]), {"post": "yes"})
    assert not ProviderStaff.objects.exists()
    assert AuditEvent.objects.filter(verb="provider.staff_removed", actor=administrator).exists()


def test_a_keeper_unlinks_after_confirming_and_the_programmes_go_with_it(
    client, officer, provider, staff
):
    link = services.provider_staff_add(actor=officer, provider=provider, user=staff)
    url = reverse("finance:provider_staff_remove", args=[provider.pk, link.pk])
    client.force_login(officer)

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Yes, unlink them" in confirm.content.decode()
    assert ProviderStaff.objects.exists()  # asking changes nothing

    response = client.post(url)

    assert response.status_code == 302
    assert not ProviderStaff.objects.exists()
    assert not ProgrammeStaff.objects.filter(user=staff).exists()
    event = AuditEvent.objects.get(verb="provider.staff_removed")
    assert (event.actor, event.changes) == (officer, {"user": staff.pk})
    assert AuditEvent.objects.filter(verb="programme.staff_removed").exists()


@pytest.mark.parametrize(
    "role", [Role.PROVIDER, Role.PROGRAMME_MANAGER, Role.ANALYST, Role.COMMISSIONER]
)
def test_others_cannot_open_or_use_the_staff_pages(client, partnership, provider, staff, role):
    link = services.provider_staff_add(actor=None, provider=provider, user=staff)
    client.force_login(UserFactory(partnership=partnership, roles=[role]))

    assert client.get(staff_url(provider)).status_code == 404
    assert client.post(staff_url(provider), {"user": staff.pk}).status_code == 404
    remove = reverse("finance:provider_staff_remove", args=[provider.pk, link.pk])
    assert client.post(remove).status_code == 404
    assert ProviderStaff.objects.count() == 1
