"""A record sent from the street-work page on a phone: its envelope (the id the phone made,
when it was made, which kind of record) and the parsing of its fields into the values the
session and contact services take. What makes a session or a contact valid is not here: the
services judge them by the same inputs as every other door (check_session, the models)."""

import uuid
from datetime import datetime, timedelta

from django.utils import timezone

from programmes.inputs.common import Errors, _add
from programmes.models import StreetRecord

# A phone's clock may run a little fast; a record older than this was never sent in time
# (a phone found in a drawer): the worker records it on the session page instead.
CLOCK_SLACK = timedelta(minutes=10)
OLDEST = timedelta(days=14)
MAX_RECORDS = 200
KINDS = frozenset(StreetRecord.Kind.values)


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def _moment(value) -> datetime | None:
    try:
        at = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    return at if timezone.is_aware(at) else None


def _number(value, low: float, high: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if low <= value <= high else None


def check_envelope(record, *, now=None) -> tuple[dict, Errors]:
    """The id, kind and time of a record from the phone: a UUID, a known kind, a time with
    its offset neither in the future (past a little clock slack) nor older than OLDEST."""
    now = now or timezone.now()
    errors: Errors = {}
    if not isinstance(record, dict):
        return {}, {"record": ["Each record is an object."]}
    client_id = _uuid(record.get("id"))
    if client_id is None:
        _add(errors, "id", "Each record needs the id the phone made (a UUID).")
    kind = record.get("type")
    if kind not in KINDS:
        _add(errors, "type", "A record is a session or a contact.")
    made_at = _moment(record.get("made_at"))
    if made_at is None:
        _add(errors, "made_at", "Give the time the record was made, with its offset.")
    elif made_at > now + CLOCK_SLACK:
        _add(errors, "made_at", "The record was made in the future: check the phone's clock.")
    elif made_at < now - OLDEST:
        _add(
            errors,
            "made_at",
            f"The record is older than {OLDEST.days} days: record it on the session page.",
        )
    return {"client_id": client_id, "kind": kind, "made_at": made_at}, errors


def session_values(record: dict) -> tuple[dict, Errors]:
    """A session record's fields as session_record takes them (the programme is the id of
    one of the worker's programmes; the services judge everything else)."""
    errors: Errors = {}
    counts: dict[tuple[str, str], int] = {}
    for row in record.get("counts") or []:
        count = row.get("count") if isinstance(row, dict) else None
        if isinstance(count, bool) or not isinstance(count, int):
            _add(errors, "counts", "Each count is a whole number.")
            break
        key = (str(row.get("age_band", "")), str(row.get("gender", "")))
        counts[key] = counts.get(key, 0) + count
    latitude = _number(record.get("latitude"), -90, 90)
    longitude = _number(record.get("longitude"), -180, 180)
    staff = record.get("staff") or []
    if not isinstance(staff, list) or not all(
        isinstance(pk, int) and not isinstance(pk, bool) for pk in staff
    ):
        _add(errors, "staff", "Staff present are given by their ids.")
        staff = []
    programme = record.get("programme")
    if isinstance(programme, bool) or not isinstance(programme, int):
        _add(errors, "programme", "Select programme")
    return {
        "programme": programme,
        "kind": record.get("kind") or "detached",
        "place": record.get("place") or "",
        "lsoa": record.get("lsoa") or None,
        "counts": counts,
        "issues_raised": record.get("issues_raised") or "",
        "staff": staff,
        "location": (latitude, longitude) if None not in (latitude, longitude) else None,
    }, errors


def contact_values(record: dict) -> dict:
    return {
        "session": _uuid(record.get("session")),
        "age_band": str(record.get("age_band") or ""),
        "gender": str(record.get("gender") or ""),
        "summary": str(record.get("summary") or ""),
    }
