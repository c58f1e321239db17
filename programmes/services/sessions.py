"""Group and detached sessions: anonymous counts, optional named attendees."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from programmes import inputs, permissions
from programmes.models import (
    DetachedContact,
    Programme,
    Session,
    SessionCount,
    YoungPerson,
)
from vru.models import LSOA, AuditEvent, User
from vru.services import audit_record


@transaction.atomic
def session_record(
    *,
    actor: User | None,
    programme: Programme,
    kind: str,
    held_on: date,
    place: str,
    lsoa: LSOA | None = None,
    counts: dict[tuple[str, str], int] | None = None,
    issues_raised: str = "",
    staff=(),
    attendees=(),
) -> Session:
    """Record a session. `counts` maps (age band, gender) to the number of young people."""
    if actor is not None and not permissions.can_record_session(actor, programme):
        raise PermissionDenied
    given = {
        "kind": kind,
        "held_on": held_on,
        "place": place,
        "lsoa": lsoa,
        "counts": counts,
        "issues_raised": issues_raised,
    }
    values, errors = inputs.check_session(given, programme=programme)
    inputs.raise_if(errors)
    session = Session(
        programme=programme,
        kind=values["kind"],
        held_on=values["held_on"],
        place=values["place"],
        lsoa=values["lsoa"],
        issues_raised=values["issues_raised"],
        created_by=actor,
    )
    session.full_clean()
    session.save()
    rows = [
        SessionCount(session=session, age_band=band, gender=gender, count=count)
        for (band, gender), count in values["counts"].items()
    ]
    SessionCount.objects.bulk_create(rows)
    session.staff.set(staff)
    session.attendees.set([a for a in attendees if a.partnership_id == programme.partnership_id])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="session.created",
        target=session,
        partnership=programme.partnership,
        changes={"young_people": sum(r.count for r in rows)},
    )
    return session


@transaction.atomic
def detached_contact_record(
    *, actor: User | None, session: Session, age_band: str, gender: str, summary: str = ""
) -> DetachedContact:
    if actor is not None and not permissions.can_record_session(actor, session.programme):
        raise PermissionDenied
    if session.kind != Session.Kind.DETACHED:
        raise ValidationError("Anonymous contacts are recorded on detached sessions.")
    contact = DetachedContact(session=session, age_band=age_band, gender=gender, summary=summary)
    contact.full_clean()
    contact.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="detached_contact.created",
        target=contact,
        partnership=session.programme.partnership,
    )
    return contact


@transaction.atomic
def session_attendee_add(
    *, actor: User | None, session: Session, young_person: YoungPerson
) -> Session:
    """Name a young person as having attended. The caller passes someone the actor may see
    (selectors.attendee_candidate); anonymised records cannot be named."""
    if actor is not None and not permissions.can_record_session(actor, session.programme):
        raise PermissionDenied
    if young_person.partnership_id != session.programme.partnership_id:
        raise ValidationError({"reference": "No young person with that reference."})
    if young_person.anonymised_at is not None:
        raise ValidationError({"reference": "This young person's record has been anonymised."})
    if session.attendees.filter(pk=young_person.pk).exists():
        raise ValidationError({"reference": f"{young_person.reference} is already named."})
    session.attendees.add(young_person)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="session.attendee_added",
        target=session,
        partnership=session.programme.partnership,
        changes={"young_person": young_person.reference},
    )
    return session


@transaction.atomic
def session_attendee_remove(
    *, actor: User | None, session: Session, young_person: YoungPerson
) -> Session:
    if actor is not None and not permissions.can_record_session(actor, session.programme):
        raise PermissionDenied
    if not session.attendees.filter(pk=young_person.pk).exists():
        return session  # already removed (a second click): nothing to do
    session.attendees.remove(young_person)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="session.attendee_removed",
        target=session,
        partnership=session.programme.partnership,
        changes={"young_person": young_person.reference},
    )
    return session
