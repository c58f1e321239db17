"""Checking every row of a custody spreadsheet before anything is saved.

Each row's cells are parsed here (a choice by its value or label, dates and times as ISO
text); then the referral's one input (programmes.inputs.ReferralInput, the same as the form's
and the API's) judges the row, with everything it looks up looked up once for the file: no
query a row. Each problem is a RowError with the spreadsheet's row number (the header is row
1), the column and the input's reason. The file's own defaults: no source is "custody", no
referral time is the event's. The import has no eligibility override: a row outside the
programme's eligibility is a row error. Duplicates: the same young person (name and date of
birth) and event twice in the file, or a referral already on record for the programme, are
errors; the same young person with another event is flagged later as a possible duplicate,
never merged.
"""

import re
from collections.abc import Callable
from datetime import datetime

from django.db import connection
from django.utils import timezone

from programmes.inputs import ReferralInput
from programmes.models import (
    EducationStatus,
    Ethnicity,
    Gender,
    Programme,
    Referral,
    YoungPersonIdentity,
)
from programmes.services.imports.reading import choice, day, lookup, when
from vru.blind_index import blind_indexer
from vru.services import RowError

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
    # consent (programmes.inputs.consent): who gave it, when, when to reconfirm it, and why a
    # parent's or carer's is not needed for an under-13 who gave it alone
    "consent_given_by",
    "consent_given_at",
    "consent_reconfirm_by",
    "parental_consent_not_needed",
]
PROGRESS_EVERY = 5000
_HEX_LIST = re.compile(r"[0-9a-f]+(?:,[0-9a-f]+)*")
_UNPARSED = object()  # a cell that is not a date or time (its own error, not judged again)


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
    """(the rows without errors, as the input judged them; every error). Rows are judged one
    by one, then against each other; the caller checks them against the referrals on
    record."""
    judge = ReferralInput(
        programme=programme,
        overridable=False,
        now=now,
        carried=REQUIRED_COLUMNS + OPTIONAL_COLUMNS,
    ).preload()
    check = judge.check
    zone = timezone.get_current_timezone()
    # Each cell's text is parsed once per distinct value (choices, dates and times repeat
    # down a spreadsheet); cells that are not text (from XLSX) are parsed every time. A
    # choice not found is passed on as typed, for the input to refuse.
    reasons = lookup(Referral.Reason.choices)
    sources = lookup(Referral.Source.choices)
    genders = lookup(Gender.choices)
    ethnicities = lookup(Ethnicity.choices)
    educations = lookup(EducationStatus.choices)
    consents = lookup(Referral.ConsentBy.choices)
    consent_of = _once(lambda v: choice(v, consents, None) or v)
    reason_of = _once(lambda v: choice(v, reasons, None) or v)
    source_of = _once(lambda v: choice(v, sources, Referral.Source.CUSTODY) or v)
    gender_of = _once(lambda v: choice(v, genders, None) or v)
    ethnicity_of = _once(lambda v: choice(v, ethnicities, None) or v)
    education_of = _once(lambda v: choice(v, educations, None) or v)
    day_of = _once(lambda v: day(v) or (_UNPARSED if _filled(v) else None))
    time_of = _once(lambda v: when(v, zone) or (_UNPARSED if _filled(v) else None))
    index_for = blind_indexer()  # = YoungPersonIdentity.index_for, prepared once
    errors: list[RowError] = []
    clean: list[dict] = []
    seen: dict[tuple, int] = {}
    for number, row in enumerate(rows, start=2):
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number - 1)
        get = row.get
        bad: list[RowError] = []
        unparsed = []
        dob = day_of(get("date_of_birth"))
        if dob is _UNPARSED:
            bad.append(RowError(number, "date_of_birth", "Enter the date of birth as YYYY-MM-DD."))
            unparsed.append("date_of_birth")
        event_at = time_of(get("event_at"))
        if event_at is _UNPARSED:
            bad.append(RowError(number, "event_at", "Enter the event time as YYYY-MM-DD HH:MM."))
            unparsed.append("event_at")
        if _filled(get("referred_at")):
            referred_at = time_of(get("referred_at"))
        else:  # the file's default: referred at the event's time
            referred_at = event_at
            if event_at is None:
                unparsed.append("referred_at")  # no event time: its own error, not twice
        if referred_at is _UNPARSED:
            if "event_at" not in unparsed:  # its own cell, not the event's copied
                bad.append(
                    RowError(number, "referred_at", "Enter the referral time as YYYY-MM-DD HH:MM.")
                )
            unparsed.append("referred_at")
        consent = _consent_cells(get, number, consent_of, day_of, time_of, bad, unparsed)
        values, problems = check(
            {
                **consent,
                "first_name": get("first_name"),
                "last_name": get("last_name"),
                "date_of_birth": dob,
                "event_at": event_at,
                "referred_at": referred_at,
                "reason": reason_of(get("reason")),
                "source": source_of(get("source")),
                "gender": gender_of(get("gender")),
                "ethnicity": ethnicity_of(get("ethnicity")),
                "education_status": education_of(get("education_status")),
                "home_lsoa": get("home_lsoa"),
                "postcode": get("postcode"),
                "assigned_to": str(get("assigned_to") or "").strip(),
            },
            skip=unparsed,
        )
        for column, messages in problems.items():
            bad.extend(RowError(number, column, message) for message in messages)
        first, last = values.get("first_name"), values.get("last_name")
        dob, event_at = values.get("date_of_birth"), values.get("event_at")
        match_index = index_for(first, last, dob) if first and last and dob else ""
        if match_index and event_at:
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
        values["row"] = number
        values["match_index"] = match_index
        clean.append(values)
    errors.sort(key=lambda e: e.row)
    return clean, errors


def _consent_cells(get, number, consent_of, day_of, time_of, bad, unparsed) -> dict:
    """A row's consent cells, parsed (most files have none: nothing is parsed then)."""
    given_by, given_at, reconfirm = (
        get("consent_given_by"),
        get("consent_given_at"),
        get("consent_reconfirm_by"),
    )
    reason = get("parental_consent_not_needed")
    if not (_filled(given_by) or _filled(given_at) or _filled(reconfirm) or _filled(reason)):
        return {}
    at = time_of(given_at)
    if at is _UNPARSED:
        bad.append(
            RowError(number, "consent_given_at", "Enter the consent time as YYYY-MM-DD HH:MM.")
        )
        unparsed.append("consent_given_at")
    reconfirm_on = day_of(reconfirm)
    if reconfirm_on is _UNPARSED:
        bad.append(
            RowError(number, "consent_reconfirm_by", "Enter the day to reconfirm as YYYY-MM-DD.")
        )
        reconfirm_on = None
    by = consent_of(given_by) if _filled(given_by) else ""
    return {
        "consent_given_by": by,
        "consent_given_at": at,
        "consent_reconfirm_by": reconfirm_on,
        "parental_consent_not_needed": reason,
    }


def _filled(value) -> bool:
    return value is not None and str(value).strip() != ""


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
