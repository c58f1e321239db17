"""A password hash re-made for a new hasher (the password unchanged) is announced to the apps
(vru.signals.password_rehashed) in the transaction that stores it, with the session auth hash
the user had before; a password change, or a wrong password, is not. The session the password
was given in stays signed in; the user's other sessions, signed in with the old hash, are
signed out at their next request (Django's check, as after a password change)."""

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth.hashers import make_password
from django.test import Client

from tests import hashers
from tests.factories import TEST_PASSWORD, UserFactory
from vru.models import Role, User
from vru.signals import password_rehashed

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(settings, partnership):
    """A user whose password was stored before the upgrade, then the upgrade."""
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST])
    User.objects.filter(pk=user.pk).update(
        password=make_password(TEST_PASSWORD, hasher=hashers.BeforeTheUpgrade())
    )
    user.refresh_from_db()
    settings.PASSWORD_HASHERS = [hashers.AFTER]
    return user


@pytest.fixture
def heard():
    calls = []

    def receiver(sender, user, old_session_auth_hash, **kwargs):
        calls.append((user.pk, old_session_auth_hash, user.get_session_auth_hash()))

    password_rehashed.connect(receiver, dispatch_uid="test-rehash")
    yield calls
    password_rehashed.disconnect(dispatch_uid="test-rehash")


@pytest.mark.parametrize("check", ["check_password", "acheck_password"])
def test_a_hash_re_made_is_stored_and_announced_with_the_old_session_hash(user, heard, check):
    old = user.get_session_auth_hash()
    method = getattr(user, check)

    correct = (
        async_to_sync(method)(TEST_PASSWORD) if check.startswith("a") else method(TEST_PASSWORD)
    )

    assert correct
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$2$")
    assert heard == [(user.pk, old, user.get_session_auth_hash())]
    assert old != user.get_session_auth_hash()


def test_a_wrong_password_re_makes_nothing(user, heard):
    assert not user.check_password("not-the-password")

    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$1$")
    assert heard == []


def test_a_password_change_is_not_a_re_hash(user, heard):
    user.set_password("a-brand-new-passphrase-2026")
    user.save(update_fields=["password"])  # the same save as a re-hash's

    assert user.check_password("a-brand-new-passphrase-2026")  # made by the new hasher
    assert heard == []


def test_a_receiver_that_fails_undoes_the_re_hash(user):
    def fails(sender, **kwargs):
        raise RuntimeError

    password_rehashed.connect(fails, dispatch_uid="test-rehash-fails")
    try:
        with pytest.raises(RuntimeError):
            user.check_password(TEST_PASSWORD)
    finally:
        password_rehashed.disconnect(dispatch_uid="test-rehash-fails")

    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$1$")


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_confirming_it_is_them_after_an_upgrade_keeps_them_signed_in(user):
    client = _signed_in(user)  # signed in before the upgrade

    confirmed = client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})

    assert confirmed.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$2$")
    assert client.get("/").status_code == 200


def test_a_password_change_refused_after_an_upgrade_keeps_them_signed_in(user):
    client = _signed_in(user)

    refused = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": TEST_PASSWORD,
            "password1": "a-brand-new-passphrase-2026",
            "password2": "not-the-same-passphrase-2026",
        },
    )

    assert refused.status_code == 200
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$2$")  # the old password was checked
    assert client.get("/").status_code == 200


def test_their_other_sessions_are_signed_out_at_their_next_request(user):
    elsewhere = _signed_in(user)
    desk = Client()

    desk.post("/accounts/login/", {"login": user.username, "password": TEST_PASSWORD})

    assert desk.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
