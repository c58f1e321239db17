"""A password change and the street-work phones: a worker who changes their own password keeps
the unsent records on the phone they change it from (the session they proved their password
in); every other device of theirs ends, as every other session does. A password set by
someone else (an administrator), or by a reset link, ends them all."""

import uuid

import pytest
from django.test import Client

from programmes.models import StreetDevice
from tests.factories import TEST_PASSWORD
from tests.programmes import test_access as access
from vru import services as vru_services
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

KEY = "/programmes/street/key/"
NEW_PASSWORD = "a-brand-new-passphrase-2026"


@pytest.fixture
def world(partnership, other_partnership):
    return access._build(partnership, other_partnership)


@pytest.fixture
def worker(world):
    return access.make_user(world, Role.PRACTITIONER)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _key(client, device):
    return client.get(KEY, {"device": str(device)})


def _gone(device) -> bool:
    return Client().get(f"/programmes/street/devices/{device}/").status_code == 410


def _why(device) -> str:
    return StreetDevice.objects.get(device_id=device).revoked_why


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def phones(worker):
    """The worker's phone in hand and another phone of theirs, each with its own session and
    its key handed: returns (phone client, its device, the other device)."""
    phone, other = _signed_in(worker), _signed_in(worker)
    in_hand, elsewhere = uuid.uuid4(), uuid.uuid4()
    assert _key(phone, in_hand).status_code == 200
    assert _key(other, elsewhere).status_code == 200
    return phone, in_hand, elsewhere


def test_changing_their_own_password_keeps_the_phone_in_hand(phones, worker):
    phone, in_hand, elsewhere = phones
    pair = _key(phone, in_hand).json()

    changed = phone.post(
        "/accounts/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
    again = _key(phone, in_hand)  # the same signed-in session: its key, its records
    assert again.status_code == 200
    assert again.json()["private"] == pair["private"]
    assert not _gone(in_hand)
    assert _gone(elsewhere)
    assert _why(elsewhere) == "password_changed"
    assert (
        "Street work on this device keeps its unsent records; "
        "it has been ended on your other devices (1)." in _messages(changed)
    )
    kept = AuditEvent.objects.get(verb="street.device_kept")
    assert (kept.actor, kept.target_id) == (
        worker,
        str(StreetDevice.objects.get(device_id=in_hand).pk),
    )
    assert AuditEvent.objects.get(verb="street.device_revoked").actor == worker


def test_changing_it_twice_from_the_phone_keeps_the_phone(phones, worker):
    phone, in_hand, _ = phones
    for old, new in (
        (TEST_PASSWORD, "a-first-new-passphrase"),
        ("a-first-new-passphrase", NEW_PASSWORD),
    ):
        phone.post(
            "/accounts/password/change/", {"oldpassword": old, "password1": new, "password2": new}
        )

    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
    assert _key(phone, in_hand).status_code == 200
    assert AuditEvent.objects.filter(verb="street.device_kept").count() == 2


def test_the_phone_kept_gets_its_key_again_after_signing_in_with_the_new_password(phones, worker):
    phone, in_hand, _ = phones
    phone.post(
        "/accounts/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    phone.logout()  # as an idle time-out: the device waits for sign-in

    assert not _gone(in_hand)
    signed_in = phone.post("/accounts/login/", {"login": worker.username, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert _key(phone, in_hand).status_code == 200


def test_setting_a_first_password_keeps_the_phone_in_hand(worker):
    worker.set_unusable_password()  # signed in some other way so far
    worker.save()
    phone, other = _signed_in(worker), _signed_in(worker)
    in_hand, elsewhere = uuid.uuid4(), uuid.uuid4()
    _key(phone, in_hand)
    _key(other, elsewhere)

    phone.post("/accounts/password/set/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
    assert _key(phone, in_hand).status_code == 200
    assert _gone(elsewhere)


@pytest.mark.parametrize(
    ("door", "form"),
    [
        (
            "/admin/password_change/",
            {
                "old_password": TEST_PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        ),
        (
            "/admin/vru/user/{pk}/password/",
            {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        ),
    ],
    ids=["the admin's own page", "the admin's form for themselves"],
)
def test_an_administrator_changing_their_own_password_in_the_admin_keeps_their_phone(
    phones, worker, door, form
):
    phone, in_hand, elsewhere = phones
    vru_services.user_roles_set(
        actor=None, user=worker, roles=[Role.PRACTITIONER, Role.ADMINISTRATOR]
    )

    changed = phone.post(door.format(pk=worker.pk), form)

    assert changed.status_code == 302
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
    assert _key(phone, in_hand).status_code == 200
    assert _gone(elsewhere)


def test_a_device_already_ended_by_an_earlier_password_is_not_revived(phones, worker):
    phone, in_hand, _ = phones
    StreetDevice.objects.filter(device_id=in_hand).update(password_stamp="an-earlier-password")

    phone.post(
        "/accounts/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert _key(phone, in_hand).status_code == 410
    assert _why(in_hand) == "password_changed"
    assert not AuditEvent.objects.filter(verb="street.device_kept").exists()


def test_an_administrator_setting_the_password_ends_every_device(phones, world, worker):
    phone, in_hand, elsewhere = phones
    admin = access.make_user(world, Role.ADMINISTRATOR)
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    desk = _signed_in(admin)

    changed = desk.post(
        f"/admin/vru/user/{worker.pk}/password/",
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
    assert _gone(in_hand)
    assert _gone(elsewhere)
    assert {_why(in_hand), _why(elsewhere)} == {"password_changed"}
    assert "Street work has been ended on their devices (2)." in _messages(changed)
    revoked = AuditEvent.objects.filter(verb="street.device_revoked")
    assert [event.actor for event in revoked] == [admin, admin]
    assert not AuditEvent.objects.filter(verb="street.device_kept").exists()
    assert _key(phone, in_hand).status_code == 302  # that session is signed out too


def _reset_by_link(client, mailoutbox, user):
    user.email = "worker@example.org"
    user.save(update_fields=["email"])
    client.post("/accounts/password/reset/", {"email": user.email})
    link = next(
        line for line in mailoutbox[-1].body.splitlines() if "/accounts/password/reset/key/" in line
    )
    form = client.get(link[link.index("/accounts/") :].strip(), follow=True)
    return client.post(
        form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )


@pytest.mark.parametrize("where", ["signed out", "signed in on the phone"])
def test_a_reset_by_email_link_ends_every_device(phones, worker, mailoutbox, where):
    phone, in_hand, elsewhere = phones

    done = _reset_by_link(
        phone if where == "signed in on the phone" else Client(), mailoutbox, worker
    )

    assert done.status_code == 302
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
    assert _gone(in_hand)
    assert _gone(elsewhere)
    assert AuditEvent.objects.filter(verb="street.device_revoked").count() == 2
    assert not AuditEvent.objects.filter(verb="street.device_kept").exists()


def test_another_users_phone_is_untouched_by_a_password_change(phones, world, worker):
    phone, _, _ = phones
    colleague = access.make_user(world, Role.PRACTITIONER)
    theirs = uuid.uuid4()
    assert _key(_signed_in(colleague), theirs).status_code == 200

    phone.post(
        "/accounts/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert not _gone(theirs)
