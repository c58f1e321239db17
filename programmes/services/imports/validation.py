"""Checking every row of a custody spreadsheet before anything is saved.

Each problem is a RowError with the spreadsheet's row number (the header is row 1), the
column and a reason. Duplicates: the same young person (name and date of birth) and event
twice in the file, or a referral already on record for the programme, are errors; the same
young person with another event is flagged later as a possible duplicate, never merged.
Over-long values and future times are row errors, never truncated. The programme's
eligibility (age, reasons, areas: programmes.eligibility) applies to every row.
"""

import re
from collections.abc import Callable
from datetime import datetime

from django.db import connection
from django.utils import timezone

from programmes.eligibility import Eligibility
from programmes.models import (
    EducationStatus,
    Ethnicity,
    Gender,
    Programme,
    ProgrammeStaff,
    Referral,
    YoungPersonIdentity,
)
from programmes.services.imports.reading import choice, day, lookup, when
from programmes.services.referrals import age_on
from vru.fields import blind_indexer
from vru.models import LSOA
from vru.services import RowError

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
PROGRESS_EVERY = 5000
_HEX_LIST = re.compile(r"[0-9a-f]+(?:,[0-9a-f]+)*")


def missing_columns(rows: list[dict]) -> list[RowError]:
    if not rows:
        return []
    return [RowError(1, c, "This column is missing.") for c in REQUIRED_COLUMNS if c not in rows[0]]


def validate(
    *,
    programme: Programme,
    rows: list[dict],
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[dict], list[RowError]]:
    """(the rows without errors, typed; every error). Rows are checked one by one, then
    against each other and against the referrals on record."""
    lsoas = {
        code: (pk, la)
        for code, pk, la in LSOA.objects.filter(partnership=programme.partnership).values_list(
            "code", "pk", "local_authority_id"
        )
    }
    staff = dict(
        ProgrammeStaff.objects.filter(programme=programme).values_list("user__username", "user_id")
    )
    rules = Eligibility.of(programme)
    zone = timezone.get_current_timezone()
    # Each cell's text is parsed once per distinct value (choices, dates and times repeat
    # down a spreadsheet); cells that are not text (from XLSX) are parsed every time.
    reasons = lookup(Referral.Reason.choices)
    sources = lookup(Referral.Source.choices)
    genders = lookup(Gender.choices)
    ethnicities = lookup(Ethnicity.choices)
    educations = lookup(EducationStatus.choices)
    reason_of = _once(lambda v: choice(v, reasons, None))
    source_of = _once(lambda v: choice(v, sources, Referral.Source.CUSTODY))
    gender_of = _once(lambda v: choice(v, genders, Gender.NOT_SAID))
    ethnicity_of = _once(lambda v: choice(v, ethnicities, Ethnicity.NOT_SAID))
    education_of = _once(lambda v: choice(v, educations, EducationStatus.UNKNOWN))
    day_of = _once(day)
    time_of = _once(lambda v: when(v, zone))
    index_for = blind_indexer()  # = YoungPersonIdentity.index_for, prepared once
    errors: list[RowError] = []
    clean: list[dict] = []
    seen: dict[tuple, int] = {}
    for number, row in enumerate(rows, start=2):
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number - 1)
        bad: list[RowError] = []
        get = row.get
        first = str(get("first_name") or "").strip()
        last = str(get("last_name") or "").strip()
        if not first:
            bad.append(RowError(number, "first_name", "Enter the first name."))
        elif len(first) > NAME_MAX:
            bad.append(
                RowError(
                    number, "first_name", f"The first name is longer than {NAME_MAX} characters."
                )
            )
        if not last:
            bad.append(RowError(number, "last_name", "Enter the last name."))
        elif len(last) > NAME_MAX:
            bad.append(
                RowError(
                    number, "last_name", f"The last name is longer than {NAME_MAX} characters."
                )
            )
        postcode = str(get("postcode") or "").strip()
        if len(postcode) > POSTCODE_MAX:
            bad.append(
                RowError(
                    number, "postcode", f"The postcode is longer than {POSTCODE_MAX} characters."
                )
            )
        dob = day_of(get("date_of_birth"))
        if dob is None:
            bad.append(RowError(number, "date_of_birth", "Enter the date of birth as YYYY-MM-DD."))
        event_at = time_of(get("event_at"))
        if event_at is None:
            bad.append(RowError(number, "event_at", "Enter the event time as YYYY-MM-DD HH:MM."))
        given_referred = get("referred_at")
        referred_at = time_of(given_referred) if given_referred else event_at
        if given_referred and referred_at is None:
            bad.append(
                RowError(number, "referred_at", "Enter the referral time as YYYY-MM-DD HH:MM.")
            )
        reason = reason_of(get("reason"))
        if reason is None:
            bad.append(RowError(number, "reason", f"Unknown reason “{get('reason') or ''}”."))
        elif message := rules.reason_error(reason):
            bad.append(RowError(number, "reason", message))
        source = source_of(get("source"))
        if source is None:
            bad.append(RowError(number, "source", f"Unknown source “{get('source')}”."))
        gender = gender_of(get("gender"))
        if gender is None:
            bad.append(RowError(number, "gender", f"Unknown gender “{get('gender')}”."))
        ethnicity = ethnicity_of(get("ethnicity"))
        if ethnicity is None:
            bad.append(RowError(number, "ethnicity", f"Unknown ethnicity “{get('ethnicity')}”."))
        education = education_of(get("education_status"))
        if education is None:
            bad.append(
                RowError(
                    number,
                    "education_status",
                    f"Unknown education status “{get('education_status')}”.",
                )
            )
        lsoa_code = str(get("home_lsoa") or "").strip().upper()
        lsoa_id, authority_id = lsoas.get(lsoa_code, (None, None)) if lsoa_code else (None, None)
        if lsoa_code and lsoa_id is None:
            bad.append(
                RowError(
                    number, "home_lsoa", f"{lsoa_code} is not a neighbourhood of your partnership."
                )
            )
        elif message := rules.area_error(authority_id):
            bad.append(RowError(number, "home_lsoa", message))
        username = str(get("assigned_to") or "").strip()
        assigned_id = staff.get(username) if username else None
        if username and assigned_id is None:
            bad.append(
                RowError(number, "assigned_to", f"{username} is not on the programme's staff.")
            )
        if event_at and referred_at and event_at > referred_at:
            bad.append(RowError(number, "event_at", "The event must be before the referral."))
        if event_at and event_at > now:
            bad.append(RowError(number, "event_at", "The event time is in the future."))
        if given_referred and referred_at and referred_at > now:
            bad.append(RowError(number, "referred_at", "The referral time is in the future."))
        age = None
        if dob and event_at:
            age = age_on(dob, event_at.astimezone(zone).date())
            if message := rules.age_error(age):
                bad.append(RowError(number, "date_of_birth", message))
        match_index = index_for(first, last, dob) if dob else ""
        if first and last and dob and event_at:
            key = (match_index, event_at)
            if key in seen:
                bad.append(
                    RowError(
                        number, "first_name", f"The same young person and event as row {seen[key]}."
                    )
                )
            else:
                seen[key] = number
        if bad:
            errors.extend(bad)
            continue
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
    errors.sort(key=lambda e: e.row)
    return clean, errors


def _once(parse: Callable):
    """parse, remembered for each text value (a non-text cell is parsed each time: 1, 1.0
    and True are equal keys but not the same cell)."""
    known: dict = {}

    def parsed(value):
        if value.__class__ is not str:
            return parse(value)
        try:
            return known[value]
        except KeyError:
            known[value] = result = parse(value)
            return result

    return parsed


def on_record_errors(on_record: set[tuple], clean: list[dict]) -> list[RowError]:
    """Rows whose young person and event are already on record for the programme."""
    return [
        RowError(r["row"], "event_at", "This referral is already on record.")
        for r in clean
        if (r["match_index"], r["event_at"]) in on_record
    ]


def _chunks(values: list, size: int = 900):
    for i in range(0, len(values), size):
        yield values[i : i + size]


def matches(
    *, partnership_id: int, programme_id: int, keys: list[str]
) -> tuple[set[tuple], list[tuple[str, int]]]:
    """For these blind-index keys: (key, event time) of the programme's referrals already on
    record, and (key, young person) of people already known in the partnership. On
    PostgreSQL two queries: the keys (one array parameter) to the people they name, then
    those people's partnership and referrals."""
    if not keys:
        return set(), []
    if connection.vendor == "postgresql":
        # blind indexes are hex: spelled as one array literal here rather than adapted
        # element by element by psycopg (a third of a second for 100,000 keys)
        joined = ",".join(keys)
        array = "{" + joined + "}" if _HEX_LIST.fullmatch(joined) else keys
        with connection.cursor() as cursor:
            cursor.execute(
                # one index probe per key, in a LATERAL subquery the planner cannot turn
                # into a hash join (OFFSET 0): it expects every key to match, so a plain
                # join read and hashed every identity instead (1.8 s at a million against
                # 0.7 s), though a file brings few people already known
                "SELECT i.match_index, i.young_person_id FROM unnest(%s::text[]) AS k(key) "
                "CROSS JOIN LATERAL (SELECT match_index, young_person_id "
                "FROM programmes_youngpersonidentity WHERE match_index = k.key OFFSET 0) AS i",
                [array],
            )
            key_of = {person: key for key, person in cursor.fetchall()}
            if not key_of:
                return set(), []
            # the few people found: theirs if in the partnership, with the programme's
            # referrals of them
            cursor.execute(
                "SELECT p.id, r.event_at FROM programmes_youngperson p "
                "LEFT JOIN programmes_referral r ON r.young_person_id = p.id "
                "AND r.programme_id = %s "
                "WHERE p.id = ANY(%s) AND p.partnership_id = %s",
                [programme_id, list(key_of), partnership_id],
            )
            found = [(key_of[person], person, event_at) for person, event_at in cursor.fetchall()]
        on_record = {(key, event_at) for key, _, event_at in found if event_at is not None}
        known = sorted({(key, person) for key, person, _ in found})
        return on_record, known
    on_record: set[tuple] = set()
    known: list[tuple[str, int]] = []
    for chunk in _chunks(keys):
        on_record.update(
            Referral.objects.filter(
                programme_id=programme_id, young_person__identity__match_index__in=chunk
            ).values_list("young_person__identity__match_index", "event_at")
        )
        known.extend(
            YoungPersonIdentity.objects.filter(
                young_person__partnership_id=partnership_id, match_index__in=chunk
            ).values_list("match_index", "young_person_id")
        )
    return on_record, known
