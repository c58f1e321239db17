"""The API answers every error in JSON, says 401 (with WWW-Authenticate) when it does not
know who is calling, and refuses query parameters of the wrong type with a 400 naming them."""

import pytest
from rest_framework.test import APIClient

from tests.factories import ProgrammeFactory, ReferralFactory
from vru.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as(user_with_role):
    def sign_in(*roles):
        client = APIClient()
        client.force_authenticate(user_with_role(*roles))
        return client

    return sign_in


def _json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    return response.json()


# --- JSON for every status -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/referrals/abc/", "/api/no-such-thing/", "/api/evaluations/1.5/"]
)
def test_a_url_no_api_route_matches_is_a_json_404(api_as, url):
    body = _json_error(api_as(Role.ADMINISTRATOR).get(url), 404)

    assert body == {"detail": "Not found."}


def test_a_page_that_does_not_exist_is_still_an_html_404(client, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_method_the_endpoint_does_not_take_is_a_json_405(api_as):
    body = _json_error(api_as(Role.ANALYST).delete("/api/lsoas/"), 405)

    assert "detail" in body


def test_a_server_error_under_the_api_is_a_json_500(api_as, monkeypatch):
    from vru import selectors

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "lsoa_list", broken)
    monkeypatch.setattr(selectors, "lsoa_rows", broken)  # the unfiltered list's page
    client = api_as(Role.ANALYST)
    client.raise_request_exception = False

    body = _json_error(client.get("/api/lsoas/"), 500)

    assert "logged" in body["detail"]
    assert "boom" not in str(body)


def test_a_session_write_without_the_csrf_token_is_a_json_403(user_with_role):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user_with_role(Role.PRACTITIONER))

    body = _json_error(client.post("/api/referrals/", {}, format="json"), 403)

    assert "CSRF" in body["detail"]


def test_too_many_requests_is_a_json_429_with_retry_after(api_as, settings):
    settings.VRU_API_RATE = "2/minute"
    client = api_as(Role.ANALYST)
    client.get("/api/lsoas/")
    client.get("/api/lsoas/")

    response = client.get("/api/lsoas/")

    _json_error(response, 429)
    assert int(response["Retry-After"]) > 0


# --- 401 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header", [None, "Token not-a-real-token", "Token", "Token two parts", "Basic dXNlcjpwdw=="]
)
def test_missing_or_bad_credentials_are_a_401_with_www_authenticate(api_client, header):
    if header:
        api_client.credentials(HTTP_AUTHORIZATION=header)

    response = api_client.get("/api/lsoas/")

    _json_error(response, 401)
    assert response["WWW-Authenticate"] == 'Token realm="api"'


def test_the_schema_documents_the_token_scheme(api_as):
    schema = api_as(Role.ANALYST).get("/api/schema/", {"format": "json"}).json()

    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert scheme == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": scheme["description"],
    }
    assert {"tokenAuth": []} in schema["paths"]["/api/lsoas/"]["get"]["security"]


# --- strict query parameters ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/lsoas/?page_size=false", "page_size"),
        ("/api/lsoas/?page_size=0", "page_size"),
        ("/api/lsoas/?page=abc", "page"),
        ("/api/lsoas/?page=0", "page"),
        ("/api/lsoas/?ordering=secret_field", "ordering"),
        ("/api/lsoas/?imd_decile=ten", "imd_decile"),
        ("/api/risk-runs/?is_current=maybe", "is_current"),
        ("/api/hotspots/?is_new=perhaps", "is_new"),
        ("/api/programmes/?page_size=1.5", "page_size"),
        ("/api/referrals/?page_size=false", "page_size"),
        ("/api/referrals/?cursor=not-a-cursor", "cursor"),
        ("/api/referrals/?breached=sometimes", "breached"),
        ("/api/evaluations/?status=nonsense", "status"),
        ("/api/evaluations/?programme=abc", "programme"),
        ("/api/evaluations/?sort=password", "sort"),
        ("/api/outcome-summaries/?end=31-03-2026", "end"),
        ("/api/cost-benefit/?programme=abc", "programme"),
    ],
)
def test_a_query_parameter_of_the_wrong_type_is_a_400_naming_it(api_as, url, parameter):
    body = _json_error(api_as(Role.ADMINISTRATOR).get(url), 400)

    assert list(body) == [parameter]


@pytest.mark.parametrize(
    "url",
    [
        "/api/lsoas/?page_size=500",
        "/api/lsoas/?page=last",
        "/api/lsoas/?ordering=-population,code",
        "/api/risk-runs/?is_current=true",
        "/api/hotspots/?is_new=0",
        "/api/evaluations/?status=planned&sort=-title",
        "/api/referrals/?page_size=10&sort=-due",
    ],
)
def test_well_formed_query_parameters_still_answer(api_as, url):
    assert api_as(Role.ADMINISTRATOR).get(url).status_code == 200


def test_a_page_past_the_last_is_still_a_404(api_as):
    body = _json_error(api_as(Role.ANALYST).get("/api/lsoas/?page=99"), 404)

    assert "detail" in body


def test_a_cursor_from_the_next_link_is_followed(api_as, partnership):
    programme = ProgrammeFactory(partnership=partnership)
    ReferralFactory.create_batch(3, programme=programme)
    client = api_as(Role.ADMINISTRATOR)

    first = client.get("/api/referrals/?page_size=2").json()
    second = client.get(first["next"])

    assert second.status_code == 200
    assert len(second.json()["results"]) == 1
