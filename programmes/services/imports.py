"""Bulk import of referrals from a custody spreadsheet: all or nothing.

Every row is validated in Python first (with the row's number in each error); only a file
without errors is loaded. On PostgreSQL the rows go in with COPY (ids reserved from the
sequences first); elsewhere with bulk_create. Duplicates: the same name, date of birth and
event twice in a file, or a referral already on record, are errors; a young person who
matches someone already known or another row of the file (same name and date of birth) is
flagged, never merged. Over-long values and future times are row errors, never truncated.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from programmes import permissions
from programmes.models import (
    EducationStatus,
    Ethnicity,
    Gender,
    Programme,
    ProgrammeStaff,
    Referral,
    StatusChange,
    YoungPerson,
    YoungPersonIdentity,
)
from programmes.services.referrals import age_on, reference_for, temporary_reference
from vru.fields import encrypt
from vru.models import LSOA, AuditEvent, User
from vru.services import RowError, audit_record, read_table
from vru.services import imports as core_imports

NAME_MAX = YoungPersonIdentity._meta.get_field("first_name").max_length
POSTCODE_MAX = YoungPersonIdentity._meta.get_field("postcode").max_length
REQUIRED_COLUMNS = ["first_name", "last_name", "date_of_birth", "reason", "event_at"]
OPTIONAL_COLUMNS = [
    "source",
    "referred_at",
    "gender",
    "ethnicity",
    "education_status",
    "home_lsoa",
    "postcode",
    "assigned_to",
]


@dataclass
class ReferralImportOutcome:
    total_rows: int
    imported_rows: int = 0
    possible_duplicates: int = 0
    errors: list[RowError] = field(default_factory=list)


def _lookup(choices) -> dict[str, str]:
    """Accept a choice by its value or its label, in any case."""
    table = {}
    for key, label in choices:
        table[str(label).lower()] = key
        table[key.lower()] = key
    return table


def _choice(value, table: dict[str, str], default: str | None) -> str | None:
    text = str(value or "").strip()
    if not text:
        return default
    return table.get(text.lower())


def _when(value, zone) -> datetime | None:
    if isinstance(value, datetime):
        parsed = value
    else:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _validate(
    *, programme: Programme, rows: list[dict], now: datetime
) -> tuple[list[dict], list[RowError]]:
    lsoas = dict(LSOA.objects.filter(partnership=programme.partnership).values_list("code", "pk"))
    staff = dict(
        ProgrammeStaff.objects.filter(programme=programme).values_list("user__username", "user_id")
    )
    errors: list[RowError] = []
    clean: list[dict] = []
    seen: dict[tuple, int] = {}
    zone = timezone.get_current_timezone()
    reasons = _lookup(Referral.Reason.choices)
    sources = _lookup(Referral.Source.choices)
    genders = _lookup(Gender.choices)
    ethnicities = _lookup(Ethnicity.choices)
    educations = _lookup(EducationStatus.choices)
    min_age, max_age = programme.min_age, programme.max_age
    for number, row in enumerate(rows, start=2):

        def error(column: str, message: str, number=number) -> None:
            errors.append(RowError(number, column, message))

        first = str(row.get("first_name") or "").strip()
        last = str(row.get("last_name") or "").strip()
        if not first:
            error("first_name", "Enter the first name.")
        elif len(first) > NAME_MAX:
            error("first_name", f"The first name is longer than {NAME_MAX} characters.")
        if not last:
            error("last_name", "Enter the last name.")
        elif len(last) > NAME_MAX:
            error("last_name", f"The last name is longer than {NAME_MAX} characters.")
        postcode = str(row.get("postcode") or "").strip()
        if len(postcode) > POSTCODE_MAX:
            error("postcode", f"The postcode is longer than {POSTCODE_MAX} characters.")
        dob = _day(row.get("date_of_birth"))
        if dob is None:
            error("date_of_birth", "Enter the date of birth as YYYY-MM-DD.")
        event_at = _when(row.get("event_at"), zone)
        if event_at is None:
            error("event_at", "Enter the event time as YYYY-MM-DD HH:MM.")
        referred_at = _when(row.get("referred_at"), zone) if row.get("referred_at") else event_at
        if row.get("referred_at") and referred_at is None:
            error("referred_at", "Enter the referral time as YYYY-MM-DD HH:MM.")
        reason = _choice(row.get("reason"), reasons, None)
        if reason is None:
            error("reason", f"Unknown reason “{row.get('reason') or ''}”.")
        source = _choice(row.get("source"), sources, Referral.Source.CUSTODY)
        if source is None:
            error("source", f"Unknown source “{row.get('source')}”.")
        gender = _choice(row.get("gender"), genders, Gender.NOT_SAID)
        if gender is None:
            error("gender", f"Unknown gender “{row.get('gender')}”.")
        ethnicity = _choice(row.get("ethnicity"), ethnicities, Ethnicity.NOT_SAID)
        if ethnicity is None:
            error("ethnicity", f"Unknown ethnicity “{row.get('ethnicity')}”.")
        education = _choice(row.get("education_status"), educations, EducationStatus.UNKNOWN)
        if education is None:
            error("education_status", f"Unknown education status “{row.get('education_status')}”.")
        lsoa_code = str(row.get("home_lsoa") or "").strip().upper()
        lsoa_id = lsoas.get(lsoa_code) if lsoa_code else None
        if lsoa_code and lsoa_id is None:
            error("home_lsoa", f"{lsoa_code} is not a neighbourhood of your partnership.")
        username = str(row.get("assigned_to") or "").strip()
        assigned_id = staff.get(username) if username else None
        if username and assigned_id is None:
            error("assigned_to", f"{username} is not on the programme's staff.")
        if event_at and referred_at and event_at > referred_at:
            error("event_at", "The event must be before the referral.")
        if event_at and event_at > now:
            error("event_at", "The event time is in the future.")
        if row.get("referred_at") and referred_at and referred_at > now:
            error("referred_at", "The referral time is in the future.")
        age = None
        if dob and event_at:
            age = age_on(dob, event_at.astimezone(zone).date())
            if not min_age <= age <= max_age:
                error(
                    "date_of_birth",
                    f"Aged {age}: the programme takes {programme.min_age} to {programme.max_age}.",
                )
        match_index = YoungPersonIdentity.index_for(first, last, dob) if dob else ""
        if first and last and dob and event_at:
            key = (match_index, event_at)
            if key in seen:
                error("first_name", f"The same young person and event as row {seen[key]}.")
            else:
                seen[key] = number
        clean.append(
            {
                "first_name": first,
                "last_name": last,
                "date_of_birth": dob,
                "event_at": event_at,
                "referred_at": referred_at,
                "reason": reason,
                "source": source,
                "gender": gender,
                "ethnicity": ethnicity,
                "education_status": education,
                "lsoa_id": lsoa_id,
                "postcode": postcode,
                "assigned_to_id": assigned_id,
                "age": age,
                "row": number,
                "match_index": match_index,
            }
        )
    if not errors:
        # Referrals already on record (the same person and event on this programme).
        existing = _on_record(programme.pk, list({r["match_index"] for r in clean}))
        for r in clean:
            if (r["match_index"], r["event_at"]) in existing:
                errors.append(RowError(r["row"], "event_at", "This referral is already on record."))
    return clean, errors


def _chunks(values: list, size: int = 900):
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _on_record(programme_id: int, keys: list[str]) -> set[tuple]:
    """(match key, event time) of this programme's referrals of these people."""
    if connection.vendor == "postgresql":  # one query, the keys as one array parameter
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.match_index, r.event_at FROM programmes_referral r "
                "JOIN programmes_youngpersonidentity i ON i.young_person_id = r.young_person_id "
                "WHERE r.programme_id = %s AND i.match_index = ANY(%s)",
                [programme_id, keys],
            )
            return set(cursor.fetchall())
    found = set()
    for chunk in _chunks(keys):
        found.update(
            Referral.objects.filter(
                programme_id=programme_id, young_person__identity__match_index__in=chunk
            ).values_list("young_person__identity__match_index", "event_at")
        )
    return found


def _known(partnership_id: int, keys: list[str]) -> list[tuple[str, int]]:
    """(match key, young person) of people already known in the partnership."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.match_index, i.young_person_id FROM programmes_youngpersonidentity i "
                "JOIN programmes_youngperson p ON p.id = i.young_person_id "
                "WHERE p.partnership_id = %s AND i.match_index = ANY(%s)",
                [partnership_id, keys],
            )
            return cursor.fetchall()
    found = []
    for chunk in _chunks(keys):
        found.extend(
            YoungPersonIdentity.objects.filter(
                young_person__partnership_id=partnership_id, match_index__in=chunk
            ).values_list("match_index", "young_person_id")
        )
    return found


def read_rows(*, file_name: str, content: bytes) -> list[dict]:
    """The rows of an uploaded file: CSV with the csv module (fast), XLSX through read_table.
    Either way: UTF-8, no NUL bytes, no duplicate columns, no cell a spreadsheet would run
    as a formula, or a clear error."""
    if file_name.lower().endswith(".csv"):
        rows = [row for row in core_imports.csv_rows(core_imports.decode_csv(content)) if row]
        if not rows:
            return []
        core_imports.check_cells(header=rows[0], rows=rows[1:])
        header = [h.strip().lower() for h in rows[0]]
        core_imports.check_headers(header)
        return [
            dict(zip(header, row + [""] * (len(header) - len(row)), strict=False))
            for row in rows[1:]
            if any(row)
        ]
    return list(read_table(file_name=file_name, content=content).dict)


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


def _load_postgresql(
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


def _load_orm(
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


@transaction.atomic
def referrals_import(
    *, actor: User | None, programme: Programme, rows: list[dict]
) -> ReferralImportOutcome:
    """Validate every row; if any has an error, import nothing and return the errors."""
    if actor is not None and not permissions.can_import_referrals(actor, programme):
        raise PermissionDenied
    outcome = ReferralImportOutcome(total_rows=len(rows))
    if rows:
        missing = [c for c in REQUIRED_COLUMNS if c not in rows[0]]
        if missing:
            outcome.errors = [RowError(1, c, "This column is missing.") for c in missing]
            return outcome
    now = timezone.now()
    clean, errors = _validate(programme=programme, rows=rows, now=now)
    if errors:
        outcome.errors = errors
        return outcome
    duplicate_of: dict[str, list[int]] = {}
    for key, person in _known(programme.partnership_id, list({r["match_index"] for r in clean})):
        duplicate_of.setdefault(key, []).append(person)
    in_file: dict[str, int] = {}
    for r in clean:
        in_file[r["match_index"]] = in_file.get(r["match_index"], 0) + 1
    outcome.possible_duplicates = sum(
        1 for r in clean if r["match_index"] in duplicate_of or in_file[r["match_index"]] > 1
    )
    load = _load_postgresql if connection.vendor == "postgresql" else _load_orm
    load(
        programme=programme,
        clean=clean,
        actor_id=actor.pk if actor else None,
        now=now,
        duplicate_of=duplicate_of,
    )
    outcome.imported_rows = len(clean)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        verb="referral.imported",
        target=programme,
        partnership=programme.partnership,
        changes={"rows": len(clean), "possible_duplicates": outcome.possible_duplicates},
    )
    return outcome
