"""A password hash re-made for a new hasher, and the street-work phones. When the hasher's
parameters change (PBKDF2's iteration count rises with each Django release), the next correct
password check stores a new hash of the same password: not a password change. The worker's
phones keep their keys, and so their unsent records; a device already ended stays ended, and
a real password change after the upgrade still ends the other devices."""

import uuid

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.utils import timezone

from programmes.models import StreetDevice
from tests import hashers
from tests.factories import TEST_PASSWORD
from tests.programmes import test_access as access
from vru.models import AuditEvent, Role, User

pytestmark = pytest.mark.django_db

KEY = "/programmes/street/key/"
NEW_PASSWORD = "a-brand-new-passphrase-2026"


@pytest.fixture
def world(partnership, other_partnership):
    return access._build(partnership, other_partnership)


@pytest.fixture
def worker(world, settings):
    """A practitioner whose password was stored before the upgrade."""
    settings.PASSWORD_HASHERS = [hashers.BEFORE]
    user = access.make_user(world, Role.PRACTITIONER)
    User.objects.filter(pk=user.pk).update(
        password=make_password(TEST_PASSWORD, hasher=hashers.BeforeTheUpgrade())
    )
    user.refresh_from_db()
    return user


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _key(client, device):
    return client.get(KEY, {"device": str(device)})


def _gone(device) -> bool:
    return Client().get(f"/programmes/street/devices/{device}/").status_code == 410


def _sign_in(client, user, password=TEST_PASSWORD):
    return client.post("/accounts/login/", {"login": user.username, "password": password})


def _upgrade(settings, user) -> None:
    """The new release: the stored hash must now be made again (at the next sign-in)."""
    settings.PASSWORD_HASHERS = [hashers.AFTER]
    assert user.password.startswith("pbkdf2_sha256$1$")


def _rehashed(user) -> bool:
    user.refresh_from_db()
    return user.password.startswith("pbkdf2_sha256$2$")


@pytest.fixture
def phones(worker):
    """The worker's phone in hand and another phone of theirs, each signed in before the
    upgrade with its key handed: returns (phone client, its device, the other device)."""
    phone, other = _signed_in(worker), _signed_in(worker)
    in_hand, elsewhere = uuid.uuid4(), uuid.uuid4()
    assert _key(phone, in_hand).status_code == 200
    assert _key(other, elsewhere).status_code == 200
    return phone, in_hand, elsewhere


def test_signing_in_after_an_upgrade_keeps_every_phone_and_its_records(phones, worker, settings):
    phone, in_hand, elsewhere = phones
    pair = _key(phone, in_hand).json()
    _upgrade(settings, worker)

    assert _sign_in(Client(), worker).status_code == 302  # at the desk

    assert _rehashed(worker)
    assert not _gone(in_hand)
    assert not _gone(elsewhere)
    # the phone's session was signed in with the old hash: Django signs it out, as an idle
    # time-out would; the phone keeps its store and its worker signs in again
    assert _key(phone, in_hand).status_code == 302
    assert _sign_in(phone, worker).status_code == 302
    again = _key(phone, in_hand)
    assert again.status_code == 200
    assert again.json()["private"] == pair["private"]
    assert not StreetDevice.objects.filter(revoked_at__isnull=False).exists()


def test_each_device_kept_is_audited_without_a_secret(phones, worker, settings):
    _, in_hand, elsewhere = phones
    _upgrade(settings, worker)

    _sign_in(Client(), worker)

    restamped = AuditEvent.objects.filter(verb="street.device_restamped")
    assert {event.target_id for event in restamped} == {
        str(device.pk) for device in StreetDevice.objects.filter(device_id__in=[in_hand, elsewhere])
    }
    assert {event.actor for event in restamped} == {None}
    assert [event.changes for event in restamped] == [{"why": "password_rehashed"}] * 2
    assert not AuditEvent.objects.filter(verb="street.device_revoked").exists()


def test_a_hash_re_made_outside_a_request_keeps_the_devices_too(phones, worker, settings):
    _, in_hand, elsewhere = phones
    _upgrade(settings, worker)

    assert User.objects.get(pk=worker.pk).check_password(TEST_PASSWORD)  # a command, say

    assert _rehashed(worker)
    assert not _gone(in_hand)
    assert not _gone(elsewhere)


def test_a_wrong_password_re_makes_nothing(phones, worker, settings):
    _, in_hand, _ = phones
    _upgrade(settings, worker)

    assert _sign_in(Client(), worker, password="not-the-password").status_code == 200

    assert not _rehashed(worker)
    assert not AuditEvent.objects.filter(verb="street.device_restamped").exists()
    assert not _gone(in_hand)


def test_a_device_already_ended_stays_ended(phones, worker, settings):
    _, in_hand, elsewhere = phones
    StreetDevice.objects.filter(device_id=in_hand).update(password_stamp="an-earlier-password")
    StreetDevice.objects.filter(device_id=elsewhere).update(
        revoked_at=timezone.now(), revoked_why=StreetDevice.Revoked.ADMINISTRATOR
    )
    _upgrade(settings, worker)

    _sign_in(Client(), worker)

    assert _rehashed(worker)
    assert _gone(in_hand)
    assert StreetDevice.objects.get(device_id=in_hand).revoked_why == "password_changed"
    assert _gone(elsewhere)
    assert StreetDevice.objects.get(device_id=elsewhere).revoked_why == "administrator"
    assert not AuditEvent.objects.filter(verb="street.device_restamped").exists()


def test_changing_the_password_from_a_session_older_than_the_upgrade_keeps_the_phone_in_hand(
    phones, worker, settings
):
    """The change form checks the old password, which re-makes its hash in the same request
    as the change: the phone in hand is still the one kept, the other still ended."""
    phone, in_hand, elsewhere = phones
    _upgrade(settings, worker)

    changed = phone.post(
        "/accounts/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
    assert _key(phone, in_hand).status_code == 200
    assert _gone(elsewhere)
    assert StreetDevice.objects.get(device_id=elsewhere).revoked_why == "password_changed"
    assert (
        "Street work on this device keeps its unsent records; "
        "it has been ended on your other devices (1)."
        in [str(m) for m in changed.context["messages"]]
    )


def test_a_password_set_by_an_administrator_after_the_upgrade_ends_every_device(
    phones, world, worker, settings
):
    _, in_hand, elsewhere = phones
    _upgrade(settings, worker)
    _sign_in(Client(), worker)  # re-made: both devices kept so far
    admin = access.make_user(world, Role.ADMINISTRATOR)
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])

    _signed_in(admin).post(
        f"/admin/vru/user/{worker.pk}/password/",
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
    assert _gone(in_hand)
    assert _gone(elsewhere)
    assert set(
        StreetDevice.objects.filter(device_id__in=[in_hand, elsewhere]).values_list(
            "revoked_why", flat=True
        )
    ) == {"password_changed"}
