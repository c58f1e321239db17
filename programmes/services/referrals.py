"""Writes to programmes and referrals. Keyword-only, one transaction each, audited."""

import secrets
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from programmes import inputs, permissions
from programmes.models import (
    ALLOWED_TRANSITIONS,
    DetachedContact,
    Programme,
    ProgrammeStaff,
    RecordVersion,
    Referral,
    StatusChange,
    YoungPerson,
    YoungPersonIdentity,
)
from programmes.services import notices, versions
from programmes.services.search_index import search_index_write
from vru.models import LSOA, AuditEvent, Partnership, User
from vru.services import audit_record

# Before digests, each new referral had an outbox message of its own: those still waiting
# when the digests came are told in the next digest instead (programmes.handlers).
REFERRAL_CREATED = "programmes.referral_created"

# What an assignment keeps as its reason in the case's history (it has no form field for one)
ASSIGNED_WHY = "Assigned to a worker (the assign page)"


def temporary_reference() -> str:
    """A unique placeholder until the row has its id (then `reference_for`)."""
    return f"T-{secrets.token_hex(8)}"


def reference_for(pk: int) -> str:
    """The pseudonymous reference: four random characters, then the row's id (so unique)."""
    return f"YP-{secrets.token_hex(2).upper()}{pk}"  # as search.REFERENCE_PREFIX


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _locked(referral: Referral) -> Referral:
    """The referral's row, locked for this transaction (only the row: `of=self`)."""
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("programme", "partnership", "young_person")
        .get(pk=referral.pk)
    )


def _check_when(referral: Referral, at: datetime, field: str, what: str) -> None:
    """Timeline order: nothing before the last status change, nothing in the future."""
    if at > timezone.now():
        raise ValidationError({field: f"{what} cannot be in the future."}, code="future")
    if at < referral.status_changed_at:
        when = timezone.localtime(referral.status_changed_at)
        raise ValidationError(
            {field: f"{what} cannot be before the last status change ({when:%d %b %Y %H:%M})."},
            code="before_last_change",
        )


# --- Referrals --------------------------------------------------------------------------


def _check_assignee(programme: Programme, assigned_to: User | None) -> None:
    if (
        assigned_to is not None
        and not ProgrammeStaff.objects.filter(programme=programme, user=assigned_to).exists()
    ):
        raise ValidationError({"assigned_to": inputs.NOT_STAFF})


def possible_duplicates(
    *, partnership: Partnership, first_name: str, last_name: str, date_of_birth: date
):
    index = YoungPersonIdentity.index_for(first_name, last_name, date_of_birth)
    return YoungPerson.objects.filter(partnership=partnership, identity__match_index=index)


@transaction.atomic
def referral_create(
    *,
    actor: User | None,
    programme: Programme,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    source: str,
    reason: str,
    event_at: datetime,
    referred_at: datetime | None = None,
    assigned_to: User | int | str | None = None,
    gender: str = "not_said",
    ethnicity: str = "not_said",
    education_status: str = "unknown",
    home_lsoa: LSOA | str | None = None,
    address: str = "",
    postcode: str = "",
    phone: str = "",
    email: str = "",
    consent_given_by: str = "",
    consent_given_at: datetime | None = None,
    consent_reconfirm_by: date | None = None,
    parental_consent_not_needed: str = "",
    risk_factors: list | None = None,
    protective_factors: list | None = None,
    from_detached_contact: DetachedContact | None = None,
    eligibility_override_reason: str = "",
) -> Referral:
    """Record a referral of a new young person; flag (never merge) possible duplicates.

    The referral's one input (programmes.inputs.ReferralInput) judges the values, as at every
    door: what must be given, lengths, choices, nothing in the future, the neighbourhood and
    the assignee of the programme's partnership and staff, and the programme's eligibility
    (the age range always; reasons and areas unless whoever manages the programme accepts
    the referral anyway with a written `eligibility_override_reason`, recorded and audited).
    A referral without a referral time is referred now."""
    if actor is not None:
        _require(permissions.can_create_referral(actor, programme))
        if assigned_to is None and permissions.is_frontline(actor):
            assigned_to = actor
    given = {
        "programme": programme,
        "first_name": first_name,
        "last_name": last_name,
        "date_of_birth": date_of_birth,
        "source": source,
        "reason": reason,
        "event_at": event_at,
        "referred_at": referred_at or timezone.now(),
        "assigned_to": assigned_to,
        "gender": gender,
        "ethnicity": ethnicity,
        "education_status": education_status,
        "home_lsoa": home_lsoa,
        "address": address,
        "postcode": postcode,
        "phone": phone,
        "email": email,
        "consent_given_by": consent_given_by,
        "consent_given_at": consent_given_at,
        "consent_reconfirm_by": consent_reconfirm_by,
        "parental_consent_not_needed": parental_consent_not_needed,
        "risk_factors": risk_factors,
        "protective_factors": protective_factors,
        "eligibility_override_reason": eligibility_override_reason,
    }
    values, errors = inputs.ReferralInput(programme=programme, actor=actor).check(given)
    if from_detached_contact is not None and (
        from_detached_contact.session.programme.partnership_id != programme.partnership_id
        or Referral.objects.filter(from_detached_contact=from_detached_contact).exists()
    ):
        errors["from_detached_contact"] = ["This anonymous contact cannot become this referral."]
    inputs.raise_if(errors)
    return _referral_save(actor=actor, values=values, from_detached_contact=from_detached_contact)


def _referral_save(
    *, actor: User | None, values: dict, from_detached_contact: DetachedContact | None
) -> Referral:
    """Save a referral whose values its input has judged: the young person, their identity
    (kept apart), the referral and its first status, audited, its notice in the outbox."""
    programme = values["programme"]
    first_name, last_name = values["first_name"], values["last_name"]
    date_of_birth, referred_at = values["date_of_birth"], values["referred_at"]
    duplicates = list(
        possible_duplicates(
            partnership=programme.partnership,
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
        )
    )
    young_person = YoungPerson(
        partnership=programme.partnership,
        reference=temporary_reference(),
        gender=values["gender"],
        ethnicity=values["ethnicity"],
        education_status=values["education_status"],
        home_lsoa_id=values["lsoa_id"],
    )
    young_person.full_clean()
    young_person.save()
    young_person.reference = reference_for(young_person.pk)
    young_person.save(update_fields=["reference"])
    identity = YoungPersonIdentity(
        young_person=young_person,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        address=values["address"],
        postcode=values["postcode"],
        phone=values["phone"],
        email=values["email"],
        match_index=YoungPersonIdentity.index_for(first_name, last_name, date_of_birth),
    )
    identity.full_clean()
    identity.save()
    search_index_write(
        young_person_id=young_person.pk,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
    )
    if duplicates:
        young_person.possible_duplicates.add(*duplicates)
    override = values["eligibility_override"]
    referral = Referral(
        partnership=programme.partnership,
        programme=programme,
        young_person=young_person,
        source=values["source"],
        reason=values["reason"],
        event_at=values["event_at"],
        referred_at=referred_at,
        due_at=Referral.due_for(values["event_at"], programme.referral_target_hours),
        consent_given_by=values["consent_given_by"],
        consent_given_at=values["consent_given_at"],
        consent_reconfirm_by=values["consent_reconfirm_by"],
        parental_consent_not_needed=values["parental_consent_not_needed"],
        assigned_to_id=values["assigned_to_id"],
        status=Referral.Status.RECEIVED,
        status_changed_at=referred_at,
        age_at_referral=values["age"],
        lsoa_id=values["lsoa_id"],
        risk_factors=values["risk_factors"],
        protective_factors=values["protective_factors"],
        from_detached_contact=from_detached_contact,
        eligibility_override=override,
        created_by=actor,
    )
    referral.full_clean()
    referral.save()
    StatusChange.objects.create(
        referral=referral,
        from_status="",
        to_status=referral.status,
        changed_at=referred_at,
        changed_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="referral.created",
        target=referral,
        partnership=programme.partnership,
        changes={
            "programme": programme.pk,
            "source": values["source"],
            "reason": values["reason"],
            "possible_duplicates": [d.reference for d in duplicates],
            **({"eligibility_override": override} if override else {}),
            **(
                {"parental_consent_not_needed": values["parental_consent_not_needed"]}
                if values["parental_consent_not_needed"]
                else {}
            ),
        },
    )
    # The managers (and the assignee) hear of it in the next sweep's digest: the notice is
    # written in this transaction, so a referral is never saved without it, nor the reverse.
    notices.referral_noticed(referral=referral)
    return referral


def identity_view(*, actor: User, referral: Referral) -> YoungPersonIdentity | None:
    """Reveal a young person's identity to someone allowed; every read is audited."""
    _require(permissions.can_view_identity(actor, referral))
    identity = YoungPersonIdentity.objects.filter(young_person_id=referral.young_person_id).first()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        verb="young_person.identity_viewed",
        target=referral.young_person,
        partnership=referral.partnership,
        changes={"referral": referral.pk},
    )
    return identity


def identity_search_record(*, actor: User, by: str, referral_ids: list[int]) -> None:
    """Record a search of the caseload by name or date of birth as an identity read: who,
    by what ("name" or "date of birth"), and which referrals it showed them. Not what was
    typed: that would put the name in clear in the audit trail."""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        verb="young_person.identity_searched",
        partnership=actor.partnership,
        changes={"by": by, "referrals": referral_ids},
    )


def _change_status(
    *,
    actor: User | None,
    referral: Referral,
    to_status: str,
    closure_reason: str = "",
    at: datetime,
) -> None:
    if to_status not in Referral.Status.values:
        raise ValidationError({"to_status": "Choose a status."})
    if to_status not in ALLOWED_TRANSITIONS[referral.status]:
        raise ValidationError(
            {
                "to_status": f"A {referral.get_status_display().lower()} referral cannot move to {Referral.Status(to_status).label.lower()}."
            }
        )
    if (to_status == Referral.Status.CLOSED) != bool(closure_reason):
        raise ValidationError(
            {"closure_reason": "Give a closure reason when (and only when) closing a referral."}
        )
    from_status = referral.status
    referral.status = to_status
    referral.closure_reason = closure_reason
    referral.status_changed_at = at
    referral.closed_at = at if to_status == Referral.Status.CLOSED else None
    referral.awaiting_contact = (
        referral.first_contact_at is None and to_status != Referral.Status.CLOSED
    )
    referral.save(
        update_fields=[
            "status",
            "closure_reason",
            "status_changed_at",
            "closed_at",
            "awaiting_contact",
        ]
    )
    StatusChange.objects.create(
        referral=referral,
        from_status=from_status,
        to_status=to_status,
        closure_reason=closure_reason,
        changed_at=at,
        changed_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="referral.status_changed",
        target=referral,
        partnership=referral.partnership,
        changes={"from": from_status, "to": to_status, "closure_reason": closure_reason},
    )


@transaction.atomic
def referral_status_change(
    *,
    actor: User | None,
    referral: Referral,
    to_status: str,
    closure_reason: str = "",
    at: datetime | None = None,
) -> Referral:
    """Move a referral along ALLOWED_TRANSITIONS; timed and audited."""
    referral = _locked(referral)
    if actor is not None:
        _require(permissions.can_work_on_referral(actor, referral))
    at = at or timezone.now()
    _check_when(referral, at, "at", "A status change")
    _change_status(
        actor=actor,
        referral=referral,
        to_status=to_status,
        closure_reason=closure_reason,
        at=at,
    )
    return referral


@transaction.atomic
def referral_assign(
    *, actor: User | None, referral: Referral, assigned_to: User | None
) -> Referral:
    referral = _locked(referral)
    if actor is not None:
        _require(permissions.can_assign_referral(actor, referral))
    _check_assignee(referral.programme, assigned_to)
    previous = referral.assigned_to
    referral.assigned_to = assigned_to
    referral.save(update_fields=["assigned_to"])
    if previous != assigned_to:  # kept in the case's history like any other change
        kind = RecordVersion.Kind.REFERRAL
        versions.keep(
            actor=actor,
            kind=kind,
            object_id=referral.pk,
            partnership=referral.partnership,
            referral=referral,
            version=versions.current_version(kind, referral.pk) + 1,
            why=ASSIGNED_WHY,
            changed={"assigned_to": (previous, assigned_to)},
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="referral.assigned",
        target=referral,
        partnership=referral.partnership,
        changes={
            "from": previous.pk if previous else None,
            "to": assigned_to.pk if assigned_to else None,
        },
    )
    return referral


@transaction.atomic
def referral_consent_withdraw(
    *, actor: User | None, referral: Referral, at: datetime | None = None
) -> Referral:
    referral = _locked(referral)
    if actor is not None:
        _require(permissions.can_withdraw_consent(actor, referral))
    if not referral.consent_given_by:
        raise ValidationError(
            "Consent was never given, so it cannot be withdrawn.", code="no_consent"
        )
    if referral.consent_withdrawn_at is not None:
        return referral  # already recorded (a second click): nothing to do
    at = at or timezone.now()
    if at > timezone.now():
        raise ValidationError({"at": "A withdrawal cannot be in the future."}, code="future")
    referral.consent_withdrawn_at = at
    referral.save(update_fields=["consent_withdrawn_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="referral.consent_withdrawn",
        target=referral,
        partnership=referral.partnership,
    )
    return referral
