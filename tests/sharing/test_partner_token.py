"""A token issued for a partner organisation under an agreement is that partner by itself:
every pull of personal data with it is recorded against the agreement without naming it,
refused once the agreement is not in force or does not cover the data, and it reads only
the API doors that record disclosures."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from programmes import services as programme_services
from sharing import services
from sharing.models import DisclosureLog, PartnerToken
from tests.sharing.conftest import make_agreement
from vru import services as core_services
from vru.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_client(administrator, partnership, police, referral):
    agreement = make_agreement(partnership, [police], kinds=["referral", "case_notes"])
    bound, key = services.partner_token_issue(
        actor=administrator, agreement=agreement, recipient=police, name="Police system"
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.bound = bound
    return client


def test_a_partner_tokens_pull_is_recorded_against_its_agreement_by_itself(
    partner_client, police, referral
):
    response = partner_client.get("/api/referrals/")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [referral.pk]
    log = DisclosureLog.objects.get()
    assert (log.agreement, log.recipient, log.kind) == (
        partner_client.bound.agreement,
        police,
        "referral",
    )
    assert list(log.records.values_list("record_id", flat=True)) == [referral.pk]

    assert partner_client.get(f"/api/referrals/{referral.pk}/").status_code == 200
    assert DisclosureLog.objects.count() == 2


def test_a_partner_token_is_refused_once_its_agreement_has_ended(partner_client):
    services.agreement_end(actor=None, agreement=partner_client.bound.agreement)

    response = partner_client.get("/api/referrals/")

    assert response.status_code == 403
    assert "has ended" in response.json()["detail"]
    assert not DisclosureLog.objects.exists()


def test_a_partner_token_is_refused_data_its_agreement_does_not_cover(
    partner_client, administrator, referral
):
    programme_services.outcome_record(
        actor=administrator,
        referral=referral,
        kind="diverted",
        achieved_on=timezone.localdate(),
    )
    agreement = partner_client.bound.agreement
    agreement.kinds = ["case_notes"]
    agreement.save(update_fields=["kinds"])

    assert partner_client.get("/api/referrals/").status_code == 403
    assert partner_client.get("/api/contacts/").status_code == 200
    assert not DisclosureLog.objects.filter(kind="referral").exists()


def test_a_partner_token_cannot_name_another_partner_or_agreement(
    partner_client, partnership, police, hospital
):
    other = make_agreement(partnership, [police, hospital], title="Health", kinds=["referral"])

    for params in ({"recipient": hospital.pk}, {"disclosure_agreement": other.pk}):
        assert partner_client.get("/api/referrals/", params).status_code == 400
    assert not DisclosureLog.objects.exists()


def test_a_partner_token_reads_only_the_doors_that_record_disclosures(partner_client):
    for url in ("/api/programmes/", "/api/sessions/", "/api/sharing-agreements/"):
        assert partner_client.get(url).status_code == 403, url


def test_a_personal_token_is_not_a_partner(administrator, referral):
    _token, key = core_services.api_token_create(actor=administrator, name="Mine")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert client.get("/api/referrals/").status_code == 200
    assert client.get("/api/programmes/").status_code == 200
    assert not DisclosureLog.objects.exists()


def test_the_lead_issues_a_partner_token_on_the_agreement_and_sees_its_key_once(
    client, administrator, partnership, police
):
    agreement = make_agreement(partnership, [police])
    client.force_login(administrator)
    url = reverse("sharing:partner_token_issue", args=[agreement.pk])

    response = client.post(url, {"recipient": police.pk, "name": "", "days": 30})

    bound = PartnerToken.objects.get()
    assert (bound.agreement, bound.recipient, bound.token.read_only) == (agreement, police, True)
    assert response.context["key"].startswith("vru_")
    assert AuditEvent.objects.filter(verb="sharing.partner_token_issued").exists()


def test_no_partner_token_is_issued_under_an_agreement_not_in_force(
    client, administrator, partnership, police
):
    agreement = make_agreement(partnership, [police])
    services.agreement_end(actor=None, agreement=agreement)
    client.force_login(administrator)

    response = client.post(
        reverse("sharing:partner_token_issue", args=[agreement.pk]), {"recipient": police.pk}
    )

    assert response.status_code == 200
    assert "has ended" in response.content.decode()
    assert not PartnerToken.objects.exists()
