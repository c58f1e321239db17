"""Done when: a young person with records in every app asks for their records; the bundle
holds every one of them, nothing about anyone else, and a third party's name, once redacted,
is in neither the PDF nor the JSON."""

import datetime
import io
import json
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from evaluation import services as evaluation_services
from programmes import services as programme_services
from rights.models import GatheredItem, SubjectAccessRequest
from tests.evaluation.factories import instrument
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory, programme_staff
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

THIRD_PARTY = "Morgan Thirdparty"


def pdf_text(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.pdf"
        path.write_bytes(data)
        return subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout


@pytest.fixture
def world(partnership):
    now = datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    manager = programme_staff(programme, "manager", first_name="Mina", last_name="Manager")
    # the case began as an anonymous conversation on a detached session, beside another's
    street = programme_services.session_record(
        actor=None,
        programme=programme,
        kind="detached",
        held_on=datetime.date(2026, 2, 27),
        place="Skate park, Priory Road",
    )
    began = programme_services.detached_contact_record(
        actor=None,
        session=street,
        age_band="14-17",
        gender="male",
        summary="Worried about Jaylen's walk home",
    )
    programme_services.detached_contact_record(
        actor=None, session=street, age_band="14-17", gender="female", summary="Ottostreet talk"
    )
    subject = ReferralFactory(
        programme=programme,
        first_name="Jaylen",
        last_name="Subjectson",
        event_at=now,
        from_detached_contact=began,
    )
    other = ReferralFactory(
        programme=programme, first_name="Otto", last_name="Otherperson", event_at=now
    )
    for referral, words in (
        (subject, f"Met Jaylen with his friend {THIRD_PARTY} at the park."),
        (other, "Otto talked about school; Ottonote."),
    ):
        programme_services.contact_record(
            actor=None,
            referral=referral,
            occurred_at=now + datetime.timedelta(hours=3),
            method="in_person",
            notes=words,
            next_step="Follow up next week" if referral is subject else "Ottostep",
        )
    programme_services.outcome_record(
        actor=None,
        referral=subject,
        kind="safety_plan",
        achieved_on=now.date(),
        notes="Safety plan agreed with Jaylen",
    )
    programme_services.outcome_record(
        actor=None,
        referral=other,
        kind="safety_plan",
        achieved_on=now.date(),
        notes="Ottooutcome",
    )
    session = programme_services.session_record(
        actor=None,
        programme=programme,
        kind="group",
        held_on=datetime.date(2026, 3, 2),
        place="Riverside youth club",
    )
    lonely = programme_services.session_record(
        actor=None,
        programme=programme,
        kind="group",
        held_on=datetime.date(2026, 3, 3),
        place="Ottoplace hall",
    )
    programme_services.session_attendee_add(
        actor=None, session=session, young_person=subject.young_person
    )
    programme_services.session_attendee_add(
        actor=None, session=session, young_person=other.young_person
    )
    programme_services.session_attendee_add(
        actor=None, session=lonely, young_person=other.young_person
    )
    for referral, total in ((subject, 41), (other, 57)):
        evaluation_services.outcome_score_record(
            actor=None,
            referral=referral,
            instrument=instrument("wemwbs"),
            time_point="baseline",
            scored_on=datetime.date(2026, 3, 10),
            total=total,
        )
    programme_services.identity_view(actor=manager, referral=subject)
    programme_services.identity_view(actor=manager, referral=other)
    lead = UserFactory(partnership=partnership, roles=[Role.ANALYST], first_name="Dana")
    partnership.data_protection_lead = lead
    partnership.save(update_fields=["data_protection_lead"])
    return {"subject": subject, "other": other, "lead": lead, "manager": manager}


def test_a_subject_access_request_end_to_end_holds_everything_and_nothing_else(
    world, client, django_capture_on_commit_callbacks
):
    subject = world["subject"]
    client.force_login(world["lead"])

    # logged, with the one-month clock
    response = client.post(
        reverse("rights:request_create"),
        {
            "kind": "access",
            "reference": subject.young_person.reference,
            "requester_name": "Jaylen Subjectson",
            "relationship": "self",
            "identity_check": "known_worker",
            "received_on_day": "3",
            "received_on_month": "12",
            "received_on_year": "2026",
        },
    )
    page = response.content.decode()
    assert response.status_code == 302, page[page.find("error-summary") :][:1500]
    sar = SubjectAccessRequest.objects.get()
    assert sar.due_on == datetime.date(2027, 1, 3)

    # gathered by the task
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("rights:request_gather", args=[sar.pk])).status_code == 302
    sar.refresh_from_db()
    assert sar.status == "in_review"
    assert sar.progress == 100

    kinds = set(GatheredItem.objects.filter(request=sar).values_list("kind", flat=True))
    assert kinds >= {
        "identity",
        "referral",
        "contact",
        "outcome",
        "session",
        "outcome_score",
        "identity_read",
    }

    # the reviewer redacts the third party's name in the note, with a reason
    note = GatheredItem.objects.get(request=sar, kind="contact", field="Notes")
    response = client.post(
        reverse("rights:item_redact", args=[sar.pk, note.pk]), {"span": THIRD_PARTY, "reason": ""}
    )
    assert response.status_code == 200
    assert "Enter why this is redacted" in response.content.decode()
    response = client.post(
        reverse("rights:item_redact", args=[sar.pk, note.pk]),
        {"span": THIRD_PARTY, "reason": "Another young person's name"},
    )
    assert response.status_code == 302

    # downloaded once
    response = client.post(reverse("rights:bundle_download", args=[sar.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(archive.namelist()) >= {"records.pdf", "records.json", "records.csv"}
    text = pdf_text(archive.read("records.pdf"))
    data = archive.read("records.json").decode()
    table = archive.read("records.csv").decode("utf-8-sig")

    for words in (
        "Jaylen",  # identity, decrypted
        "Subjectson",
        "Knife possession",  # the referral
        "Met Jaylen with his friend [redacted] at the park.",  # the note, redacted
        "Follow up next week",
        "Safety plan agreed with Jaylen",  # the outcome
        "Riverside youth club",  # the session attended
        "Skate park, Priory Road",  # the street conversation the referral came from
        "Worried about Jaylen's walk home",
        "total 41",  # the outcome score
        "Mina Manager",  # who viewed the identity
        "recorded anonymously",  # listening: none can be linked, and it says so
    ):
        assert words in data, words
        assert " ".join(words.split()) in " ".join(text.split()), words
    assert "Riverside youth club" in table

    for everything in (text, data, table):
        assert "Thirdparty" not in everything
        assert "Morgan" not in everything
        for theirs in (
            "Otto",
            "Otherperson",
            "Ottonote",
            "Ottostep",
            "Ottooutcome",
            "Ottoplace",
            "Ottostreet",
            "total 57",
        ):
            assert theirs not in everything, theirs
    assert json.loads(data)["meta"]["redactions"] == 1

    # the download is audited, and a second one refused with a clear message
    assert AuditEvent.objects.filter(verb="subject_access.bundle_downloaded").count() == 1
    response = client.post(reverse("rights:bundle_download", args=[sar.pk]), follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "can be downloaded only once" in response.content.decode()
    sar.refresh_from_db()
    assert sar.status == "sent"


def test_the_bundle_is_downloaded_only_after_the_password_is_asked_again(world, client, settings):
    settings.VRU_REAUTH_REQUIRED = True
    client.force_login(world["lead"])
    sar = SubjectAccessRequest.objects.create(
        partnership=world["subject"].partnership,
        young_person=world["subject"].young_person,
        requester_name="Jaylen",
        relationship="self",
        identity_check="photo_id",
        received_on=datetime.date(2026, 12, 1),
        due_on=datetime.date(2027, 1, 1),
        status="in_review",
    )
    response = client.post(reverse("rights:bundle_download", args=[sar.pk]))
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    sar.refresh_from_db()
    assert sar.downloaded_at is None
