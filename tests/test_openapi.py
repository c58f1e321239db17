"""The OpenAPI document builds, validates, describes the promised endpoints, and is served
only to signed-in users."""

import pytest
import yaml
from openapi_spec_validator import validate

from vru.models import Role

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/lsoas/",
    "/api/lsoas/{code}/",
    "/api/needs-assessments/",
    "/api/needs-assessments/{id}/",
    "/api/recommendations/",
    "/api/recommendations/{id}/",
    "/api/success-measures/",
    "/api/success-measures/{id}/",
]


@pytest.fixture
def signed_in_api(api_client, user_with_role):
    api_client.force_authenticate(user_with_role(Role.COMMISSIONER))
    return api_client


def test_the_schema_is_a_valid_openapi_3_document(signed_in_api):
    response = signed_in_api.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "VRU platform API"


def test_the_yaml_schema_is_the_same_document(signed_in_api):
    as_json = signed_in_api.get("/api/schema/", {"format": "json"}).json()

    response = signed_in_api.get("/api/schema/")

    assert response.status_code == 200
    assert yaml.safe_load(response.content) == as_json


def test_the_schema_describes_every_core_endpoint_read_only(signed_in_api):
    schema = signed_in_api.get("/api/schema/", {"format": "json"}).json()

    assert set(PATHS) <= set(schema["paths"])
    for path in PATHS:
        assert set(schema["paths"][path]) == {"get"}, path


def test_the_schema_documents_each_success_measure_value_and_its_suppression(signed_in_api):
    schema = signed_in_api.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]

    values = components["SuccessMeasureOutput"]["properties"]["values"]
    items = values["items"]
    if "$ref" in items:
        items = components[items["$ref"].rsplit("/", 1)[-1]]

    # A client must learn from the schema that a value may be the text "<5".
    assert items.get("properties", {}).get("value", {}).get("type") == "string"
    assert {"suppressed", "change_from_baseline_percent"} <= set(items["properties"])


def test_the_schema_is_not_served_to_anonymous_callers(api_client):
    response = api_client.get("/api/schema/")

    assert response.status_code in {401, 403}
