"""Requests over the API: the same people and rules as the pages."""

import pytest

from rights.models import SubjectAccessRequest
from tests.factories import ProgrammeFactory, ReferralFactory
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(partnership):
    return ReferralFactory(programme=ProgrammeFactory(partnership=partnership))


def payload(referral, **changes):
    return {
        "young_person": referral.young_person.reference,
        "request_kind": "access",
        "requester_name": "A parent",
        "relationship": "parent",
        "identity_check": "parental",
        "received_on": "2026-11-30",
        **changes,
    }


def test_an_administrator_logs_and_extends_a_request(api_client, referral, user_with_role):
    api_client.force_authenticate(user_with_role(Role.ADMINISTRATOR))

    made = api_client.post("/api/subject-access-requests/", payload(referral), format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["due_on"] == "2026-12-30"
    assert body["young_person"] == referral.young_person.reference
    assert "requester_name" not in body

    extended = api_client.post(
        f"/api/subject-access-requests/{body['id']}/extend/",
        {"months": 1, "reason": "Records in several programmes"},
        format="json",
    )
    assert extended.json()["due_on"] == "2027-01-30"
    assert AuditEvent.objects.filter(verb="subject_access.extended").count() == 1


def test_an_extension_beyond_two_months_is_a_400(api_client, referral, user_with_role):
    api_client.force_authenticate(user_with_role(Role.ADMINISTRATOR))
    made = api_client.post("/api/subject-access-requests/", payload(referral), format="json")

    response = api_client.post(
        f"/api/subject-access-requests/{made.json()['id']}/extend/",
        {"months": 3, "reason": "Too long"},
        format="json",
    )

    assert response.status_code == 400


def test_an_unknown_reference_is_a_400(api_client, referral, user_with_role):
    api_client.force_authenticate(user_with_role(Role.ADMINISTRATOR))

    response = api_client.post(
        "/api/subject-access-requests/", payload(referral, young_person="YP-NONE9"), format="json"
    )

    assert response.status_code == 400
    assert "young_person" in response.json()
    assert not SubjectAccessRequest.objects.exists()


def test_other_roles_cannot_log_one(api_client, referral, user_with_role):
    api_client.force_authenticate(user_with_role(Role.PROGRAMME_MANAGER))

    response = api_client.post("/api/subject-access-requests/", payload(referral), format="json")

    assert response.status_code == 403
    assert not SubjectAccessRequest.objects.exists()
