"""Street work sent late from a phone: each record stored once whatever the number of tries,
keeping the time it was made, judged by the same rules as the session pages, and only for
the worker's own programmes."""

import datetime
import json
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from programmes import selectors, services
from programmes.models import DetachedContact, Session, StreetDevice, StreetRecord
from tests.factories import LSOAFactory, ProgrammeFactory, programme_staff
from tests.programmes import test_access as access
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

make_user = access.make_user
ALL_ROLES, ROLE_IDS, CASE_ROLES = access.ALL_ROLES, access.ROLE_IDS, access.CASE_ROLES


@pytest.fixture
def world(partnership, other_partnership):
    """test_access's world, built for each test here (that module builds it once and shares it)."""
    return access._build(partnership, other_partnership)


SYNC = "/programmes/street/sync/"
KEY = "/programmes/street/key/"
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[0.40, 51.70], [0.50, 51.70], [0.50, 51.80], [0.40, 51.80], [0.40, 51.70]]],
}


def _session(programme, made_at=None, **extra):
    made_at = made_at or timezone.now() - datetime.timedelta(hours=1)
    return {
        "id": str(uuid.uuid4()),
        "type": "session",
        "made_at": made_at.isoformat(),
        "programme": programme.pk,
        "kind": "detached",
        "place": "Park by the station",
        "counts": [
            {"age_band": "14-17", "gender": "male", "count": 3},
            {"age_band": "14-17", "gender": "female", "count": 2},
        ],
        "issues_raised": "Knife seen last week",
        **extra,
    }


def _contact(session_record):
    return {
        "id": str(uuid.uuid4()),
        "type": "contact",
        "made_at": session_record["made_at"],
        "session": session_record["id"],
        "age_band": "14-17",
        "gender": "female",
        "summary": "Asked about the boxing club",
    }


def _send(client, records):
    response = client.post(SYNC, {"records": records}, content_type="application/json")
    assert response.status_code == 200, response.content
    return [(r["status"], r.get("reason", "")) for r in response.json()["results"]]


@pytest.fixture
def worker(client, world):
    user = make_user(world, Role.PRACTITIONER)
    client.force_login(user)
    return user


def test_a_session_and_its_contact_are_stored_with_the_time_they_were_made(client, world, worker):
    made_at = timezone.now() - datetime.timedelta(days=2, hours=3)
    session = _session(world.programme, made_at=made_at)

    answers = _send(client, [session, _contact(session)])

    assert answers == [("stored", ""), ("stored", "")]
    stored = Session.objects.get(street_records__client_id=session["id"])
    assert stored.held_on == timezone.localdate(made_at)
    assert stored.created_by == worker
    assert sorted(stored.counts.values_list("gender", "count")) == [("female", 2), ("male", 3)]
    assert stored.detached_contacts.get().summary == "Asked about the boxing club"
    assert StreetRecord.objects.get(client_id=session["id"]).made_at == made_at
    assert AuditEvent.objects.filter(verb="session.created", actor=worker).count() == 1
    audit = AuditEvent.objects.get(verb="street.records_sent")
    assert audit.changes == {"stored": 2, "duplicate": 0, "refused": 0}


def test_the_same_batch_sent_twice_is_stored_once(client, world, worker):
    session = _session(world.programme)
    batch = [session, _contact(session)]

    first = _send(client, batch)
    again = _send(client, batch)

    assert first == [("stored", ""), ("stored", "")]
    assert again == [("duplicate", ""), ("duplicate", "")]
    assert Session.objects.filter(place="Park by the station").count() == 1
    assert [c.summary for c in DetachedContact.objects.all()].count(
        "Asked about the boxing club"
    ) == 1


def test_a_batch_cut_off_halfway_is_finished_by_the_next_try(client, world, worker):
    session = _session(world.programme)
    contact = _contact(session)
    _send(client, [session])  # the answer never reached the phone

    assert _send(client, [session, contact]) == [("duplicate", ""), ("stored", "")]
    assert Session.objects.filter(place="Park by the station").count() == 1


def test_a_session_of_a_programme_closed_before_it_was_made_is_refused(client, world, worker):
    world.programme.ends_on = timezone.localdate() - datetime.timedelta(days=3)
    world.programme.save()
    late = _session(world.programme, made_at=timezone.now() - datetime.timedelta(days=5))
    closed = _session(world.programme)
    contact = _contact(closed)

    answers = _send(client, [late, closed, contact])

    assert answers[0] == ("stored", "")  # made while it ran: kept on the day it was made
    assert answers[1][0] == "refused"
    assert "takes no sessions after that" in answers[1][1]
    assert answers[2][0] == "refused"
    assert "Its session has not been stored" in answers[2][1]
    assert not StreetRecord.objects.filter(client_id=closed["id"]).exists()


@pytest.mark.parametrize(
    ("made_at", "reason"),
    [
        (lambda now: now + datetime.timedelta(hours=2), "in the future"),
        (lambda now: now - datetime.timedelta(days=40), "older than"),
    ],
    ids=["future", "too-old"],
)
def test_a_record_made_at_an_impossible_time_is_refused(client, world, worker, made_at, reason):
    record = _session(world.programme, made_at=made_at(timezone.now()))

    [(status, why)] = _send(client, [record])

    assert status == "refused"
    assert reason in why
    assert not Session.objects.filter(place="Park by the station").exists()


def test_a_record_without_its_phone_made_id_is_refused(client, world, worker):
    record = _session(world.programme) | {"id": "not-a-uuid"}

    assert _send(client, [record])[0][0] == "refused"


def test_a_session_for_a_programme_the_worker_does_not_staff_is_refused(client, world, worker):
    [(status, why)] = _send(client, [_session(world.other_programme)])

    assert (status, why) == ("refused", "You are not on the staff of that programme.")


def test_the_session_rules_of_the_pages_refuse_a_bad_count(client, world, worker):
    record = _session(world.programme)
    record["counts"] = [{"age_band": "14-17", "gender": "male", "count": -1}]

    assert _send(client, [record]) == [("refused", "Counts cannot be negative.")]


def test_the_phones_location_finds_the_neighbourhood_on_the_server(client, world, worker):
    inside = LSOAFactory(partnership=world.programme.partnership, boundary=SQUARE)
    LSOAFactory(partnership=world.programme.partnership, boundary=None)
    record = _session(world.programme, latitude=51.75, longitude=0.45, place="")

    assert _send(client, [record]) == [("stored", "")]
    stored = Session.objects.get(street_records__client_id=record["id"])
    assert stored.lsoa == inside
    assert stored.place == inside.name


def test_a_usual_place_by_name_is_its_neighbourhood(client, world, worker):
    lsoa = LSOAFactory(partnership=world.programme.partnership, name="Chelmsford 099Z")
    record = _session(world.programme, lsoa="Chelmsford 099Z")

    assert _send(client, [record]) == [("stored", "")]
    assert Session.objects.get(street_records__client_id=record["id"]).lsoa == lsoa


def test_ids_are_once_a_partnership_not_once_anywhere(client, world, worker, other_partnership):
    record = _session(world.programme)
    _send(client, [record])
    theirs = ProgrammeFactory(partnership=other_partnership, name="Their streets")
    their_worker = programme_staff(theirs, "practitioner")
    client.force_login(their_worker)

    assert _send(client, [_session(theirs) | {"id": record["id"]}]) == [("stored", "")]


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
def test_only_those_who_record_sessions_may_send(client, world, role):
    client.force_login(make_user(world, role))
    response = client.post(
        SYNC, {"records": [_session(world.programme)]}, content_type="application/json"
    )

    assert response.status_code == (200 if role in CASE_ROLES else 404)
    if role in CASE_ROLES:
        assert response.json()["results"][0]["status"] == "stored"
    else:
        assert not Session.objects.filter(place="Park by the station").exists()


def test_the_sync_needs_the_pages_csrf_token(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user(world, Role.PRACTITIONER))
    body = json.dumps({"records": [_session(world.programme)]})

    refused = browser.post(SYNC, body, content_type="application/json")
    token = browser.get(KEY, {"device": str(uuid.uuid4())}).json()["csrf"]
    sent = browser.post(SYNC, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)

    assert refused.status_code == 403
    assert sent.status_code == 200


def test_a_body_that_is_not_a_batch_is_a_bad_request(client, world, worker):
    response = client.post(SYNC, "nonsense", content_type="application/json")

    assert response.status_code == 400


def _key(client, device):
    return client.get(KEY, {"device": str(device)})


def test_the_same_device_gets_the_same_key_in_every_signed_in_session(client, world, worker):
    device = uuid.uuid4()
    first = _key(client, device).json()
    client.logout()  # the session ends (as an idle time-out does): the device lives on
    client.force_login(worker)
    after = _key(client, device).json()
    another = _key(client, uuid.uuid4()).json()

    assert after["private"] == first["private"]
    assert first["public"] == {k: v for k, v in first["private"].items() if k != "d"}
    assert another["private"]["d"] != first["private"]["d"]
    assert AuditEvent.objects.filter(verb="street.key_issued", actor=worker).count() == 2
    assert AuditEvent.objects.filter(verb="street.key_handed", actor=worker).count() == 3
    stored = StreetDevice.objects.get(device_id=device)
    assert stored.user == worker
    assert stored.last_used_at is not None


def test_the_private_key_is_encrypted_at_rest(client, world, worker):
    device = uuid.uuid4()
    pair = _key(client, device).json()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT private_key FROM programmes_streetdevice WHERE device_id = %s",
            [device.hex],
        )
        [(raw,)] = cursor.fetchall()
    assert pair["private"]["d"] not in raw


def test_another_users_device_is_not_found(client, world, worker):
    device = uuid.uuid4()
    mine = _key(client, device).json()
    client.force_login(make_user(world, Role.PRACTITIONER))

    response = _key(client, device)

    assert response.status_code == 404
    assert mine["private"]["d"] not in response.content.decode()


def test_a_revoked_device_is_gone_and_never_gets_its_key_again(client, world, worker):
    device = uuid.uuid4()
    _key(client, device)
    services.street_device_revoke(
        device=StreetDevice.objects.get(device_id=device), why=StreetDevice.Revoked.ADMINISTRATOR
    )

    response = _key(client, device)

    assert response.status_code == 410
    assert "private" not in response.json()
    assert client.get(f"/programmes/street/devices/{device}/").status_code == 410
    assert AuditEvent.objects.filter(verb="street.device_revoked").count() == 1


def test_signed_out_the_key_is_refused_but_the_device_waits_for_sign_in(client, world, worker):
    device = uuid.uuid4()
    _key(client, device)
    client.logout()

    response = _key(client, device)

    assert response.status_code == 302  # the sign-in page: the phone keeps its records
    assert response["Location"].startswith("/accounts/login/")
    assert client.get(f"/programmes/street/devices/{device}/").status_code == 204
    assert not StreetDevice.objects.get(device_id=device).revoked


def test_an_idle_time_out_keeps_the_device(client, world, worker, settings):
    device = uuid.uuid4()
    _key(client, device)
    session = client.session
    session["vru_last_seen"] -= settings.VRU_SESSION_IDLE_SECONDS + 60
    session.save()

    timed_out = _key(client, device)

    assert timed_out.status_code == 302
    assert not StreetDevice.objects.get(device_id=device).revoked
    client.force_login(worker)
    assert _key(client, device).status_code == 200


def test_signing_out_on_the_phone_ends_its_device_only(client, world, worker):
    phone, desk = uuid.uuid4(), uuid.uuid4()
    _key(client, phone)
    _key(client, desk)
    client.cookies["vru_street_device"] = str(phone)

    client.post("/accounts/logout/")

    assert StreetDevice.objects.get(device_id=phone).revoked_why == "signed_out"
    assert not StreetDevice.objects.get(device_id=desk).revoked
    assert client.get(f"/programmes/street/devices/{phone}/").status_code == 410
    assert client.get(f"/programmes/street/devices/{desk}/").status_code == 204


@pytest.mark.parametrize("ending", ["password", "inactive"])
def test_the_server_ending_the_users_access_ends_their_devices(client, world, worker, ending):
    device = uuid.uuid4()
    _key(client, device)
    if ending == "password":
        worker.set_password("a-new-password-for-2026")
    else:
        worker.is_active = False
    worker.save()

    assert client.get(f"/programmes/street/devices/{device}/").status_code == 410
    assert (
        StreetDevice.objects.get(device_id=device).revoked_why
        == {
            "password": "password_changed",
            "inactive": "inactive",
        }[ending]
    )
    if ending == "password":
        client.force_login(worker)  # signed in again with the new password
        assert _key(client, device).status_code == 410


def test_a_device_the_server_does_not_know_is_gone(client):
    assert client.get(f"/programmes/street/devices/{uuid.uuid4()}/").status_code == 410


def test_the_key_needs_the_devices_id(client, world, worker):
    assert client.get(KEY).status_code == 400
    assert _key(client, "not-a-uuid").status_code == 400


def test_the_usual_places_are_the_workers_own_first_then_their_programmes(client, world, worker):
    partnership = world.programme.partnership
    mine = LSOAFactory(partnership=partnership, name="Mine 001A")
    colleagues = LSOAFactory(partnership=partnership, name="Theirs 002B")
    day = timezone.localdate()
    for actor, lsoa, held_on in (
        (None, colleagues, day),
        (worker, mine, day - datetime.timedelta(days=9)),
    ):
        services.session_record(
            actor=actor,
            programme=world.programme,
            kind="detached",
            held_on=held_on,
            place="Park",
            lsoa=lsoa,
        )

    places = selectors.usual_places(viewer=worker)

    assert [p["name"] for p in places] == ["Mine 001A", "Theirs 002B"]
    page = client.get("/programmes/street/").content.decode()
    assert page.index("Mine 001A") < page.index("Theirs 002B")


def test_other_staff_present_are_kept_when_they_staff_the_programme(client, world, worker):
    colleague = programme_staff(world.programme, "practitioner", first_name="Ann")
    elsewhere = programme_staff(world.other_programme, "practitioner")
    record = _session(world.programme, staff=[colleague.pk, elsewhere.pk])

    assert _send(client, [record]) == [("stored", "")]
    session = Session.objects.get(street_records__client_id=record["id"])
    assert set(session.staff.all()) == {worker, colleague}
    assert "Ann" in client.get("/programmes/street/").content.decode()


def test_an_administrator_revokes_a_lost_phone_from_the_admin(client, world, worker):
    device = uuid.uuid4()
    _key(client, device)
    admin = make_user(world, Role.ADMINISTRATOR)
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    client.force_login(admin)
    listed = client.get("/admin/programmes/streetdevice/")
    pk = StreetDevice.objects.get(device_id=device).pk

    client.post(
        "/admin/programmes/streetdevice/",
        {"action": "revoke", "_selected_action": [pk]},
    )

    assert listed.status_code == 200
    assert str(device) in listed.content.decode()
    assert '"d"' not in listed.content.decode()
    revoked = StreetDevice.objects.get(device_id=device)
    assert revoked.revoked_why == "administrator"
    assert AuditEvent.objects.get(verb="street.device_revoked").actor == admin
    client.force_login(worker)
    assert _key(client, device).status_code == 410
