"""Where a user is signed in: the sessions page, ending one or all other sessions, the
session id rotating at sign-in, and deactivation ending every session at once."""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.test import Client

from tests.factories import TEST_PASSWORD, UserFactory
from vru import services
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)
LAPTOP = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140 Laptop"
PHONE = "Mozilla/5.0 (iPhone) Mobile Safari Phone"


def signed_in_client(username, *, agent, address):
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post("/accounts/login/", {"login": username, "password": TEST_PASSWORD})
    assert response.status_code == 302, response
    return client


@pytest.mark.parametrize("role", ALL_ROLES, ids=[r.value for r in ALL_ROLES])
def test_every_role_sees_its_own_sessions_page(client, partnership, role):
    user = UserFactory(partnership=partnership, roles=[role])
    client.force_login(user)

    response = client.get("/accounts/sessions/")

    assert response.status_code == 200
    assert "Your sessions" in response.text
    assert len(response.context["sessions"]) == 1
    assert response.context["sessions"][0]["current"]


def test_the_sessions_page_needs_sign_in(client):
    response = client.get("/accounts/sessions/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_lists_each_device_with_address_and_times_and_nobody_elses(partnership):
    # given the user signed in on a laptop and a phone, and a colleague signed in too
    UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana")
    UserFactory(partnership=partnership, roles=[Role.ANALYST], username="colleague")
    laptop = signed_in_client("ana", agent=LAPTOP, address="198.51.100.20")
    signed_in_client("ana", agent=PHONE, address="203.0.113.9")
    signed_in_client("colleague", agent=PHONE, address="192.0.2.44")

    # when
    page = laptop.get("/accounts/sessions/")

    # then
    rows = page.context["sessions"]
    assert sorted(r["device"] for r in rows) == sorted([LAPTOP, PHONE])
    assert {r["address"] for r in rows} == {"198.51.100.20", "203.0.113.9"}
    assert [r["current"] for r in rows if r["device"] == LAPTOP] == [True]
    assert all(r["signed_in"] and r["last_seen"] for r in rows)
    assert "192.0.2.44" not in page.text
    assert "Sign out of all other sessions" in page.text


def test_ending_one_other_session_signs_that_device_out(partnership):
    UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana")
    laptop = signed_in_client("ana", agent=LAPTOP, address="198.51.100.20")
    phone = signed_in_client("ana", agent=PHONE, address="203.0.113.9")
    phone_key = phone.session.session_key

    response = laptop.post("/accounts/sessions/end/", {"session": phone_key})

    assert response["Location"] == "/accounts/sessions/"
    assert phone.get("/")["Location"].startswith("/accounts/login/")
    assert laptop.get("/").status_code == 200
    assert not SessionStore().exists(phone_key)
    assert AuditEvent.objects.filter(verb="user.sessions_ended").count() == 1


def test_ending_all_other_sessions_keeps_this_one(partnership):
    UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana")
    laptop = signed_in_client("ana", agent=LAPTOP, address="198.51.100.20")
    others = [signed_in_client("ana", agent=PHONE, address=f"203.0.113.{n}") for n in (1, 2)]

    laptop.post("/accounts/sessions/end/")

    assert all(o.get("/")["Location"].startswith("/accounts/login/") for o in others)
    assert laptop.get("/").status_code == 200
    assert UserSession.objects.count() == 1


def test_nobody_can_end_someone_elses_session(partnership):
    UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana")
    UserFactory(partnership=partnership, roles=[Role.ANALYST], username="colleague")
    mine = signed_in_client("ana", agent=LAPTOP, address="198.51.100.20")
    theirs = signed_in_client("colleague", agent=PHONE, address="192.0.2.44")

    mine.post("/accounts/sessions/end/", {"session": theirs.session.session_key})

    assert theirs.get("/").status_code == 200


def test_the_current_session_is_ended_by_signing_out_not_here(partnership):
    UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana")
    laptop = signed_in_client("ana", agent=LAPTOP, address="198.51.100.20")

    response = laptop.post(
        "/accounts/sessions/end/", {"session": laptop.session.session_key}, follow=True
    )

    assert "Sign out to end the session you are using." in response.text
    assert laptop.get("/").status_code == 200


def test_the_session_id_changes_at_sign_in(client, partnership):
    # given an anonymous session already holding something
    UserFactory(partnership=partnership, roles=[Role.YOUTH_REVIEWER], username="rev")
    session = client.session
    session["seen_the_cookie_banner"] = True
    session.save()
    before = session.session_key
    client.cookies["sessionid"] = before
    assert client.session.session_key == before

    # when
    client.post("/accounts/login/", {"login": "rev", "password": TEST_PASSWORD})

    # then a new id, and the old one is gone from the store
    assert client.session.session_key != before
    assert "_auth_user_id" in client.session
    assert not SessionStore().exists(before)


def test_signing_out_ends_the_session_on_the_server(partnership):
    UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana")
    laptop = signed_in_client("ana", agent=LAPTOP, address="198.51.100.20")
    key = laptop.session.session_key

    laptop.post("/accounts/logout/")

    assert not SessionStore().exists(key)


# --- Deactivation -------------------------------------------------------------------------


def test_deactivating_a_user_ends_all_their_sessions_and_tokens(partnership):
    # given a practitioner signed in on two devices, with an API token
    admin_user = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])
    user = UserFactory(partnership=partnership, roles=[Role.PRACTITIONER], username="pat")
    devices = [
        signed_in_client("pat", agent=agent, address="198.51.100.20") for agent in (LAPTOP, PHONE)
    ]
    token, _key = services.api_token_create(actor=user, name="script")

    # when
    services.user_deactivate(actor=admin_user, user=user)

    # then
    user.refresh_from_db()
    assert not user.is_active
    assert all(d.get("/")["Location"].startswith("/accounts/login/") for d in devices)
    assert not UserSession.objects.filter(user=user).exists()
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(verb="user.deactivated")
    assert event.changes["sessions_ended"] == 2
    assert event.actor == admin_user


def test_deactivating_in_the_admin_ends_the_users_sessions(client, partnership):
    admin_user = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana")
    device = signed_in_client("ana", agent=LAPTOP, address="198.51.100.20")
    client.force_login(admin_user)

    response = client.post(
        "/admin/vru/user/",
        {"action": "deactivate", "_selected_action": [user.pk]},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert device.get("/")["Location"].startswith("/accounts/login/")


def test_unticking_active_on_the_admin_form_ends_the_users_sessions(client, partnership):
    admin_user = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana")
    device = signed_in_client("ana", agent=LAPTOP, address="198.51.100.20")
    client.force_login(admin_user)
    form = client.get(f"/admin/vru/user/{user.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "username": "ana",
            "is_active": "",
            "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
            "role_assignments-TOTAL_FORMS": "1",
            "role_assignments-INITIAL_FORMS": "1",
            "role_assignments-0-id": str(user.role_assignments.get().pk),
            "role_assignments-0-user": str(user.pk),
            "role_assignments-0-role": Role.ANALYST,
        }
    )
    data.pop("is_active")

    response = client.post(f"/admin/vru/user/{user.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert not user.is_active
    assert device.get("/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ALL_ROLES, ids=[r.value for r in ALL_ROLES])
def test_only_administrators_deactivate_users(partnership, role):
    actor = UserFactory(partnership=partnership, roles=[role])
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST])

    if role == Role.ADMINISTRATOR:
        services.user_deactivate(actor=actor, user=user)
        user.refresh_from_db()
        assert not user.is_active
    else:
        with pytest.raises(PermissionDenied):
            services.user_deactivate(actor=actor, user=user)
        user.refresh_from_db()
        assert user.is_active


def test_an_administrator_cannot_deactivate_another_partnerships_user(
    partnership, other_partnership
):
    actor = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])
    theirs = UserFactory(partnership=other_partnership, roles=[Role.ANALYST])

    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=actor, user=theirs)


def test_the_sessions_page_reads_a_constant_number_of_queries(
    partnership, django_assert_max_num_queries
):
    UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana")
    laptop = signed_in_client("ana", agent=LAPTOP, address="198.51.100.20")
    laptop.get("/accounts/sessions/")  # warm: the once-a-minute session stamps are written
    # session, user, roles (navigation), MFA check, the sessions themselves, messages: <= 8
    with django_assert_max_num_queries(8):
        one = laptop.get("/accounts/sessions/")
    for n in range(5):
        signed_in_client("ana", agent=PHONE, address=f"203.0.113.{n}")
    with django_assert_max_num_queries(8):
        six = laptop.get("/accounts/sessions/")

    assert len(one.context["sessions"]) == 1
    assert len(six.context["sessions"]) == 6
