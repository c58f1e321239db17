"""Encryption at rest (vru.fields): dedicated keys, rotation, no silent filter misses,
blind indexes for duplicate detection."""

import datetime
import hashlib
import hmac
import unicodedata

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from evaluation.models import FeedbackResponse
from tests.evaluation.factories import FeedbackResponseFactory
from vru.blind_index import blind_index, blind_indexer, normalise
from vru.fields import Place, binder, decrypt, encrypt_many

pytestmark = pytest.mark.django_db

OLD_KEY = "b2xkLWtleS1vbGQta2V5LW9sZC1rZXktb2xkLWtleS0="
NEW_KEY = "bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleS0="


def _stored_words(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT words FROM evaluation_feedbackresponse WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_a_childs_words_are_stored_encrypted_and_read_back_plain():
    response = FeedbackResponseFactory(words="My brother carries a knife")

    stored = _stored_words(response.pk)

    assert stored.startswith("aesgcm2:")
    assert "knife" not in stored
    assert FeedbackResponse.objects.get(pk=response.pk).words == "My brother carries a knife"


def test_case_notes_and_next_steps_are_stored_encrypted_and_read_back_plain():
    from programmes.models import Contact, Outcome
    from tests.factories import ReferralFactory

    referral = ReferralFactory()
    contact = Contact.objects.create(
        referral=referral,
        occurred_at=referral.referred_at,
        method="phone",
        notes="Disclosed he is being made to carry drugs",
        next_step="Call his social worker",
    )
    outcome = Outcome.objects.create(
        referral=referral,
        kind="safety_plan",
        achieved_on=datetime.date(2026, 3, 1),
        notes="Safety plan agreed with his mother",
    )

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT notes, next_step FROM programmes_contact WHERE id = %s", [contact.pk]
        )
        stored = cursor.fetchone()
        cursor.execute("SELECT notes FROM programmes_outcome WHERE id = %s", [outcome.pk])
        stored += cursor.fetchone()
    assert all(value.startswith("aesgcm2:") for value in stored)
    assert not any("drugs" in v or "social worker" in v or "mother" in v for v in stored)
    assert Contact.objects.get(pk=contact.pk).next_step == "Call his social worker"
    assert Outcome.objects.get(pk=outcome.pk).notes == "Safety plan agreed with his mother"


def test_the_same_words_never_look_the_same_in_the_database():
    first = FeedbackResponseFactory(words="Same words")
    second = FeedbackResponseFactory(words="Same words")

    assert _stored_words(first.pk) != _stored_words(second.pk)


def test_filtering_on_an_encrypted_field_is_refused_not_silently_empty():
    with pytest.raises(FieldError, match="encrypted"):
        list(FeedbackResponse.objects.filter(words="anything"))
    with pytest.raises(FieldError, match="encrypted"):
        list(FeedbackResponse.objects.filter(words__icontains="knife"))


def test_the_encryption_keys_are_not_the_secret_key(settings):
    settings.SECRET_KEY = "a-completely-different-secret-key-for-this-test"
    response = FeedbackResponseFactory(words="Still readable")

    assert FeedbackResponse.objects.get(pk=response.pk).words == "Still readable"


def test_keys_rotate_and_everything_still_decrypts_with_only_the_new_key(settings):
    # given rows written with the old key
    settings.VRU_FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    responses = [FeedbackResponseFactory(words=f"Words {n}") for n in range(3)]
    before = [_stored_words(r.pk) for r in responses]

    # when a new key is put first and the rotation runs
    settings.VRU_FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    call_command("rotate_field_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115

    # then, with the old key removed, every value still reads
    settings.VRU_FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert [FeedbackResponse.objects.get(pk=r.pk).words for r in responses] == [
        "Words 0",
        "Words 1",
        "Words 2",
    ]
    assert all(_stored_words(r.pk) != old for r, old in zip(responses, before, strict=True))


def test_a_missing_key_is_a_clear_error(settings):
    response = FeedbackResponseFactory(words="Words")
    settings.VRU_FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        FeedbackResponse.objects.get(pk=response.pk).words  # noqa: B018 (decrypted on access)


def test_blind_indexes_match_the_same_person_written_differently_and_nobody_else():
    dob = datetime.date(2009, 4, 1)

    same = blind_index("Chloé  O'Brien", dob)

    assert blind_index("chloe obrien", dob) != same  # the apostrophe separates words
    assert blind_index("CHLOE O BRIEN", dob) == same
    assert blind_index("Chloe O'Brien ", dob) == same
    assert blind_index("Chloe O'Brien", datetime.date(2009, 4, 2)) != same
    assert len(same) == 64


def test_blind_indexes_depend_on_their_own_key(settings):
    first = blind_index("Sam Smith")
    settings.VRU_BLIND_INDEX_KEY = "another-key"

    assert blind_index("Sam Smith") != first


# what vru.fields shipped first: every blind index on record was computed with these
def _reference_normalise(value: str) -> str:
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


def _reference_blind_index(key: str, *parts) -> str:
    text = "\x1f".join(
        p.isoformat() if isinstance(p, datetime.date) else _reference_normalise(p or "")
        for p in parts
    )
    return hmac.new(key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


NAMES = [
    *(chr(c) for c in range(128)),  # every ASCII character alone
    "".join(chr(c) for c in range(128)),
    "Chloé  O'Brien",
    "ZOË-Ångström",
    "Şükrü Öztürk",
    "Łukasz Żółć",
    "Straße",  # ß: casefold would give "ss", but NFKD and ASCII drop it first, as before
    "ﬁona",  # a ligature NFKD splits
    "Ｆｕｌｌ ｗｉｄｔｈ",
    "Nguyễn Thị Minh Khai",
    "محمد",
    "李小龙",
    "\u00a0non\u2009breaking\u3000spaces\t\n\r",
    "back\\slash \"quotes\" 'apos' tab\there",
    "²³ ½ Ⅻ",  # digits and numerals NFKD turns into ASCII
    "",
]


def test_normalise_gives_exactly_what_the_first_version_gave():
    for name in NAMES:
        assert normalise(name) == _reference_normalise(name), repr(name)


@pytest.mark.parametrize(
    "key", ["short", "a-key-of-exactly-sixty-four-bytes-for-the-block-size-of-sha256!!", "é" * 80]
)
def test_the_bulk_blind_indexer_equals_blind_index_and_the_first_version(settings, key):
    settings.VRU_BLIND_INDEX_KEY = key
    index = blind_indexer()
    dob = datetime.date(2009, 4, 1)

    for first in NAMES:
        for parts in [(first, "Smith", dob), ("Sam", first, None), (first,)]:
            expected = _reference_blind_index(key, *parts)
            assert blind_index(*parts) == expected, (first, parts)
            assert index(*parts) == expected, (first, parts)


def test_bulk_encryption_gives_tokens_that_read_back_exactly_and_never_repeat():
    values = [*NAMES, "Same", "Same", "2009-04-01"]

    places = [Place("a_table", "a_column", str(n)) for n in range(len(values))]

    tokens = encrypt_many(values, [place.associated_data() for place in places])

    assert [decrypt(t, place) for t, place in zip(tokens, places, strict=True)] == values
    assert all(t.startswith("aesgcm2:") for t in tokens)
    assert len(set(tokens)) == len(tokens)  # a nonce of its own for each value
    assert encrypt_many([], []) == []
    # a binder gives a Place's associated data without a Place a value
    assert binder("a_table", "a_column")(7) == Place("a_table", "a_column", "7").associated_data()


def test_values_written_as_fernet_tokens_before_gcm_still_read_and_rotation_rewrites_them(
    settings,
):
    # given a value stored by the first version of vru.fields (a Fernet token)
    from cryptography.fernet import Fernet

    settings.VRU_FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    response = FeedbackResponseFactory(words="placeholder")
    legacy = "fernet:" + Fernet(OLD_KEY).encrypt(b"Written in 2025").decode("ascii")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE evaluation_feedbackresponse SET words = %s WHERE id = %s",
            [legacy, response.pk],
        )

    # then it reads, and after rotation to a new key it is a GCM token that still reads
    assert FeedbackResponse.objects.get(pk=response.pk).words == "Written in 2025"
    settings.VRU_FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    call_command("rotate_field_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.VRU_FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert _stored_words(response.pk).startswith("aesgcm2:")
    assert FeedbackResponse.objects.get(pk=response.pk).words == "Written in 2025"


def test_a_tampered_value_is_refused_not_read():
    response = FeedbackResponseFactory(words="Exact words")
    stored = _stored_words(response.pk)
    # flip one character of the ciphertext (the tag no longer matches)
    tampered = stored[:-6] + ("A" if stored[-6] != "A" else "B") + stored[-5:]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE evaluation_feedbackresponse SET words = %s WHERE id = %s",
            [tampered, response.pk],
        )

    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        FeedbackResponse.objects.get(pk=response.pk).words  # noqa: B018 (decrypted on access)
