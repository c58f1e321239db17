"""Sessions on shared or lost devices: no-store, idle and absolute timeouts, clearing on
sign-out, and API rate limits."""

import datetime

import pytest
import time_machine

from vru.models import Role

pytestmark = pytest.mark.django_db


def test_signed_in_pages_are_never_stored_and_signed_out_pages_may_be(client, user_with_role):
    assert "no-store" not in client.get("/accessibility/").headers.get("Cache-Control", "")

    client.force_login(user_with_role(Role.ANALYST))

    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/api/lsoas/").headers["Cache-Control"] == "no-store"


def test_signing_out_clears_what_the_browser_kept(client, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))

    response = client.post("/accounts/logout/")

    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert client.get("/").status_code == 302


def test_a_session_ends_after_thirty_idle_minutes(client, user_with_role):
    with time_machine.travel(
        datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC), tick=False
    ) as clock:
        client.force_login(user_with_role(Role.ANALYST))
        assert client.get("/").status_code == 200
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get("/").status_code == 200  # activity keeps it alive
        clock.shift(datetime.timedelta(minutes=31))

        response = client.get("/neighbourhoods/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/neighbourhoods/")


def test_a_busy_session_still_ends_eight_hours_after_sign_in(client, user_with_role):
    with time_machine.travel(
        datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC), tick=False
    ) as clock:
        client.force_login(user_with_role(Role.ANALYST))
        for _ in range(17):  # a request every 29 minutes
            assert client.get("/").status_code == 200
            clock.shift(datetime.timedelta(minutes=29))

        assert client.get("/").status_code == 302


def test_bursts_of_api_requests_get_429_with_retry_after(client, user_with_role, settings):
    settings.VRU_API_RATE = "5/minute"
    client.force_login(user_with_role(Role.ANALYST))

    statuses = [client.get("/api/lsoas/").status_code for _ in range(6)]

    assert statuses == [200] * 5 + [429]
    assert int(client.get("/api/lsoas/").headers["Retry-After"]) > 0


def test_a_stored_session_is_checked_once_per_process_and_each_request_gets_its_own_copy(
    monkeypatch,
):
    from django.core import signing

    from vru import sessions

    store = sessions.SessionStore()
    text = store.encode({"basket": [1], "who": "ana"})
    checks = []
    real_loads = signing.loads
    monkeypatch.setattr(signing, "loads", lambda *a, **k: checks.append(1) or real_loads(*a, **k))
    sessions._CHECKED.clear()

    first = store.decode(text)
    first["basket"].append(2)  # a request changing its session in place
    second = store.decode(text)

    assert len(checks) == 1
    assert second == {"basket": [1], "who": "ana"}


def test_a_tampered_session_is_refused_every_time(caplog):
    from vru import sessions

    store = sessions.SessionStore()
    text = store.encode({"who": "ana"})
    tampered = text[:-3] + ("AAA" if not text.endswith("AAA") else "BBB")

    assert store.decode(tampered) == {}
    assert store.decode(tampered) == {}
    assert tampered not in sessions._CHECKED
    assert caplog.text.count("Session data corrupted") == 2
