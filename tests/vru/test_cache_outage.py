"""With the cache (Redis) down or unreachable, nobody sees an error: signing in (password,
then the authenticator code), pages and the API work, because sessions live in the
database and the cache's counters fall back to a memory cache per process (vru.cache).
"Down" points the cache at a port nothing listens on; the real Redis keeps running."""

import logging
import socket

import pytest
from django.core.cache import cache

from tests.factories import TEST_PASSWORD, UserFactory
from vru import accounts, services
from vru import cache as vru_cache
from vru.models import Role

pytestmark = pytest.mark.django_db

OFFICE = "198.51.100.20"


@pytest.fixture
def cache_down(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {"BACKEND": "vru.cache.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}
    }
    vru_cache._down_until.clear()
    yield
    vru_cache._down_until.clear()


@pytest.mark.usefixtures("cache_down")
def test_with_the_cache_down_signing_in_with_password_and_code_still_works(
    client, partnership, settings
):
    settings.VRU_MFA_REQUIRED = True
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana")
    services.mfa_totp_enrol(actor=None, user=user)

    assert client.get("/accounts/login/").status_code == 200
    password = client.post(
        "/accounts/login/", {"login": "ana", "password": TEST_PASSWORD}, REMOTE_ADDR=OFFICE
    )
    assert password["Location"] == "/accounts/2fa/authenticate/"
    code = client.post(
        "/accounts/2fa/authenticate/",
        {"code": accounts.current_totp_code(user)},
        REMOTE_ADDR=OFFICE,
    )

    assert code["Location"] == "/"
    assert client.get("/").status_code == 200


@pytest.mark.usefixtures("cache_down")
def test_with_the_cache_down_a_wrong_password_is_still_refused(client, partnership):
    UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana")

    response = client.post(
        "/accounts/login/", {"login": "ana", "password": "not-it"}, REMOTE_ADDR=OFFICE
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("cache_down")
def test_with_the_cache_down_pages_and_the_api_still_answer(client, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))

    assert client.get("/neighbourhoods/").status_code == 200
    assert client.get("/api/lsoas/").status_code == 200  # the API's rate counts per user
    assert client.get("/accounts/sessions/").status_code == 200


@pytest.mark.usefixtures("cache_down")
def test_an_outage_is_logged_once_and_the_memory_cache_stands_in(caplog):
    with caplog.at_level(logging.WARNING, logger="vru.cache"):
        cache.set("counter", 3)
        cache.incr("counter")
        value = cache.get("counter")

    assert value == 4
    assert [r.getMessage() for r in caplog.records].count(
        next(r.getMessage() for r in caplog.records)
    ) == 1
    assert "unreachable" in caplog.records[0].getMessage()
