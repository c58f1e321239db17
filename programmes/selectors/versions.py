"""The version history of a record (programmes.models.RecordVersion): who, when, why and
what changed, field by field in the words of its form, before and after.

The identity's old and new values (name, date of birth, address, contact details) are shown
only where the page shows the identity itself (after a recent password, and audited as an
identity read); elsewhere the history says only that they changed."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import formats, timezone

from programmes.inputs import IDENTITY_FIELDS
from programmes.models import (
    Contact,
    EducationStatus,
    Ethnicity,
    Gender,
    Outcome,
    RecordVersion,
    Referral,
    Session,
)
from vru.models import User

Kind = RecordVersion.Kind

LABELS = {
    Kind.REFERRAL: {
        "first_name": "First name",
        "last_name": "Last name",
        "date_of_birth": "Date of birth",
        "address": "Address",
        "postcode": "Postcode",
        "phone": "Phone",
        "email": "Email",
        "gender": "Gender",
        "ethnicity": "Ethnicity",
        "education_status": "Education",
        "home_lsoa": "Home neighbourhood",
        "source": "Where the referral came from",
        "reason": "Reason for the referral",
        "consent_given_by": "Consent given by",
        "consent_given_at": "When consent was given",
        "consent_reconfirm_by": "Reconfirm consent by",
        "parental_consent_not_needed": "Why a parent's or carer's consent is not needed",
        "risk_factors": "Risk factors",
        "protective_factors": "Protective factors",
        "eligibility_override_reason": "Reason for accepting outside the eligibility",
        "event_at": "When the event happened",
        "referred_at": "When the referral was made",
        "assigned_to": "Assigned practitioner",
    },
    Kind.CONTACT: {
        "occurred_at": "When the contact happened",
        "method": "Method",
        "duration_minutes": "Duration in minutes",
        "notes": "Notes",
        "next_step": "Next step",
    },
    Kind.OUTCOME: {"kind": "Outcome", "achieved_on": "Date achieved", "notes": "Notes"},
    Kind.SESSION: {
        "kind": "Kind of session",
        "held_on": "Date of the session",
        "place": "Place",
        "lsoa": "Neighbourhood",
        "counts": "Young people by age band and gender",
        "issues_raised": "Issues raised",
    },
}
CHOICES = {
    (Kind.REFERRAL, "gender"): Gender,
    (Kind.REFERRAL, "ethnicity"): Ethnicity,
    (Kind.REFERRAL, "education_status"): EducationStatus,
    (Kind.REFERRAL, "source"): Referral.Source,
    (Kind.REFERRAL, "reason"): Referral.Reason,
    (Kind.REFERRAL, "consent_given_by"): Referral.ConsentBy,
    (Kind.CONTACT, "method"): Contact.Method,
    (Kind.OUTCOME, "kind"): Outcome.Kind,
    (Kind.SESSION, "kind"): Session.Kind,
}
NOT_SHOWN = "changed (confirm it is you to see the details)"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str
    hidden: bool = False
    field: str = ""  # the field's name, as the API takes it


@dataclass(frozen=True)
class Version:
    title: str
    number: int
    by: User | None
    at: datetime
    why: str
    changes: list[Change]


def _shown(kind: str, field: str, value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    choices = CHOICES.get((kind, field))
    if choices is not None:
        try:
            return str(choices(value).label) or "–"
        except ValueError:
            return str(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            if len(value) == 10:
                return formats.date_format(date.fromisoformat(value), "j M Y")
            moment = timezone.localtime(datetime.fromisoformat(value))
            return formats.date_format(moment, "j M Y H:i")
        except ValueError:
            pass
    return str(value)


def _version(row: RecordVersion, title: str, show_identity: bool) -> Version:
    labels = LABELS[row.kind]
    changes = []
    for field, (before, after) in row.changes().items():
        if row.kind == Kind.REFERRAL and field in IDENTITY_FIELDS and not show_identity:
            changes.append(
                Change(labels.get(field, field), "", NOT_SHOWN, hidden=True, field=field)
            )
            continue
        changes.append(
            Change(
                labels.get(field, field),
                _shown(row.kind, field, before),
                _shown(row.kind, field, after),
                field=field,
            )
        )
    return Version(title, row.version, row.changed_by, row.changed_at, row.why, changes)


def _rows(viewer: User):
    return RecordVersion.objects.filter(partnership_id=viewer.partnership_id).select_related(
        "changed_by"
    )


def record_history(*, viewer: User, kind: str, object_id: int) -> list[Version]:
    """One record's corrections, newest first (the door has found the record through the
    selector that says the viewer may see it)."""
    rows = _rows(viewer).filter(kind=kind, object_id=object_id).order_by("-version")
    return [_version(row, f"Version {row.version}", show_identity=False) for row in rows]


def case_history(*, viewer: User, referral: Referral, show_identity: bool) -> list[Version]:
    """The corrections of a case: of the referral, its contacts and its outcomes, newest
    first, each titled by what it corrected."""
    rows = list(_rows(viewer).filter(referral=referral).order_by("-changed_at", "-id"))
    contacts = Contact.objects.in_bulk([r.object_id for r in rows if r.kind == Kind.CONTACT])
    outcomes = Outcome.objects.in_bulk([r.object_id for r in rows if r.kind == Kind.OUTCOME])
    versions = []
    for row in rows:
        if row.kind == Kind.CONTACT and row.object_id in contacts:
            at = timezone.localtime(contacts[row.object_id].occurred_at)
            what = f"Contact of {formats.date_format(at, 'j M Y H:i')}"
        elif row.kind == Kind.OUTCOME and row.object_id in outcomes:
            what = f"Outcome: {outcomes[row.object_id].get_kind_display()}"
        else:
            what = "Referral"
        title = f"{what}, version {row.version}"
        versions.append(_version(row, title, show_identity))
    return versions
