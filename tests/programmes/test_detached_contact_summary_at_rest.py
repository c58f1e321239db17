"""A detached contact's summary (what a young person said in the street, often naming or
describing them) is a case note: encrypted at rest and bound to its row, like contacts'
notes. Summaries written before it was encrypted are encrypted by the migration; its
reverse writes them back as they were."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from programmes import services
from programmes.models import DetachedContact, Session
from tests.factories import ProgrammeFactory, UserFactory
from vru.fields import is_encrypted
from vru.models import Role

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "programmes.migrations.0021_detached_contact_summary_encrypted_at_rest"
)
SUMMARY = "Jay from the Westway flats said his brother carries a blade"


@pytest.fixture
def session(partnership):
    return services.session_record(
        actor=None,
        programme=ProgrammeFactory(partnership=partnership),
        kind=Session.Kind.DETACHED,
        held_on=datetime.date(2026, 1, 15),
        place="Skate park, Priory Road",
        counts={("14-17", "male"): 3},
    )


def contact_on(session, summary=SUMMARY):
    return services.detached_contact_record(
        actor=None, session=session, age_band="14-17", gender="male", summary=summary
    )


def stored(contact) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM programmes_detachedcontact WHERE id = %s", [contact.pk])
        return cursor.fetchone()[0]


def store_as_plain_text(contact, text) -> None:
    """As the column held it before the migration."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE programmes_detachedcontact SET summary = %s WHERE id = %s", [text, contact.pk]
        )


def test_the_summary_is_stored_encrypted_and_reads_back_as_written(session):
    contact = contact_on(session)

    raw = stored(contact)

    assert raw != SUMMARY
    assert is_encrypted(raw)
    assert "Westway" not in raw
    assert DetachedContact.objects.get(pk=contact.pk).summary == SUMMARY


def test_a_contact_with_nothing_written_stores_nothing(session):
    contact = contact_on(session, summary="")

    assert stored(contact) == ""
    assert DetachedContact.objects.get(pk=contact.pk).summary == ""


def test_the_sessions_page_shows_the_summary(client, session):
    contact_on(session)
    worker = UserFactory(partnership=session.programme.partnership, roles=[Role.ADMINISTRATOR])
    client.force_login(worker)

    page = client.get(reverse("programmes:session_detail", args=[session.pk])).content.decode()

    assert "Jay from the Westway flats said his brother carries a blade" in page


def test_the_migration_encrypts_a_summary_written_as_plain_text_and_its_reverse_restores_it(
    session,
):
    contact = contact_on(session)
    store_as_plain_text(contact, SUMMARY)

    migration.encrypt_summaries(apps, None)

    raw = stored(contact)
    assert is_encrypted(raw)
    assert "Westway" not in raw
    assert DetachedContact.objects.get(pk=contact.pk).summary == SUMMARY

    migration.decrypt_summaries(apps, None)

    assert stored(contact) == SUMMARY


def test_the_migration_leaves_encrypted_and_empty_summaries_as_they_are(session):
    encrypted, empty = contact_on(session), contact_on(session, summary="")
    before = stored(encrypted)

    migration.encrypt_summaries(apps, None)

    assert stored(encrypted) == before
    assert stored(empty) == ""
    assert DetachedContact.objects.get(pk=encrypted.pk).summary == SUMMARY
