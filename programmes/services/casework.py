"""Casework on a referral: 1:1 contacts (the first stops the 24-hour clock) and outcomes.
Keyword-only, one transaction each, audited."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programmes import inputs, permissions
from programmes.models import Contact, Outcome, Referral
from programmes.services.referrals import _change_status, _locked, _require
from vru.models import AuditEvent, User
from vru.services import audit_record


@transaction.atomic
def contact_record(
    *,
    actor: User | None,
    referral: Referral,
    occurred_at: datetime,
    method: str,
    duration_minutes: int = 0,
    notes: str = "",
    next_step: str = "",
) -> Contact:
    """Log a 1:1 contact. The first contact stops the 24-hour clock and moves a received
    referral to contacted."""
    referral = _locked(referral)
    if actor is not None:
        _require(permissions.can_work_on_referral(actor, referral))
    given = {
        "occurred_at": occurred_at,
        "method": method,
        "duration_minutes": duration_minutes,
        "notes": notes,
        "next_step": next_step,
    }
    values, errors = inputs.check_contact(given, referral=referral)
    inputs.raise_if(errors)
    contact = Contact(referral=referral, recorded_by=actor, **values)
    contact.full_clean()
    contact.save()
    occurred_at = contact.occurred_at
    if referral.first_contact_at is None or occurred_at < referral.first_contact_at:
        referral.first_contact_at = occurred_at
        referral.awaiting_contact = False
        referral.save(update_fields=["first_contact_at", "awaiting_contact"])
    if referral.status == Referral.Status.RECEIVED:
        _change_status(
            actor=actor, referral=referral, to_status=Referral.Status.CONTACTED, at=occurred_at
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="contact.created",
        target=contact,
        partnership=referral.partnership,
        changes={"referral": referral.pk},
    )
    return contact


@transaction.atomic
def outcome_record(
    *, actor: User | None, referral: Referral, kind: str, achieved_on: date, notes: str = ""
) -> Outcome:
    referral = _locked(referral)
    if actor is not None:
        _require(permissions.can_work_on_referral(actor, referral))
    given = {"kind": kind, "achieved_on": achieved_on, "notes": notes}
    values, errors = inputs.check_outcome(given, referral=referral)
    inputs.raise_if(errors)
    outcome = Outcome(referral=referral, recorded_by=actor, **values)
    outcome.full_clean()
    try:
        with transaction.atomic():
            outcome.save()
    except IntegrityError:  # the same outcome recorded at the same moment elsewhere
        raise ValidationError({"kind": inputs.OUTCOME_ALREADY}, code="duplicate") from None
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="outcome.created",
        target=outcome,
        partnership=referral.partnership,
        changes={"referral": referral.pk, "kind": outcome.kind},
    )
    return outcome
