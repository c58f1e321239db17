"""Every export door of personal data wired to the rule: a download or API pull for a partner
without an agreement in force exports nothing and logs nothing; with one, the disclosure log
and the young person's record show it. For the partnership's own work nothing changes."""

import pytest
from django.urls import reverse

from sharing import services
from sharing.models import DisclosureLog
from vru.models import AuditEvent

pytestmark = pytest.mark.django_db

CASELOAD = reverse("programmes:caseload")

# (name, url for a referral, is the API)
DOORS = [
    ("caseload CSV", lambda r: f"{CASELOAD}?format=csv", False),
    ("caseload XLSX", lambda r: f"{CASELOAD}?format=xlsx", False),
    ("API referral list", lambda r: "/api/referrals/", True),
    ("API referral detail", lambda r: f"/api/referrals/{r.pk}/", True),
]
IDS = [name for name, _, _ in DOORS]


def _get(client, api_client, user, url, is_api, params):
    url, _, query = url.partition("?")
    params = {**dict(p.split("=") for p in query.split("&") if p), **params}
    if is_api:
        api_client.force_authenticate(user)
        return api_client.get(url, params)
    client.force_login(user)
    return client.get(url, params)


def _exported(response, is_api) -> bool:
    if is_api:
        return response.status_code == 200
    return "attachment" in response.get("Content-Disposition", "")


def _bad_requests(agreement, police):
    yield "no agreement", {"shared_with": "partner", "recipient": police.pk}
    yield "no recipient", {"shared_with": "partner", "disclosure_agreement": agreement.pk}
    yield "ended agreement", {"recipient": police.pk, "disclosure_agreement": agreement.pk}


@pytest.mark.parametrize(("door", "url", "is_api"), DOORS, ids=IDS)
def test_a_partner_download_without_an_agreement_in_force_exports_and_logs_nothing(
    client, api_client, administrator, referral, police, agreement, door, url, is_api
):
    exports_before = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count()
    for why, params in _bad_requests(agreement, police):
        if why == "ended agreement":
            services.agreement_end(actor=administrator, agreement=agreement)
        response = _get(client, api_client, administrator, url(referral), is_api, params)

        assert not _exported(response, is_api), (door, why)
        if is_api:
            assert response.status_code == 400
            assert set(response.json()) & {"recipient", "disclosure_agreement"}, why
            assert referral.young_person.reference not in response.content.decode()
        else:
            assert response.status_code == 302
    assert not DisclosureLog.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == exports_before


@pytest.mark.parametrize(("door", "url", "is_api"), DOORS, ids=IDS)
def test_a_partner_download_under_an_agreement_is_logged_and_shown_on_the_record(
    client, api_client, administrator, referral, police, agreement, door, url, is_api
):
    params = {
        "shared_with": "partner",
        "recipient": police.pk,
        "disclosure_agreement": agreement.pk,
        "disclosure_purpose": "Joint case review",
    }

    response = _get(client, api_client, administrator, url(referral), is_api, params)

    assert _exported(response, is_api), door
    log = DisclosureLog.objects.get()
    assert (log.agreement, log.recipient, log.by, log.kind) == (
        agreement,
        police,
        administrator,
        "referral",
    )
    assert log.purpose == "Joint case review"
    assert "reason" in log.fields
    assert list(log.records.values_list("model_label", "record_id", "young_person_id")) == [
        ("programmes.referral", referral.pk, referral.young_person_id)
    ]
    client.force_login(administrator)
    page = client.get(reverse("programmes:referral_detail", args=[referral.pk]))
    assert page.context["shared_with_partners"] == [log]
    assert "Shared with partners" in page.content.decode()
    assert "Joint case review" in page.content.decode()


@pytest.mark.parametrize(("door", "url", "is_api"), DOORS, ids=IDS)
def test_a_download_for_our_own_work_needs_no_agreement(
    client, api_client, administrator, referral, door, url, is_api
):
    response = _get(client, api_client, administrator, url(referral), is_api, {})

    assert _exported(response, is_api), door
    assert not DisclosureLog.objects.exists()


def test_the_caseload_offers_only_agreements_in_force_covering_referrals(
    client, administrator, partnership, police, agreement
):
    from tests.sharing.conftest import make_agreement

    make_agreement(partnership, [police], title="Listening only", kinds=["listening"])
    client.force_login(administrator)

    page = client.get(CASELOAD)
    chooser = client.get(page.context["sharing"])

    assert "Download for a partner organisation" in page.content.decode()
    assert chooser.context["choice"].sharing["agreements"] == [agreement]
    assert chooser.context["choice"].formats == [("csv", "CSV"), ("xlsx", "XLSX")]


def test_a_refused_partner_download_says_why(client, administrator, referral, police):
    client.force_login(administrator)

    response = client.get(
        CASELOAD, {"format": "csv", "shared_with": "partner", "recipient": police.pk}, follow=True
    )

    assert "Select the information-sharing agreement" in response.content.decode()
