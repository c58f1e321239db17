"""schemathesis against the OpenAPI schema (drf-spectacular), as every role and anonymous:
no 5xx, no status code the schema does not document, every response matches its schema.

Fixed seed (hypothesis ``derandomize``) and a bounded number of examples per operation, so
it runs in the normal test run in well under a minute. Each operation is tried with
generated arguments (mostly records that do not exist or are out of reach: 404s, 400s) and
with the ids of real records in the caller's scope (the access matrix's world), so the
documented 200 responses are checked against real data too. A nightly job can raise
``EXAMPLES`` and drop ``derandomize`` for a random seed.
"""

import functools
import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks as core_checks
from schemathesis.specs.openapi import checks as openapi_checks

from tests import access_matrix as matrix
from tests.access_world import build_world, user_for
from vru import services
from vru.models import ApiToken

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = 2  # generated cases per operation and role
EXAMPLES_WITH_REAL_IDS = 2  # cases per operation and role with a record in the caller's scope
CHECKS = [
    core_checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]
SETTINGS = settings(
    derandomize=True,  # the fixed seed
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
    report_multiple_bugs=False,
)


@functools.cache
def api_schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    schema.app = get_wsgi_application()
    return schema


def real_path_parameters(operation, world) -> dict | None:
    """The path arguments of a record in the caller's scope, found through the access
    matrix: which route the path is, which kind of record fills it."""
    names = [p.name for p in operation.path_parameters]
    if not names:
        return None
    sample = operation.path
    for name in names:
        sample = sample.replace("{" + name + "}", "E01000001" if name == "code" else "1")
    match = resolve(sample)
    key = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    objects = matrix.doors(key)[0].objects
    record = world[objects]["in"]
    kwargs = matrix.KWARGS.get(objects, lambda o: {"pk": o.pk})(record)
    return {("id" if k == "pk" else k): v for k, v in kwargs.items()}


def run_operation(operation, strategy, examples: int, counter: list) -> str | None:
    @settings(SETTINGS, max_examples=examples)
    @given(case=strategy)
    def run(case):
        counter[0] += 1
        case.call_and_validate(checks=CHECKS)

    try:
        run()
    except BaseException as error:  # schemathesis' FailureGroup is an exception group
        return f"{operation.label}: {str(error)[:1500]}"
    return None


@pytest.fixture
def keep_the_test_connection():
    """schemathesis calls the WSGI handler itself, whose request_started and request_finished
    signals would close the database connection holding the test's transaction (PostgreSQL);
    Django's own test client disconnects them the same way."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def _role_token(user) -> str:
    _token, key = services.api_token_create(actor=user, name="contract", scope=ApiToken.Scope.ROLE)
    return key


def test_the_api_keeps_its_contract_for_every_role(
    partnership, other_partnership, record_property, keep_the_test_connection
):
    world = build_world(partnership, other_partnership)
    operations = [result.ok() for result in api_schema().get_all_operations()]
    failures = []
    for role in matrix.ROLES:
        user = user_for(world, role)
        headers = {"Authorization": f"Token {_role_token(user)}"} if user else {}
        cases = [0]
        for operation in operations:
            generated = operation.as_strategy(headers=headers)
            examples = EXAMPLES if user else 1  # signed out, every operation is a 401
            failures.append(run_operation(operation, generated, examples, cases))
            path_parameters = real_path_parameters(operation, world)
            if user and path_parameters:
                real = operation.as_strategy(headers=headers, path_parameters=path_parameters)
                failures.append(run_operation(operation, real, EXAMPLES_WITH_REAL_IDS, cases))
        record_property(f"cases {role}", cases[0])
        failures = [f"{role}: {f}" if f and not f.startswith(str(role)) else f for f in failures]

    problems = [f for f in failures if f]
    assert not problems, "\n\n".join(problems)
