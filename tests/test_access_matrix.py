"""The whole-site access matrix (tests/access_matrix.py) tried for real.

1. Every route of the URL configuration has an entry, and every entry is a route.
2. Every role (and anonymous) is tried on every door, with records inside its scope, in its
   partnership outside its scope, and in another partnership. Allowed: the documented status.
   Refused: 403 or 404 for signed-in users; the sign-in page (pages) or 401/403 (API) for
   anonymous. Refused roles are also tried with POST on GET doors (a form that checks only
   on GET would show here). Never a 500, never another partnership's names.

The per-app tests (tests/*/test_access.py) say what each role sees on a page; this is the
complement that makes sure no door was forgotten.
"""

import functools
import json
from dataclasses import dataclass

import pytest
from django.contrib.admin import site as admin_site
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import access_matrix as matrix
from tests.access_world import OTHER_MARKER, build_world, user_for
from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ANONYMOUS_REFUSED_API = {401, 403}
REFUSED = {403, 404}


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the path of an unnamed pattern
    pattern: str
    view: str
    named: bool


def _walk(resolver, prefix="", namespace=None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == admin_site.name:
                continue  # the admin site: matrix.ADMIN_SITE
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            path = prefix + str(pattern.pattern)
            if pattern.name:
                key = f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                key = path
            callback = pattern.callback
            view = f"{callback.__module__}.{getattr(callback, '__name__', callback)}"
            yield Route(key, path, view, bool(pattern.name))


def site_routes() -> dict[str, Route]:
    routes = {}
    for route in _walk(get_resolver()):
        routes.setdefault(route.key, route)  # format-suffix variants share a name
    return routes


@functools.cache
def unnamed_routes() -> frozenset[str]:
    return frozenset(key for key, route in site_routes().items() if not route.named)


def test_every_route_has_an_entry_in_the_access_matrix():
    missing = [r for key, r in site_routes().items() if key not in matrix.ROUTES]

    assert not missing, "\n".join(
        f"Route {r.key!r} (/{r.pattern}, view {r.view}) has no entry in the access matrix. "
        f"Add one line to ROUTES in tests/access_matrix.py saying which roles may open it, "
        f'e.g.  "{r.key}": door(STAFF, objects="<world key>"),  '
        f"(see the module docstring; add the record to tests/access_world.py if it is new)"
        for r in missing
    )


def test_every_entry_of_the_access_matrix_is_a_route():
    stale = sorted(set(matrix.ROUTES) - set(site_routes()))

    assert not stale, f"tests/access_matrix.py lists routes that no longer exist: {stale}"


# --- trying every door -------------------------------------------------------------------


def _url(key: str, door: matrix.Door, record) -> str:
    kwargs = dict(door.kwargs)
    query = door.query.format(pk=getattr(record, "pk", ""))
    if record is not None:
        kwargs.update(matrix.KWARGS.get(door.objects, lambda o: {"pk": o.pk})(record))
    if key in unnamed_routes():
        return "/" + key + query  # an unnamed pattern, keyed by its path
    return reverse(key, kwargs=kwargs) + query


def _request(client, method: str, url: str):
    """One request inside a savepoint that is rolled back, so a door that writes leaves
    the world as it was for the next one."""

    class UndoError(Exception):
        pass

    response = None
    try:
        with transaction.atomic():
            response = getattr(client, method)(url)
            # reading a streamed body closes the response (and its file) as a server would;
            # the client has closed the others (closing again would fire request_finished
            # and close the test's database connection on PostgreSQL)
            if getattr(response, "streaming", False):
                response.content_bytes = b"".join(response.streaming_content)
            else:
                response.content_bytes = response.content
            raise UndoError
    except UndoError:
        pass
    return response


def _is_empty_list(response) -> bool:
    try:
        data = json.loads(response.content_bytes)
    except ValueError:
        return False
    return data == [] or (isinstance(data, dict) and data.get("results") == [])


def _refusal_problem(role: str, url: str, response, door: matrix.Door) -> str | None:
    status = response.status_code
    if door.empty_when_refused and role != matrix.ANONYMOUS and status == 200:
        return None if _is_empty_list(response) else "200 with records (want an empty list)"
    if role == matrix.ANONYMOUS:
        if url.startswith("/api/"):
            return None if status in ANONYMOUS_REFUSED_API else f"{status} (want 401/403)"
        location = response.get("Location", "")
        if status == 302 and location.startswith(reverse("login")):
            return None
        return f"{status} (want a redirect to sign in)"
    return None if status in REFUSED else f"{status} (want 403/404)"


def _cases(world):
    """Every (route, door, variant, record) to try."""
    for key in sorted(matrix.ROUTES):
        for door in matrix.doors(key):
            if door.objects is None:
                yield key, door, "-", None
                continue
            for variant, record in world[door.objects].items():
                yield key, door, variant, record


def _expected_allowed(role: str, door: matrix.Door, variant: str) -> bool:
    if variant == "other":
        return matrix.ANONYMOUS in door.allowed  # public pages show public records anywhere
    if variant == "out":
        return role in door.allowed_out
    return role in door.allowed


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back when it ends; each role's
    test runs in a savepoint inside it (and each request in one of its own, _request)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(PartnershipFactory(), PartnershipFactory())
        transaction.set_rollback(True)


@pytest.mark.parametrize("role", matrix.ROLES, ids=[str(r) for r in matrix.ROLES])
def test_every_role_on_every_door(client, world, role, record_property):
    user = user_for(world, role)

    def sign_in():
        if user is not None:
            client.force_login(user)

    sign_in()
    problems, tried = [], 0
    for key, door, variant, record in _cases(world):
        url = _url(key, door, record)
        allowed = _expected_allowed(role, door, variant)
        attempts = [(door.method, True)]
        if not allowed and door.method == "get":
            attempts.append(("post", False))  # a refused role cannot post either
        for method, documented in attempts:
            tried += 1
            where = f"{method.upper()} {url} [{key}, {variant}]"
            try:
                response = _request(client, method, url)
            except Exception as error:  # a 500 in production
                problems.append(f"{where}: raised {type(error).__name__}: {error}")
                continue
            finally:
                if key in matrix.SIGNS_OUT:
                    sign_in()
            status = response.status_code
            if allowed:
                if status not in door.ok:
                    problems.append(f"{where}: {status}, documented {sorted(door.ok)}")
            elif not (not documented and status == 405):
                problem = _refusal_problem(role, url, response, door)
                if problem:
                    problems.append(f"{where}: refused role got {problem}")
            if variant != "other" and OTHER_MARKER.encode() in response.content_bytes:
                problems.append(f"{where}: shows another partnership's records")

    record_property("requests", tried)  # in the JUnit report: roles x doors tried
    assert not problems, f"{role}: {len(problems)} of {tried} requests wrong:\n" + "\n".join(
        problems
    )


@pytest.mark.parametrize("role", matrix.ROLES, ids=[str(r) for r in matrix.ROLES])
def test_the_admin_site_opens_only_to_its_roles(client, partnership, role):
    if role != matrix.ANONYMOUS:
        client.force_login(UserFactory(partnership=partnership, roles=[role]))
    response = client.get(reverse("admin:index"))

    if role in matrix.ADMIN_SITE.allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
