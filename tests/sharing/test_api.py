"""The sharing API reads what the pages show, scoped to the caller's partnership, and is in
the OpenAPI document; the referral endpoints document how a pull names its agreement."""

import pytest

from sharing import services
from tests.factories import UserFactory
from vru.models import Role

pytestmark = pytest.mark.django_db


def test_agreements_are_listed_with_their_status_for_the_callers_partnership_only(
    api_client, partnership, other_partnership, agreement
):
    services.organisation_save(
        actor=None, partnership=other_partnership, name="Elsewhere Police", kind="police"
    )
    api_client.force_authenticate(UserFactory(partnership=partnership, roles=[Role.ANALYST]))

    agreements = api_client.get("/api/sharing-agreements/").json()["results"]
    organisations = api_client.get("/api/sharing-organisations/").json()["results"]

    assert [(a["title"], a["status"], a["kinds"]) for a in agreements] == [
        ("Police referrals", "in_force", ["referral", "identity"])
    ]
    assert [o["name"] for o in organisations] == ["Essex Police"]


def test_the_disclosure_log_is_not_for_every_member_of_staff(api_client, partnership, agreement):
    api_client.force_authenticate(UserFactory(partnership=partnership, roles=[Role.ANALYST]))

    assert api_client.get("/api/disclosures/").json()["results"] == []


def test_the_schema_describes_the_sharing_endpoints_and_the_disclosure_parameters(
    api_client, administrator
):
    api_client.force_authenticate(administrator)

    schema = api_client.get("/api/schema/", {"format": "json"}).json()

    for path in (
        "/api/sharing-agreements/",
        "/api/sharing-agreements/{id}/",
        "/api/sharing-organisations/",
        "/api/sharing-organisations/{id}/",
        "/api/disclosures/",
        "/api/disclosures/{id}/",
    ):
        assert set(schema["paths"][path]) == {"get"}, path
    for path in ("/api/referrals/", "/api/referrals/{id}/"):
        names = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert {"recipient", "disclosure_agreement", "disclosure_purpose"} <= names, path
