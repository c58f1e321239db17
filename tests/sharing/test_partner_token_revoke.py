"""The agreement's page lists the API tokens issued for partners under it (who issued each, to
which party, when, last used, expiry) to administrators and the data protection lead, who may
revoke any of them, whoever issued it, after a confirmation page; revoking is audited and the
token answers 401 from then on. Other staff see no tokens and cannot revoke."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from sharing import services
from sharing.models import PartnerToken
from tests.factories import UserFactory
from tests.sharing.conftest import make_agreement
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(administrator, partnership, police):
    agreement = make_agreement(partnership, [police], kinds=["referral"])
    bound, key = services.partner_token_issue(
        actor=administrator, agreement=agreement, recipient=police, name="Police system"
    )
    bound.key = key
    return bound


def revoke_url(bound):
    return reverse("sharing:partner_token_revoke", args=[bound.agreement_id, bound.pk])


def api_status(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/referrals/").status_code


def test_the_agreement_page_lists_its_partner_tokens_with_who_issued_them(
    client, administrator, issued
):
    administrator.first_name, administrator.last_name = "Ada", "Admin"
    administrator.save()
    client.force_login(administrator)

    response = client.get(reverse("sharing:agreement_detail", args=[issued.agreement_id]))

    page = response.content.decode()
    assert list(response.context["partner_tokens"]) == [issued]
    assert "Police system" in page
    assert "Ada Admin" in page
    assert "Not used" in page
    assert revoke_url(issued) in page


def test_the_data_protection_lead_revokes_a_token_another_issued_after_confirming(
    client, partnership, issued
):
    lead = UserFactory(partnership=partnership, roles=[Role.ANALYST])
    partnership.data_protection_lead = lead
    partnership.save(update_fields=["data_protection_lead"])
    client.force_login(lead)
    assert api_status(issued.key) == 200

    confirm = client.get(revoke_url(issued))
    assert confirm.status_code == 200
    assert "Yes, revoke it" in confirm.content.decode()
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None  # asking changes nothing

    response = client.post(revoke_url(issued))

    assert response.status_code == 302
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None
    assert api_status(issued.key) == 401
    event = AuditEvent.objects.get(verb="sharing.partner_token_revoked")
    assert event.actor == lead
    assert event.changes["token"] == issued.token_id
    page = client.get(reverse("sharing:agreement_detail", args=[issued.agreement_id]))
    assert "Revoked" in page.content.decode()
    assert revoke_url(issued) not in page.content.decode()


def test_revoking_twice_records_it_once(administrator, issued):
    services.partner_token_revoke(actor=administrator, partner_token=issued)
    services.partner_token_revoke(actor=administrator, partner_token=issued)

    assert AuditEvent.objects.filter(verb="sharing.partner_token_revoked").count() == 1


@pytest.mark.parametrize("role", [Role.ANALYST, Role.PROGRAMME_MANAGER, Role.GRANTS_OFFICER])
def test_other_staff_see_no_partner_tokens_and_cannot_revoke(client, partnership, issued, role):
    client.force_login(UserFactory(partnership=partnership, roles=[role]))

    page = client.get(reverse("sharing:agreement_detail", args=[issued.agreement_id]))

    assert "Police system" not in page.content.decode()
    assert client.post(revoke_url(issued)).status_code in (403, 404)
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_another_partnerships_administrator_cannot_revoke(issued, other_partnership):
    outsider = UserFactory(partnership=other_partnership, roles=[Role.ADMINISTRATOR])

    with pytest.raises(PermissionDenied):
        services.partner_token_revoke(actor=outsider, partner_token=issued)
    assert PartnerToken.objects.get().token.revoked_at is None
