"""How a requester's identity was checked may describe the documents seen (a passport and its
number): the notes are encrypted at rest and bound to their request, like who asked and their
words. Notes written before they were encrypted are encrypted by the migration; its reverse
writes them back as they were."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from rights import services
from rights.models import SubjectAccessRequest
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory
from vru.fields import is_encrypted
from vru.models import Role

pytestmark = pytest.mark.django_db

migration = importlib.import_module("rights.migrations.0004_identity_check_notes_encrypted_at_rest")
NOTES = "Saw her passport, number ending 4417"


@pytest.fixture
def lead(partnership):
    return UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])


@pytest.fixture
def referral(partnership):
    return ReferralFactory(programme=ProgrammeFactory(partnership=partnership))


def log(lead, referral, notes=NOTES):
    return services.request_create(
        actor=lead,
        young_person=referral.young_person,
        kind="access",
        requester_name="Maya Jones",
        relationship="parent",
        identity_check="other" if notes else "photo_id",
        identity_check_notes=notes,
        received_on=datetime.date(2026, 1, 31),
    )


def stored(sar) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT identity_check_notes FROM rights_subjectaccessrequest WHERE id = %s", [sar.pk]
        )
        return cursor.fetchone()[0]


def store_as_plain_text(sar, text) -> None:
    """As the column held it before the migration."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE rights_subjectaccessrequest SET identity_check_notes = %s WHERE id = %s",
            [text, sar.pk],
        )


def test_the_notes_are_stored_encrypted_and_read_back_as_written(lead, referral):
    sar = log(lead, referral)

    raw = stored(sar)

    assert raw != NOTES
    assert is_encrypted(raw)
    assert "4417" not in raw
    assert SubjectAccessRequest.objects.get(pk=sar.pk).identity_check_notes == NOTES


def test_notes_logged_on_the_page_are_encrypted_and_shown_on_the_requests_page(
    client, lead, referral
):
    client.force_login(lead)

    client.post(
        reverse("rights:request_create"),
        {
            "kind": "access",
            "reference": referral.young_person.reference,
            "requester_name": "Maya Jones",
            "relationship": "parent",
            "identity_check": "other",
            "identity_check_notes": NOTES,
            "received_on_day": "31",
            "received_on_month": "1",
            "received_on_year": "2026",
        },
    )

    sar = SubjectAccessRequest.objects.get()
    assert is_encrypted(stored(sar))
    page = client.get(sar.get_absolute_url()).content.decode()
    assert NOTES in page


def test_notes_logged_over_the_api_are_encrypted(api_client, lead, referral):
    api_client.force_authenticate(lead)

    made = api_client.post(
        "/api/subject-access-requests/",
        {
            "young_person": referral.young_person.reference,
            "request_kind": "access",
            "requester_name": "Maya Jones",
            "relationship": "parent",
            "identity_check": "other",
            "identity_check_notes": NOTES,
            "received_on": "2026-01-31",
        },
        format="json",
    )

    assert made.status_code == 201, made.content
    sar = SubjectAccessRequest.objects.get(pk=made.json()["id"])
    assert is_encrypted(stored(sar))
    assert sar.identity_check_notes == NOTES


def test_the_migration_encrypts_notes_written_as_plain_text_and_its_reverse_restores_them(
    lead, referral
):
    sar = log(lead, referral)
    store_as_plain_text(sar, NOTES)

    migration.encrypt_notes(apps, None)

    raw = stored(sar)
    assert is_encrypted(raw)
    assert "4417" not in raw
    assert SubjectAccessRequest.objects.get(pk=sar.pk).identity_check_notes == NOTES

    migration.decrypt_notes(apps, None)

    assert stored(sar) == NOTES


def test_the_migration_leaves_encrypted_and_empty_notes_as_they_are(lead, referral):
    encrypted, empty = log(lead, referral), log(lead, referral, notes="")
    before = stored(encrypted)

    migration.encrypt_notes(apps, None)

    assert stored(encrypted) == before
    assert stored(empty) == ""
