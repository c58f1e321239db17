"""Loading validated referral rows: PostgreSQL COPY, or bulk_create elsewhere.

On PostgreSQL the ids are reserved from the sequences first, then each table is filled with
one COPY (psycopg 3) in PostgreSQL's text format, written here in chunks of rows: identity
fields encrypted here (COPY bypasses the fields' get_prep_value; one encrypt_many call a
chunk) and their blind index computed in validation. The chunks go through psycopg's queued
writer, so this process formats and encrypts the next chunk while the server stores the
last one (two cores, two workers). Elsewhere (SQLite) bulk_create in batches. Either way
possible duplicates are linked both ways afterwards. The caller owns the transaction. Only
rows the referral's one input judged without a problem are loaded (only_judged).
"""

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from operator import itemgetter

from django.db import connection
from psycopg.copy import QueuedLibpqWriter

from programmes.inputs import Judged
from programmes.models import Programme, Referral, StatusChange, YoungPerson, YoungPersonIdentity
from programmes.services.referrals import reference_for, temporary_reference
from vru.fields import encrypt_many

CHUNK_ROWS = 2000  # about 100-400 kB of COPY text a chunk
NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: str | None) -> str:
    """A value as one field of PostgreSQL's COPY text format: backslash, tab, newline and
    carriage return escaped; None is NULL. (NUL bytes never get this far: the reader
    refuses them.)"""
    if value is None:
        return NULL
    return value.translate(_ESCAPES)


class _Escaped(dict):
    """copy_text of the values that repeat (choice keys), computed once each."""

    def __missing__(self, value: str) -> str:
        self[value] = escaped = copy_text(value)
        return escaped


def _number(value: int | None) -> str:
    return NULL if value is None else str(value)


def _reserve_ids(model, count: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            # the sequence named once (not once a row): a third of the time
            "SELECT nextval(s) FROM pg_get_serial_sequence(%s, 'id') s, generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(model, columns: list[str], chunks: Iterator[str]) -> None:
    """COPY the chunks (lines of COPY text) into the model's table. Each chunk is queued
    and sent by psycopg's writer thread while the next one is made."""
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({cols}) FROM STDIN", writer=QueuedLibpqWriter(raw)) as copy:
            for chunk in chunks:
                copy.write(chunk.encode("utf-8"))


def _in_chunks(clean: list[dict], make: Callable[[list[dict], int], str]) -> Iterator[str]:
    for start in range(0, len(clean), CHUNK_ROWS):
        yield make(clean[start : start + CHUNK_ROWS], start)


def only_judged(clean: list[dict]) -> None:
    """The loaders take only rows the referral's input judged without a problem (the rows
    validation.validate returns): a row from anywhere else is refused before any is written."""
    if not all(row.__class__ is Judged for row in clean):
        raise TypeError("Only rows judged by the referral's input can be loaded.")


def load_postgresql(
    *, programme: Programme, clean: list[dict], actor_id, now: datetime, duplicate_of: dict
) -> None:
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
    # the values every row shares, as COPY text once
    partnership = str(programme.partnership_id)
    programme_id = str(programme.pk)
    actor = _number(actor_id)
    created = str(now)
    received = copy_text(Referral.Status.RECEIVED.value)
    target = timedelta(hours=programme.referral_target_hours)
    # Every text value below is escaped for COPY except those made here that cannot hold a
    # backslash, tab or line break: numbers, times, references (YP-, hex, the id), blind
    # indexes (hex) and GCM tokens (a prefix and URL-safe base64).
    text = _Escaped()

    def people(part: list[dict], start: int) -> str:
        return "".join(
            [
                f"{pk}\t{partnership}\t{reference_for(pk)}\t{text[r['gender']]}"
                f"\t{text[r['ethnicity']]}\t{_number(r['lsoa_id'])}"
                f"\t{text[r['education_status']]}\t{created}\n"
                for pk, r in zip(person_ids[start : start + len(part)], part, strict=True)
            ]
        )

    def identities(part: list[dict], start: int) -> str:
        # four values a row, encrypted in one call (an empty postcode stays empty, as the
        # field stores it); the tokens are base64 after a fixed prefix: nothing to escape
        plain = []
        for r in part:
            plain += (r["first_name"], r["last_name"], r["date_of_birth"].isoformat())
            plain.append(r["postcode"])
        tokens = iter(encrypt_many([v for v in plain if v]))
        sealed = [next(tokens) if v else "" for v in plain]
        return "".join(
            [
                f"{pk}\t{sealed[4 * i]}\t{sealed[4 * i + 1]}\t{sealed[4 * i + 2]}\t"
                f"\t{sealed[4 * i + 3]}\t\t\t{r['match_index']}\n"
                for i, (pk, r) in enumerate(
                    zip(person_ids[start : start + len(part)], part, strict=True)
                )
            ]
        )

    def referrals(part: list[dict], start: int) -> str:
        end = start + len(part)
        return "".join(
            [
                f"{pk}\t{partnership}\t{programme_id}\t{person}\t{text[r['source']]}"
                f"\t{text[r['reason']]}\t{r['event_at']}\t{r['referred_at']}"
                f"\t{r['event_at'] + target}\t\t{_number(r['assigned_to_id'])}\t{received}"
                f"\t\t{r['referred_at']}\tt\t{_number(r['age'])}\t{_number(r['lsoa_id'])}"
                f"\t[]\t[]\t\t{actor}\t{created}\n"
                for pk, person, r in zip(
                    referral_ids[start:end], referred_people[start:end], part, strict=True
                )
            ]
        )

    def status_changes(part: list[dict], start: int) -> str:
        return "".join(
            [
                f"{pk}\t\t{received}\t\t{r['referred_at']}\t{actor}\n"
                for pk, r in zip(referral_ids[start : start + len(part)], part, strict=True)
            ]
        )

    _copy(
        YoungPerson,
        [
            "id",
            "partnership_id",
            "reference",
            "gender",
            "ethnicity",
            "home_lsoa_id",
            "education_status",
            "created_at",
        ],
        _in_chunks(clean, people),
    )
    _copy(
        YoungPersonIdentity,
        [
            "young_person_id",
            "first_name",
            "last_name",
            "date_of_birth",
            "address",
            "postcode",
            "phone",
            "email",
            "match_index",
        ],
        _in_chunks(clean, identities),
    )
    _copy(
        Referral,
        [
            "id",
            "partnership_id",
            "programme_id",
            "young_person_id",
            "source",
            "reason",
            "event_at",
            "referred_at",
            "due_at",
            "consent_given_by",
            "assigned_to_id",
            "status",
            "closure_reason",
            "status_changed_at",
            "awaiting_contact",
            "age_at_referral",
            "lsoa_id",
            "risk_factors",
            "protective_factors",
            "eligibility_override",
            "created_by_id",
            "created_at",
        ],
        _in_chunks(referred, referrals),
    )
    _copy(
        StatusChange,
        [
            "referral_id",
            "from_status",
            "to_status",
            "closure_reason",
            "changed_at",
            "changed_by_id",
        ],
        _in_chunks(referred, status_changes),
    )
    _link_duplicates(clean, person_ids, duplicate_of)


def load_orm(
    *, programme: Programme, clean: list[dict], actor_id, now: datetime, duplicate_of: dict
) -> None:
    only_judged(clean)
    pid = programme.partnership_id
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
                status_changed_at=r["referred_at"],
                age_at_referral=r["age"],
                lsoa_id=r["lsoa_id"],
                created_by_id=actor_id,
            )
            for p, r in zip(people, clean, strict=True)
        ],
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
