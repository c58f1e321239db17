"""A password hash re-made for a new hasher (the password unchanged) is announced to the apps
(vru.signals.password_rehashed) in the transaction that stores it, with the session auth hash
the user had before; a password change, or a wrong password, is not."""

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

from tests.factories import TEST_PASSWORD, UserFactory
from vru.models import User
from vru.signals import password_rehashed

pytestmark = pytest.mark.django_db


class BeforeTheUpgrade(PBKDF2PasswordHasher):
    iterations = 1


class AfterTheUpgrade(PBKDF2PasswordHasher):
    iterations = 2


@pytest.fixture
def user(settings):
    """A user whose password was stored before the upgrade, then the upgrade."""
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(
        password=make_password(TEST_PASSWORD, hasher=BeforeTheUpgrade())
    )
    user.refresh_from_db()
    settings.PASSWORD_HASHERS = [f"{__name__}.AfterTheUpgrade"]
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
