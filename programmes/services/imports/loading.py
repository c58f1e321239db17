"""Loading validated referral rows: PostgreSQL COPY, or bulk_create elsewhere.

On PostgreSQL the ids are reserved from the sequences first, then each table is filled with
COPY (psycopg 3), identity fields encrypted here and their blind index computed in
validation (COPY bypasses the fields' get_prep_value). Elsewhere (SQLite) bulk_create in
batches. Either way possible duplicates are linked both ways afterwards. The caller owns
the transaction.
"""

from datetime import datetime

from django.db import connection

from programmes.models import Programme, Referral, StatusChange, YoungPerson, YoungPersonIdentity
from programmes.services.referrals import reference_for, temporary_reference
from vru.fields import encrypt


def _reserve_ids(model, count: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(model, columns: list[str], rows) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"COPY {table} ({cols}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def load_postgresql(
    *, programme: Programme, clean: list[dict], actor_id, now: datetime, duplicate_of: dict
) -> None:
    n = len(clean)
    person_ids = _reserve_ids(YoungPerson, n)
    referral_ids = _reserve_ids(Referral, n)
    references = [reference_for(pk) for pk in person_ids]
    pid = programme.partnership_id
    target = programme.referral_target_hours
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
        (
            (
                person_ids[i],
                pid,
                references[i],
                r["gender"],
                r["ethnicity"],
                r["lsoa_id"],
                r["education_status"],
                now,
            )
            for i, r in enumerate(clean)
        ),
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
        # COPY bypasses the fields' get_prep_value: encrypt each value here (empty stays
        # empty, as the fields store it)
        (
            (
                person_ids[i],
                encrypt(r["first_name"]),
                encrypt(r["last_name"]),
                encrypt(r["date_of_birth"].isoformat()),
                "",
                encrypt(r["postcode"]) if r["postcode"] else "",
                "",
                "",
                r["match_index"],
            )
            for i, r in enumerate(clean)
        ),
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
        (
            (
                referral_ids[i],
                pid,
                programme.pk,
                person_ids[i],
                r["source"],
                r["reason"],
                r["event_at"],
                r["referred_at"],
                Referral.due_for(r["event_at"], target),
                "",
                r["assigned_to_id"],
                Referral.Status.RECEIVED,
                "",
                r["referred_at"],
                True,
                r["age"],
                r["lsoa_id"],
                "[]",
                "[]",
                "",
                actor_id,
                now,
            )
            for i, r in enumerate(clean)
        ),
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
        (
            (referral_ids[i], "", Referral.Status.RECEIVED, "", r["referred_at"], actor_id)
            for i, r in enumerate(clean)
        ),
    )
    _link_duplicates(clean, person_ids, duplicate_of)


def load_orm(
    *, programme: Programme, clean: list[dict], actor_id, now: datetime, duplicate_of: dict
) -> None:
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
    in_file: dict[str, list[int]] = {}
    for i, r in enumerate(clean):
        in_file.setdefault(r["match_index"], []).append(person_ids[i])
    pairs: set[tuple[int, int]] = set()
    for i, r in enumerate(clean):
        for other in [*duplicate_of.get(r["match_index"], ()), *in_file[r["match_index"]]]:
            if other != person_ids[i]:
                pairs.update({(person_ids[i], other), (other, person_ids[i])})
    links = [through(from_youngperson_id=a, to_youngperson_id=b) for a, b in sorted(pairs)]
    through.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
