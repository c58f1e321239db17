"""Encrypted values bound to their place (vru.fields): a value moved or copied to another
row or column does not read there; values written before the binding still read and are
rewritten bound; key rotation runs in batches, records where it got to and resumes."""

import datetime

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from evaluation.models import FeedbackResponse
from programmes.models import Contact, YoungPersonIdentity
from tests.evaluation.factories import FeedbackResponseFactory
from tests.factories import ReferralFactory
from vru import services
from vru.fields import PREFIX, MisplacedValue, encrypt, seal
from vru.models import KeyRotation

pytestmark = pytest.mark.django_db

OLD_KEY = "b2xkLWtleS1vbGQta2V5LW9sZC1rZXktb2xkLWtleS0="
NEW_KEY = "bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleS0="


def _stored(table: str, column: str, where: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {where} = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _store(table: str, column: str, where: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {where} = %s", [value, pk])  # noqa: S608


IDENTITY = "programmes_youngpersonidentity"


def test_a_name_moved_onto_another_young_persons_identity_does_not_read_there():
    # given two young people, and someone with write access to the database who copies the
    # first one's encrypted name onto the second one's identity
    amy = ReferralFactory(first_name="Amy", last_name="Firstperson").young_person
    ben = ReferralFactory(first_name="Ben", last_name="Secondperson").young_person
    amys_name = _stored(IDENTITY, "last_name", "young_person_id", amy.pk)
    _store(IDENTITY, "last_name", "young_person_id", ben.pk, amys_name)

    # then reading Ben's identity fails loudly, naming the place, instead of showing Amy's
    identity = YoungPersonIdentity.objects.get(young_person=ben)
    with pytest.raises(MisplacedValue, match="sealed for another row or column"):
        identity.last_name  # noqa: B018
    # and Amy's own still reads, and Ben's other values too
    assert YoungPersonIdentity.objects.get(young_person=amy).last_name == "Firstperson"
    assert identity.first_name == "Ben"


def test_swapping_whole_identities_between_young_people_is_caught_too():
    # the identity is bound to the young person it belongs to, not only to its own row id:
    # pointing Amy's identity row at Ben does not make her name his
    amy = ReferralFactory(first_name="Amy").young_person
    ben = ReferralFactory(first_name="Ben").young_person
    amys, bens = amy.identity.pk, ben.identity.pk
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {IDENTITY} WHERE id = %s", [bens])  # noqa: S608
        cursor.execute(
            f"UPDATE {IDENTITY} SET young_person_id = %s WHERE id = %s",  # noqa: S608
            [ben.pk, amys],
        )

    with pytest.raises(MisplacedValue):
        YoungPersonIdentity.objects.get(young_person=ben).first_name  # noqa: B018


def test_a_case_note_copied_to_another_contact_or_column_does_not_read_there():
    referral = ReferralFactory()
    first = Contact.objects.create(
        referral=referral, occurred_at=referral.referred_at, method="phone", notes="Secret one"
    )
    second = Contact.objects.create(
        referral=referral,
        occurred_at=referral.referred_at,
        method="phone",
        notes="Other",
        next_step="Call back",
    )
    note = _stored("programmes_contact", "notes", "id", first.pk)
    _store("programmes_contact", "notes", "id", second.pk, note)  # another row
    _store("programmes_contact", "next_step", "id", first.pk, note)  # another column

    with pytest.raises(MisplacedValue, match=r"programmes_contact\.notes of row"):
        Contact.objects.get(pk=second.pk).notes  # noqa: B018
    with pytest.raises(MisplacedValue, match=r"programmes_contact\.next_step of row"):
        Contact.objects.get(pk=first.pk).next_step  # noqa: B018
    assert Contact.objects.get(pk=first.pk).notes == "Secret one"


def test_a_new_row_is_sealed_to_its_id_in_the_same_save():
    response = FeedbackResponseFactory(words="Fresh words")

    stored = _stored("evaluation_feedbackresponse", "words", "id", response.pk)

    assert stored.startswith("aesgcm2:")
    assert "unsealed" not in stored
    assert FeedbackResponse.objects.get(pk=response.pk).words == "Fresh words"
    assert response.words == "Fresh words"  # the saved instance keeps its plain value


def test_rows_inserted_in_bulk_read_once_sealed_and_fail_clearly_if_not():
    referral = ReferralFactory()
    made = [
        Contact(referral=referral, occurred_at=referral.referred_at, method="phone", notes=n)
        for n in ("One", "Two")
    ]
    left = Contact.objects.bulk_create(made[:1])  # bulk_create sends no post_save
    sealed = Contact.objects.bulk_create(made[1:])
    seal(sealed)

    assert Contact.objects.get(pk=sealed[0].pk).notes == "Two"
    with pytest.raises(MisplacedValue, match="never sealed to its row"):
        Contact.objects.get(pk=left[0].pk).notes  # noqa: B018


def test_an_encrypted_field_cannot_be_written_around_its_row():
    response = FeedbackResponseFactory()

    with pytest.raises(FieldError, match="bound to its row"):
        FeedbackResponse.objects.filter(pk=response.pk).update(words="Unbound")


def test_a_value_written_before_the_binding_still_reads_and_is_rewritten_bound_on_save():
    # given a value stored as the unbound token of before
    response = FeedbackResponseFactory(words="placeholder")
    _store("evaluation_feedbackresponse", "words", "id", response.pk, encrypt("Said in 2025"))
    assert _stored("evaluation_feedbackresponse", "words", "id", response.pk).startswith(PREFIX)

    # then it reads, and the next save of its row rewrites it bound
    loaded = FeedbackResponse.objects.get(pk=response.pk)
    assert loaded.words == "Said in 2025"
    loaded.save()
    assert _stored("evaluation_feedbackresponse", "words", "id", response.pk).startswith("aesgcm2:")
    assert FeedbackResponse.objects.get(pk=response.pk).words == "Said in 2025"


def test_rotation_rewrites_values_written_before_the_binding_bound(settings):
    settings.VRU_FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    referral = ReferralFactory(first_name="Kept")
    person = referral.young_person_id
    _store(IDENTITY, "first_name", "young_person_id", person, encrypt("Old token"))

    settings.VRU_FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    call_command("rotate_field_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.VRU_FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    assert _stored(IDENTITY, "first_name", "young_person_id", person).startswith("aesgcm2:")
    assert YoungPersonIdentity.objects.get(young_person_id=person).first_name == "Old token"


class StoppedError(Exception):
    pass


def test_a_rotation_stopped_halfway_resumes_where_it_got_to_and_finishes(settings):
    # given seven responses and a referral written with the old key
    settings.VRU_FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    responses = [FeedbackResponseFactory(words=f"Words {n}") for n in range(7)]
    referral = ReferralFactory(first_name="Rotated", last_name="Person")
    settings.VRU_FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    # when the rotation stops after its third batch of two (a worker killed)
    done = []

    def stop_after_three(rotation):
        done.append(rotation.total_rows)
        if len(done) == 3:
            raise StoppedError

    with pytest.raises(StoppedError):
        services.field_keys_rotate(batch_size=2, progress=stop_after_three)
    halfway = KeyRotation.objects.get()
    assert halfway.finished_at is None
    assert halfway.batches == 3
    assert halfway.current_model
    assert halfway.after_pk is not None

    # and is run again: it resumes that run, rewriting no batch twice, and finishes
    again = services.field_keys_rotate(batch_size=2)

    assert again.pk == halfway.pk
    assert again.finished_at is not None
    assert again.rows["evaluation.FeedbackResponse"] == 7
    assert again.rows["programmes.YoungPersonIdentity"] == 1
    # then every value reads with the new key alone
    settings.VRU_FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert sorted(FeedbackResponse.objects.values_list("pk", flat=True)) == sorted(
        r.pk for r in responses
    )
    assert sorted(r.words for r in FeedbackResponse.objects.all()) == [
        f"Words {n}" for n in range(7)
    ]
    identity = YoungPersonIdentity.objects.get(young_person_id=referral.young_person_id)
    assert (identity.first_name, identity.last_name) == ("Rotated", "Person")
    assert identity.date_of_birth == referral.young_person.identity.date_of_birth
    assert isinstance(identity.date_of_birth, datetime.date)


def test_the_rotation_runs_as_a_celery_task_and_says_how_far_it_got(settings):
    from io import StringIO

    from vru.tasks import field_keys_rotate

    FeedbackResponseFactory(words="On a worker")
    settings.VRU_FIELD_ENCRYPTION_KEYS = [NEW_KEY, *settings.VRU_FIELD_ENCRYPTION_KEYS]

    rows = field_keys_rotate.delay().get()

    assert rows >= 1
    assert KeyRotation.objects.get().finished_at is not None
    out = StringIO()
    call_command("rotate_field_keys", "--status", stdout=out)
    assert "finished" in out.getvalue()
    settings.VRU_FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert FeedbackResponse.objects.get().words == "On a worker"
