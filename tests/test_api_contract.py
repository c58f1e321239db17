"""What schemathesis found in the API, pinned down as specifications."""

import pytest
from rest_framework.test import APIClient

from tests.factories import ApplicationFactory, GrantRoundFactory, ProgrammeFactory, ReferralFactory
from vru.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as(user_with_role):
    def sign_in(role):
        client = APIClient()
        client.force_authenticate(user_with_role(role))
        return client

    return sign_in


@pytest.fixture
def schema(api_as):
    return api_as(Role.ANALYST).get("/api/schema/", {"format": "json"}).json()


def test_every_operation_documents_the_errors_every_endpoint_can_answer(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"401", "403", "404", "429"} <= documented, f"{method.upper()} {path}"
            retry_after = operation["responses"]["429"]["headers"]["Retry-After"]
            assert retry_after["required"] is True


def test_operations_with_input_document_the_400(schema):
    operation = schema["paths"]["/api/referrals/"]["post"]

    assert "400" in operation["responses"]


def test_fields_that_can_be_empty_are_nullable_in_the_schema(schema):
    components = schema["components"]["schemas"]

    assert components["ReferralOutput"]["properties"]["assigned_to"].get("nullable") is True
    assert components["ReferralOutput"]["properties"]["home_lsoa"].get("nullable") is True
    assert components["SessionOutput"]["properties"]["lsoa"].get("nullable") is True
    assert components["RiskRunOutput"]["properties"]["created_by"].get("nullable") is True


@pytest.mark.parametrize(
    "url",
    [
        "/api/grant-applications/?grant_round=-1.343510394865059e%2B32",
        "/api/grant-awards/?grant_round=99999999999999999999999",
        "/api/referrals/?programme=1.5",
        "/api/recommendations/?needs_assessment=1e40",
        "/api/lsoas/?csp=-99999999999999999999",
    ],
)
def test_an_id_filter_the_database_cannot_hold_is_a_400_not_a_500(api_as, url):
    response = api_as(Role.ADMINISTRATOR).get(url)

    assert response.status_code == 400


def test_an_id_filter_with_a_real_id_still_filters(api_as, partnership):
    grant_round = GrantRoundFactory(partnership=partnership)
    mine = ApplicationFactory(grant_round=grant_round, status="submitted")
    ApplicationFactory(grant_round=GrantRoundFactory(partnership=partnership), status="submitted")

    response = api_as(Role.GRANTS_OFFICER).get(
        f"/api/grant-applications/?grant_round={grant_round.pk}"
    )

    assert [a["id"] for a in response.json()["results"]] == [mine.pk]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.YOUTH_REVIEWER, Role.COMMISSIONER])
def test_sorting_rounds_by_applications_is_an_empty_list_for_roles_that_see_none(api_as, role):
    response = api_as(role).get("/api/grant-rounds/?sort=-applications")

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_referral_without_assignee_or_home_neighbourhood_reads_as_nulls(api_as, partnership):
    referral = ReferralFactory(programme=ProgrammeFactory(partnership=partnership))

    body = api_as(Role.ADMINISTRATOR).get(f"/api/referrals/{referral.pk}/").json()

    assert body["assigned_to"] is None
    assert body["home_lsoa"] is None
