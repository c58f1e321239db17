"""Signing in: the real form, django-axes lockout keyed on username and address together."""

import pytest
from axes.models import AccessAttempt

from tests.factories import TEST_PASSWORD
from vru.models import Role

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
OFFICE = "198.51.100.20"


def sign_in(client, username, password, address):
    return client.post(
        "/accounts/login/",
        {"login": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_the_right_password_signs_in_and_goes_home(client, user_with_role):
    user = user_with_role(Role.ANALYST, username="ana.lyst")

    response = sign_in(client, "ana.lyst", TEST_PASSWORD, OFFICE)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_shows_the_form_again_with_an_error(client, user_with_role):
    user_with_role(Role.ANALYST, username="ana.lyst")

    response = sign_in(client, "ana.lyst", "not-the-password", OFFICE)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_five_failed_sign_ins_lock_out_the_username_from_that_address(client, user_with_role):
    # given five failures for one username from one address
    user_with_role(Role.ANALYST, username="ana.lyst")
    for _ in range(5):
        sign_in(client, "ana.lyst", "guess", ATTACKER)

    # when the right password is tried from that address
    response = sign_in(client, "ana.lyst", TEST_PASSWORD, ATTACKER)

    # then
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert (
        AccessAttempt.objects.get(username="ana.lyst", ip_address=ATTACKER).failures_since_start
        >= 5
    )


def test_four_failed_sign_ins_do_not_lock_out(client, user_with_role):
    user_with_role(Role.ANALYST, username="ana.lyst")
    for _ in range(4):
        sign_in(client, "ana.lyst", "guess", ATTACKER)

    response = sign_in(client, "ana.lyst", TEST_PASSWORD, ATTACKER)

    assert response.status_code == 302


def test_a_locked_out_user_can_still_sign_in_from_another_address(client, user_with_role):
    # given the username locked out from the attacker's address
    user = user_with_role(Role.ANALYST, username="ana.lyst")
    for _ in range(6):
        sign_in(client, "ana.lyst", "guess", ATTACKER)

    # when the real user signs in from the office
    response = sign_in(client, "ana.lyst", TEST_PASSWORD, OFFICE)

    # then
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_failures_against_one_username_do_not_lock_out_another_from_that_address(
    client, user_with_role
):
    user_with_role(Role.ANALYST, username="ana.lyst")
    colleague = user_with_role(Role.PRACTITIONER, username="priya.practitioner")
    for _ in range(6):
        sign_in(client, "ana.lyst", "guess", ATTACKER)

    response = sign_in(client, "priya.practitioner", TEST_PASSWORD, ATTACKER)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_a_signed_in_user_opening_the_login_page_goes_home(client, user_with_role):
    client.force_login(user_with_role(Role.COMMISSIONER))

    response = client.get("/accounts/login/")

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_healthz_reports_the_database_ok_without_sign_in(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["database"] == "ok"
    assert "no-cache" in response["Cache-Control"]
