"""Corrections of referrals, contacts, outcomes and sessions: judged by the same input as
their creation (programmes.inputs.corrections), each kept as a numbered version with who,
when, why and every field before and after (programmes.models.RecordVersion), written in
the same transaction as the change, and audited.

- Who may correct a record is who may write it: `can_work_on_referral` for a case and its
  contacts and outcomes, `can_record_session` for a session; a case's assignee is corrected
  only by whoever may assign it (`can_assign_referral`, the assign page's rule).
- A referral's corrected event or referral time sets its due time again (the 24-hour clock:
  programmes.services.correction_rules).
- Concurrency: the door passes the version its form was loaded at; if the record has a
  newer version by the time the row is locked, the correction is refused, never saved over
  someone else's.
- Identity (name, date of birth, address, postcode, phone, e-mail) changes only for a user
  who proved who they are recently (`reauthenticated`: the door's vru.accounts check), and is
  audited on its own verb, naming the fields changed, never their values.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from programmes import inputs, permissions
from programmes.models import (
    Contact,
    Outcome,
    RecordVersion,
    Referral,
    Session,
    SessionCount,
    YoungPerson,
    YoungPersonIdentity,
)
from programmes.services import correction_rules as rules
from programmes.services.referrals import _locked, _require, possible_duplicates
from programmes.services.search_index import search_index_write
from programmes.services.versions import current_version
from programmes.services.versions import keep as _keep
from vru.models import LSOA, AuditEvent, User
from vru.services import audit_record

WHY_MISSING = "Enter why you are making this change"
WHY_LONGEST = 2000
STALE = (
    "Someone else changed this record after you opened it. Your changes have not been "
    "saved: reload the page to see their changes, then make yours again."
)
REAUTH_NEEDED = (
    "Confirm it is you (enter your password again) before changing the young person's name, "
    "date of birth, address or contact details."
)


def _begin(kind: str, object_id: int, version: int | None, why: str, errors: dict) -> int:
    """The checks every correction starts with: the version the form was loaded at is still
    the record's (else STALE); why is given. Returns the record's current version."""
    current = current_version(kind, object_id)
    if version is not None and int(version) != current:
        raise ValidationError({NON_FIELD_ERRORS: [STALE]}, code="stale")
    why = (why or "").strip()
    if not why:
        errors.setdefault("why", []).append(WHY_MISSING)
    elif len(why) > WHY_LONGEST:
        errors.setdefault("why", []).append(
            f"Why you are making this change must be {WHY_LONGEST} characters or fewer."
        )
    return current


def _finish(changed: dict, errors: dict) -> None:
    if errors:
        raise ValidationError(errors)
    if not changed:
        raise ValidationError({NON_FIELD_ERRORS: [inputs.NOTHING_CHANGED]}, code="unchanged")


def _audit(actor, verb, target, partnership, row: RecordVersion) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb=verb,
        target=target,
        partnership=partnership,
        changes={"version": row.version, "fields": row.fields},
    )


# --- Referrals ---------------------------------------------------------------------------


@transaction.atomic
def referral_correct(
    *,
    actor: User | None,
    referral: Referral,
    why: str,
    version: int | None = None,
    reauthenticated: bool = False,
    **changes,
) -> Referral:
    """Correct a referral and its young person: any of inputs.REFERRAL_CORRECTABLE, judged
    as a new referral is. A changed date of birth sets the age at referral and the
    duplicate key again (and flags, never merges, anyone it now matches); a changed home
    neighbourhood is the young person's and this referral's."""
    unknown = set(changes) - set(inputs.REFERRAL_CORRECTABLE)
    if unknown:
        raise TypeError(f"Not correctable here: {', '.join(sorted(unknown))}")
    referral = _locked(referral)
    if actor is not None:
        _require(permissions.can_work_on_referral(actor, referral))
    person = YoungPerson.objects.select_for_update().get(pk=referral.young_person_id)
    referral.young_person = person
    identity = YoungPersonIdentity.objects.select_for_update().filter(young_person=person).first()
    errors: dict = {}
    current = _begin(RecordVersion.Kind.REFERRAL, referral.pk, version, why, errors)
    changed, refused = inputs.correct_referral(referral, identity, changes, actor=actor)
    for field, messages in refused.items():
        errors.setdefault(field, []).extend(messages)
    identity_changed = sorted(set(changed) & set(inputs.IDENTITY_FIELDS))
    if identity_changed and actor is not None and not reauthenticated:
        raise PermissionDenied(REAUTH_NEEDED)
    after = {name: new for name, (_, new) in changed.items()}
    if "assigned_to" in after:
        assignee = rules.assignee_check(actor, referral, after["assigned_to"])
        changed["assigned_to"] = (referral.assigned_to, assignee)
    for field, messages in rules.times_refused(referral, after).items():
        errors.setdefault(field, []).extend(messages)
    _finish(changed, errors)

    if identity_changed:
        for name in identity_changed:
            setattr(identity, name, after[name])
        identity.match_index = YoungPersonIdentity.index_for(
            identity.first_name, identity.last_name, identity.date_of_birth
        )
        identity.full_clean()
        identity.save()
    person_fields = [f for f in ("gender", "ethnicity", "education_status") if f in after]
    for name in person_fields:
        setattr(person, name, after[name])
    referral_fields = [
        f
        for f in (
            "source",
            "reason",
            "consent_given_by",
            "consent_given_at",
            "consent_reconfirm_by",
            "parental_consent_not_needed",
            "risk_factors",
            "protective_factors",
        )
        if f in after
    ]
    for name in referral_fields:
        setattr(referral, name, after[name])
    if "home_lsoa" in after:
        before_id, after_id = changed["home_lsoa"]
        referral.lsoa_id = person.home_lsoa_id = after_id
        referral_fields.append("lsoa")
        person_fields.append("home_lsoa")
        # kept by code and name: the version says which neighbourhood, not an id
        lsoas = LSOA.objects.in_bulk([pk for pk in (before_id, after_id) if pk])
        changed["home_lsoa"] = (lsoas.get(before_id), lsoas.get(after_id))
    if "eligibility_override_reason" in after:
        referral.eligibility_override = after["eligibility_override_reason"]
        referral_fields.append("eligibility_override")
    referral_fields += rules.times_apply(referral, after)
    assigned_before = referral.assigned_to_id
    if "assigned_to" in after:
        referral.assigned_to_id = after["assigned_to"]
        referral_fields.append("assigned_to")
    born = after.get("date_of_birth") or (identity.date_of_birth if identity else None)
    if born and {"date_of_birth", "event_at"} & set(after):
        referral.age_at_referral = inputs.age_on(born, timezone.localtime(referral.event_at).date())
        referral_fields.append("age_at_referral")
    if person_fields:
        person.full_clean()
        person.save(update_fields=person_fields)
    if referral_fields:
        referral.full_clean()
        referral.save(update_fields=referral_fields)
    if {"first_name", "last_name", "date_of_birth"} & set(identity_changed):
        # the caseload finds people by name and birth date through their blind index
        search_index_write(
            young_person_id=person.pk,
            first_name=identity.first_name,
            last_name=identity.last_name,
            date_of_birth=identity.date_of_birth,
        )
        matches = possible_duplicates(
            partnership=referral.partnership,
            first_name=identity.first_name,
            last_name=identity.last_name,
            date_of_birth=identity.date_of_birth,
        ).exclude(pk=person.pk)
        if matches:
            person.possible_duplicates.add(*matches)

    row = _keep(
        actor=actor,
        kind=RecordVersion.Kind.REFERRAL,
        object_id=referral.pk,
        partnership=referral.partnership,
        referral=referral,
        version=current + 1,
        why=why,
        changed=changed,
    )
    _audit(actor, "referral.corrected", referral, referral.partnership, row)
    if "assigned_to" in after:
        rules.assignee_audit(actor, referral, assigned_before, row.version)
    if identity_changed:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            verb="young_person.identity_changed",
            target=person,
            partnership=referral.partnership,
            changes={"referral": referral.pk, "version": row.version, "fields": identity_changed},
        )
    return referral


# --- Contacts and outcomes ---------------------------------------------------------------


@transaction.atomic
def contact_correct(
    *, actor: User | None, contact: Contact, why: str, version: int | None = None, **changes
) -> Contact:
    """Correct a 1:1 contact, judged as a new one is. A changed time moves the case's first
    contact with it (the earliest contact is the first)."""
    referral = _locked(contact.referral)
    if actor is not None:
        _require(permissions.can_work_on_referral(actor, referral))
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    contact.referral = referral
    errors: dict = {}
    current = _begin(RecordVersion.Kind.CONTACT, contact.pk, version, why, errors)
    changed, refused = inputs.correct_contact(contact, _only(changes, inputs.CONTACT_CORRECTABLE))
    for field, messages in refused.items():
        errors.setdefault(field, []).extend(messages)
    _finish(changed, errors)
    for name, (_, new) in changed.items():
        setattr(contact, name, new)
    contact.full_clean()
    contact.save(update_fields=list(changed))
    if "occurred_at" in changed:
        first = referral.contacts.order_by("occurred_at").values_list("occurred_at", flat=True)[0]
        if first != referral.first_contact_at:
            referral.first_contact_at = first
            referral.save(update_fields=["first_contact_at"])
    row = _keep(
        actor=actor,
        kind=RecordVersion.Kind.CONTACT,
        object_id=contact.pk,
        partnership=referral.partnership,
        referral=referral,
        version=current + 1,
        why=why,
        changed=changed,
    )
    _audit(actor, "contact.corrected", contact, referral.partnership, row)
    return contact


@transaction.atomic
def outcome_correct(
    *, actor: User | None, outcome: Outcome, why: str, version: int | None = None, **changes
) -> Outcome:
    referral = _locked(outcome.referral)
    if actor is not None:
        _require(permissions.can_work_on_referral(actor, referral))
    outcome = Outcome.objects.select_for_update().get(pk=outcome.pk)
    outcome.referral = referral
    errors: dict = {}
    current = _begin(RecordVersion.Kind.OUTCOME, outcome.pk, version, why, errors)
    changed, refused = inputs.correct_outcome(outcome, _only(changes, inputs.OUTCOME_CORRECTABLE))
    for field, messages in refused.items():
        errors.setdefault(field, []).extend(messages)
    _finish(changed, errors)
    for name, (_, new) in changed.items():
        setattr(outcome, name, new)
    outcome.full_clean()
    outcome.save(update_fields=list(changed))
    row = _keep(
        actor=actor,
        kind=RecordVersion.Kind.OUTCOME,
        object_id=outcome.pk,
        partnership=referral.partnership,
        referral=referral,
        version=current + 1,
        why=why,
        changed=changed,
    )
    _audit(actor, "outcome.corrected", outcome, referral.partnership, row)
    return outcome


# --- Sessions ----------------------------------------------------------------------------


@transaction.atomic
def session_correct(
    *, actor: User | None, session: Session, why: str, version: int | None = None, **changes
) -> Session:
    """Correct a session (not its programme): judged as a new one is; changed counts
    replace the old ones."""
    session = Session.objects.select_for_update().select_related("programme").get(pk=session.pk)
    if actor is not None and not permissions.can_record_session(actor, session.programme):
        raise PermissionDenied
    errors: dict = {}
    current = _begin(RecordVersion.Kind.SESSION, session.pk, version, why, errors)
    changed, refused = inputs.correct_session(session, _only(changes, inputs.SESSION_CORRECTABLE))
    for field, messages in refused.items():
        errors.setdefault(field, []).extend(messages)
    _finish(changed, errors)
    fields = [name for name in changed if name != "counts"]
    for name in fields:
        setattr(session, name, changed[name][1])
    session.full_clean()
    if fields:
        session.save(update_fields=fields)
    if "counts" in changed:
        SessionCount.objects.filter(session=session).delete()
        SessionCount.objects.bulk_create(
            SessionCount(session=session, age_band=band, gender=gender, count=count)
            for (band, gender), count in changed["counts"][1].items()
        )
    partnership = session.programme.partnership
    row = _keep(
        actor=actor,
        kind=RecordVersion.Kind.SESSION,
        object_id=session.pk,
        partnership=partnership,
        referral=None,
        version=current + 1,
        why=why,
        changed=changed,
    )
    _audit(actor, "session.corrected", session, partnership, row)
    return session


def _only(changes: dict, correctable) -> dict:
    unknown = set(changes) - set(correctable)
    if unknown:
        raise TypeError(f"Not correctable here: {', '.join(sorted(unknown))}")
    return changes
