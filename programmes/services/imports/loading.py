"""Loading validated referral rows: PostgreSQL COPY, or bulk_create elsewhere.

Only rows the referral's one input (programmes.inputs.ReferralInput, the same as the form's
and the API's) judged without a problem are loaded: `only_judged` refuses anything else
before a row is written.

On PostgreSQL the ids are reserved from the sequences first, then each table is filled with
one COPY (psycopg 3): the table and column names come from the models' `_meta` (quoted by
psycopg), and each row is a tuple of Python values that psycopg's `write_row` formats and
escapes itself; nothing is spliced into text here. Identity fields are encrypted here (COPY
bypasses the fields' get_prep_value; one encrypt_many call for each chunk of rows) and their
blind index was computed in validation. The rows go through psycopg's queued writer, so this
process makes and encrypts the next rows while the server stores the last ones (two cores,
two workers). Elsewhere (SQLite) bulk_create in batches. Either way possible duplicates are
linked both ways afterwards. The caller owns the transaction.

Each loader returns (referral id, young person id) for every referral it stored, so that the
import can be undone exactly.
"""

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from operator import itemgetter

from django.db import connection, models
from psycopg import sql
from psycopg.copy import QueuedLibpqWriter

from programmes.inputs import Judged
from programmes.models import (
    NewReferralNotice,
    Programme,
    Referral,
    SearchToken,
    StatusChange,
    YoungPerson,
    YoungPersonIdentity,
)
from programmes.services.notices import historical_before
from programmes.services.referrals import reference_for, temporary_reference
from programmes.services.search_index import search_tokens
from vru.fields import binder, encrypt_many

CHUNK_ROWS = 2000  # rows encrypted in one call (and about 100-400 kB of COPY data)

# What each table's COPY fills, by model field name (columns come from _meta). Fields not
# named take their column's NULL: first contact, consent withdrawal, closure, anonymisation.
PERSON_FIELDS = [
    "id",
    "partnership",
    "reference",
    "gender",
    "ethnicity",
    "home_lsoa",
    "education_status",
    "created_at",
]
IDENTITY_FIELDS = [
    "young_person",
    "first_name",
    "last_name",
    "date_of_birth",
    "address",
    "postcode",
    "phone",
    "email",
    "match_index",
]
REFERRAL_FIELDS = [
    "id",
    "partnership",
    "programme",
    "young_person",
    "source",
    "reason",
    "event_at",
    "referred_at",
    "due_at",
    "consent_given_by",
    "consent_given_at",
    "consent_reconfirm_by",
    "parental_consent_not_needed",
    "assigned_to",
    "status",
    "closure_reason",
    "status_changed_at",
    "awaiting_contact",
    "age_at_referral",
    "lsoa",
    "risk_factors",
    "protective_factors",
    "eligibility_override",
    "created_by",
    "created_at",
    "historical",
]
# the columns of the four identity values encrypted a row, in the order identities() makes them
IDENTITY_COLUMNS = [
    YoungPersonIdentity._meta.get_field(name).column
    for name in ("first_name", "last_name", "date_of_birth", "postcode")
]
NOTICE_FIELDS = ["referral", "created_at"]
STATUS_CHANGE_FIELDS = [
    "referral",
    "from_status",
    "to_status",
    "closure_reason",
    "changed_at",
    "changed_by",
]
EMPTY_JSON_LIST = "[]"  # a JSON column's text in COPY (a Python list would be an array)


def only_judged(clean: list[dict]) -> None:
    """The loaders take only rows the referral's input judged without a problem (the rows
    validation.validate returns): a row from anywhere else is refused before any is written."""
    if not all(row.__class__ is Judged for row in clean):
        raise TypeError("Only rows judged by the referral's input can be loaded.")


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            # the sequence named once (not once a row): a third of the time
            "SELECT nextval(s) FROM pg_get_serial_sequence(%s, %s) s, generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    """COPY `rows` (tuples of Python values, in the order of `fields`, the model's field
    names) into the model's table. psycopg formats and escapes each value (write_row); the
    rows are sent by its writer thread while the next ones are made."""
    columns = [model._meta.get_field(name).column for name in fields]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table),
        sql.SQL(", ").join(map(sql.Identifier, columns)),
    )
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(statement, writer=QueuedLibpqWriter(raw)) as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)


def load_postgresql(
    *, programme: Programme, clean: list[dict], actor_id, now: datetime, duplicate_of: dict
) -> list[tuple[int, int]]:
    only_judged(clean)
    # Rows in index order: the server adds to its indexes in order, not at random, which
    # halves the time it takes to store the identities (two indexes on the blind index,
    # random by nature) and spares a tenth for the referrals (indexed by due time). So the
    # people (and their ids) go in blind-index order, the referrals (and theirs) in event
    # order. The ids are arbitrary either way.
    clean = sorted(clean, key=itemgetter("match_index"))
    n = len(clean)
    person_ids = _reserve_ids(YoungPerson, n)
    by_event = sorted(range(n), key=lambda i: clean[i]["event_at"])
    referred = [clean[i] for i in by_event]
    referred_people = [person_ids[i] for i in by_event]
    referral_ids = _reserve_ids(Referral, n)
    partnership_id = programme.partnership_id
    received = Referral.Status.RECEIVED.value
    target = timedelta(hours=programme.referral_target_hours)
    long_past = historical_before(now)
    historical = [r["event_at"] + target < long_past for r in referred]

    def people() -> Iterator[tuple]:
        for pk, r in zip(person_ids, clean, strict=True):
            yield (
                pk,
                partnership_id,
                reference_for(pk),
                r["gender"],
                r["ethnicity"],
                r["lsoa_id"],
                r["education_status"],
                now,
            )

    table = YoungPersonIdentity._meta.db_table
    binders = [binder(table, column) for column in IDENTITY_COLUMNS]

    def identities() -> Iterator[tuple]:
        # four values a row, encrypted in one call a chunk (an empty postcode stays empty,
        # as the field stores it)
        for start in range(0, n, CHUNK_ROWS):
            part = clean[start : start + CHUNK_ROWS]
            plain = []
            for r in part:
                plain += (r["first_name"], r["last_name"], r["date_of_birth"].isoformat())
                plain.append(r["postcode"])
            ids = person_ids[start : start + len(part)]
            # each value bound to its place: the identity's table, column and young person
            # (its row_field, reserved above, so known before the COPY)
            places = [bind(pk) for pk in ids for bind in binders]
            given = [(v, place) for v, place in zip(plain, places, strict=True) if v]
            tokens = iter(encrypt_many([v for v, _ in given], [place for _, place in given]))
            sealed = [next(tokens) if v else "" for v in plain]
            for i, (pk, r) in enumerate(zip(ids, part, strict=True)):
                first, last, born, postcode = sealed[4 * i : 4 * i + 4]
                yield (pk, first, last, born, "", postcode, "", "", r["match_index"])

    def tokens() -> Iterator[tuple]:
        # the search index of names and birth dates (programmes.services.search_index)
        people = zip(person_ids, clean, strict=True)
        for token in search_tokens(
            (pk, r["first_name"], r["last_name"], r["date_of_birth"]) for pk, r in people
        ):
            yield (token.young_person_id, token.token)

    def referrals() -> Iterator[tuple]:
        for pk, person, r, past in zip(
            referral_ids, referred_people, referred, historical, strict=True
        ):
            yield (
                pk,
                partnership_id,
                programme.pk,
                person,
                r["source"],
                r["reason"],
                r["event_at"],
                r["referred_at"],
                r["event_at"] + target,
                r["consent_given_by"],
                r["consent_given_at"],
                r["consent_reconfirm_by"],
                r["parental_consent_not_needed"],
                r["assigned_to_id"],
                received,
                "",
                r["referred_at"],
                True,
                r["age"],
                r["lsoa_id"],
                EMPTY_JSON_LIST,
                EMPTY_JSON_LIST,
                "",
                actor_id,
                now,
                past,
            )

    def status_changes() -> Iterator[tuple]:
        for pk, r in zip(referral_ids, referred, strict=True):
            yield (pk, "", received, "", r["referred_at"], actor_id)

    def notices() -> Iterator[tuple]:
        # the new referrals their people will hear of (programmes.services.notices)
        for pk, past in zip(referral_ids, historical, strict=True):
            if not past:
                yield (pk, now)

    _copy(YoungPerson, PERSON_FIELDS, people())
    _copy(YoungPersonIdentity, IDENTITY_FIELDS, identities())
    _copy(SearchToken, ["young_person", "token"], tokens())
    _copy(Referral, REFERRAL_FIELDS, referrals())
    _copy(StatusChange, STATUS_CHANGE_FIELDS, status_changes())
    _copy(NewReferralNotice, NOTICE_FIELDS, notices())
    _link_duplicates(clean, person_ids, duplicate_of)
    return list(zip(referral_ids, referred_people, strict=True))


def load_orm(
    *, programme: Programme, clean: list[dict], actor_id, now: datetime, duplicate_of: dict
) -> list[tuple[int, int]]:
    only_judged(clean)
    pid = programme.partnership_id
    long_past = historical_before(now)
    people = YoungPerson.objects.bulk_create(
        [
            YoungPerson(
                partnership_id=pid,
                reference=temporary_reference(),
                gender=r["gender"],
                ethnicity=r["ethnicity"],
                home_lsoa_id=r["lsoa_id"],
                education_status=r["education_status"],
            )
            for r in clean
        ],
        batch_size=2000,
    )
    for person in people:
        person.reference = reference_for(person.pk)
    YoungPerson.objects.bulk_update(people, ["reference"], batch_size=2000)
    YoungPersonIdentity.objects.bulk_create(
        [
            YoungPersonIdentity(
                young_person=p,
                first_name=r["first_name"],
                last_name=r["last_name"],
                date_of_birth=r["date_of_birth"],
                postcode=r["postcode"],
                match_index=r["match_index"],
            )
            for p, r in zip(people, clean, strict=True)
        ],
        batch_size=2000,
    )
    SearchToken.objects.bulk_create(
        search_tokens(
            (p.pk, r["first_name"], r["last_name"], r["date_of_birth"])
            for p, r in zip(people, clean, strict=True)
        ),
        batch_size=5000,
    )
    referrals = Referral.objects.bulk_create(
        [
            Referral(
                partnership_id=pid,
                programme=programme,
                young_person=p,
                source=r["source"],
                reason=r["reason"],
                event_at=r["event_at"],
                referred_at=r["referred_at"],
                due_at=Referral.due_for(r["event_at"], programme.referral_target_hours),
                assigned_to_id=r["assigned_to_id"],
                consent_given_by=r["consent_given_by"],
                consent_given_at=r["consent_given_at"],
                consent_reconfirm_by=r["consent_reconfirm_by"],
                parental_consent_not_needed=r["parental_consent_not_needed"],
                status_changed_at=r["referred_at"],
                age_at_referral=r["age"],
                lsoa_id=r["lsoa_id"],
                created_by_id=actor_id,
                historical=Referral.due_for(r["event_at"], programme.referral_target_hours)
                < long_past,
            )
            for p, r in zip(people, clean, strict=True)
        ],
        batch_size=2000,
    )
    NewReferralNotice.objects.bulk_create(
        [NewReferralNotice(referral=ref) for ref in referrals if not ref.historical],
        batch_size=2000,
    )
    StatusChange.objects.bulk_create(
        [
            StatusChange(
                referral=ref,
                to_status=Referral.Status.RECEIVED,
                changed_at=ref.referred_at,
                changed_by_id=actor_id,
            )
            for ref in referrals
        ],
        batch_size=2000,
    )
    _link_duplicates(clean, [p.pk for p in people], duplicate_of)
    return [(ref.pk, ref.young_person_id) for ref in referrals]


def _link_duplicates(clean: list[dict], person_ids: list[int], duplicate_of: dict) -> None:
    """Flag possible duplicates both ways: each new young person with those already known
    (duplicate_of) and with the others of the same name and birth date in this file."""
    through = YoungPerson.possible_duplicates.through
    keys = [r["match_index"] for r in clean]
    # most rows are nobody else's: only the keys seen twice, or already known, are walked
    shared = {k for k, times in Counter(keys).items() if times > 1} | (
        duplicate_of.keys() & set(keys)
    )
    if not shared:
        return
    in_file: dict[str, list[int]] = {}
    for key, person in zip(keys, person_ids, strict=True):
        if key in shared:
            in_file.setdefault(key, []).append(person)
    pairs: set[tuple[int, int]] = set()
    for key, people in in_file.items():
        known = duplicate_of.get(key, ())
        for person in people:
            for other in [*known, *people]:
                if other != person:
                    pairs.update({(person, other), (other, person)})
    links = [through(from_youngperson_id=a, to_youngperson_id=b) for a, b in sorted(pairs)]
    through.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
