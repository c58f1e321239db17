"""Writes of rights requests: log one, extend its clock, refuse or close it, decide an
erasure, and remind the data protection lead through the outbox as the clock runs down.
Every write checks rights.permissions and is audited."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from programmes.models import Referral, YoungPerson
from rights import permissions
from rights.models import SubjectAccessRequest
from rights.models.requests import MAX_EXTENSION_MONTHS
from vru import data_kinds, emails
from vru.models import AuditEvent, OutboxMessage, Role, User
from vru.services import audit_record, outbox

REQUEST_DUE = "rights.request_due"
REMINDER_DAYS = 7  # the lead hears a week before a request falls due, and again once overdue

Status = SubjectAccessRequest.Status


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Only an administrator or the data protection lead may do this.")


def _move(sar: SubjectAccessRequest, to: str) -> None:
    if to not in SubjectAccessRequest.ALLOWED_TRANSITIONS[SubjectAccessRequest.Status(sar.status)]:
        raise ValidationError(
            f"A request that is {sar.get_status_display().lower()} cannot become "
            f"{Status(to).label.lower()}.",
            code="invalid_status",
        )
    sar.status = to


@transaction.atomic
def request_create(
    *,
    actor: User,
    young_person: YoungPerson,
    kind: str,
    requester_name: str,
    relationship: str,
    identity_check: str,
    identity_check_notes: str = "",
    details: str = "",
    received_on: date,
) -> SubjectAccessRequest:
    _require(permissions.can_handle_requests(actor))
    if young_person.partnership_id != actor.partnership_id:
        raise PermissionDenied("That young person is not in your partnership.")
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "The date received cannot be in the future."})
    if identity_check == SubjectAccessRequest.IdentityCheck.OTHER and not identity_check_notes:
        raise ValidationError({"identity_check_notes": "Describe how identity was checked."})
    sar = SubjectAccessRequest(
        partnership_id=actor.partnership_id,
        young_person=young_person,
        kind=kind,
        requester_name=requester_name.strip(),
        relationship=relationship,
        identity_check=identity_check,
        identity_check_notes=identity_check_notes.strip(),
        details=details.strip(),
        received_on=received_on,
        due_on=SubjectAccessRequest.due_for(received_on),
        created_by=actor,
    )
    sar.full_clean()
    sar.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="subject_access.logged",
        target=sar,
        changes={"kind": kind, "young_person": young_person.reference, "due_on": str(sar.due_on)},
    )
    return sar


@transaction.atomic
def request_extend(
    *, actor: User, request: SubjectAccessRequest, months: int, reason: str
) -> SubjectAccessRequest:
    """Extend the clock by one or two further months in all (ICO: complex or numerous)."""
    _require(permissions.can_handle_requests(actor))
    sar = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    if not sar.is_open:
        raise ValidationError("Only an open request can be extended.", code="invalid_status")
    total = sar.extended_months + months
    if months < 1 or total > MAX_EXTENSION_MONTHS:
        raise ValidationError(
            {
                "months": f"A request may be extended by {MAX_EXTENSION_MONTHS} months at most "
                f"in all; this one has {sar.extended_months} already."
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the request needs longer."})
    sar.extended_months = total
    sar.extension_reason = "\n".join(filter(None, [sar.extension_reason, reason.strip()]))
    sar.due_on = SubjectAccessRequest.due_for(sar.received_on, total)
    sar.full_clean()
    sar.save(update_fields=["extended_months", "extension_reason", "due_on"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="subject_access.extended",
        target=sar,
        changes={"extended_months": total, "due_on": str(sar.due_on)},
    )
    return sar


@transaction.atomic
def request_finish(
    *, actor: User, request: SubjectAccessRequest, status: str, reason: str
) -> SubjectAccessRequest:
    """Refuse or close a request, with the reason recorded."""
    _require(permissions.can_handle_requests(actor))
    if status not in (Status.REFUSED, Status.CLOSED):
        raise ValidationError("A request is finished by refusing or closing it.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason, as the requester will be told it."})
    sar = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    _move(sar, status)
    sar.outcome_reason = reason.strip()
    sar.closed_at = timezone.now()
    sar.save(update_fields=["status", "outcome_reason", "closed_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb=f"subject_access.{status}",
        target=sar,
        changes={"status": status},
    )
    return sar


def erasure_obstacles(*, young_person: YoungPerson, today: date | None = None) -> list[str]:
    """Why a young person's records cannot be erased (UK GDPR Article 17(3)): each legal
    obligation or public task that still needs them. Empty: erasure may go ahead."""
    today = today or timezone.localdate()
    reasons = []
    referrals = Referral.objects.filter(young_person=young_person, anonymised_at__isnull=True)
    if referrals.exclude(status=Referral.Status.CLOSED).exists():
        reasons.append(
            "An open case: the records are needed to carry out the public task of supporting "
            "the young person (UK GDPR Article 17(3)(b))."
        )
    months = data_kinds.retention_months(data_kinds.DataKind.REFERRAL)
    still_kept = [
        closed
        for closed in referrals.filter(status=Referral.Status.CLOSED).values_list(
            "closed_at", flat=True
        )
        if closed and timezone.localdate(closed) + relativedelta(months=months) > today
    ]
    if still_kept:
        last = max(still_kept)
        reasons.append(
            "Criminal-offence data within its retention period: referral and offence details "
            f"are kept for {months} months after a case closes (until "
            f"{(timezone.localdate(last) + relativedelta(months=months)):%-d %B %Y}), under "
            f"{data_kinds.rule_for(data_kinds.DataKind.REFERRAL).condition} "
            "(UK GDPR Article 17(3)(b))."
        )
    return reasons


@transaction.atomic
def erasure_decide(*, actor: User, request: SubjectAccessRequest) -> SubjectAccessRequest:
    """Refuse an erasure where a legal obligation applies, recording why. Where none does,
    the young person's case records are anonymised as the retention run would (programmes'
    own service) and the request is closed."""
    _require(permissions.can_handle_requests(actor))
    sar = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    if sar.kind != SubjectAccessRequest.Kind.ERASURE:
        raise ValidationError("Only an erasure request is decided this way.")
    reasons = erasure_obstacles(young_person=sar.young_person)
    if reasons:
        _move(sar, Status.REFUSED)
        sar.outcome_reason = "Erasure refused. " + " ".join(reasons)
    else:
        from programmes.services import young_person_erase

        removed = young_person_erase(actor=actor, young_person=sar.young_person)
        _move(sar, Status.CLOSED)
        sar.outcome_reason = (
            "Erased: identity deleted, case notes cleared and named session attendance "
            f"removed ({removed} records)."
        )
    sar.closed_at = timezone.now()
    sar.save(update_fields=["status", "outcome_reason", "closed_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb=f"subject_access.erasure_{'refused' if reasons else 'done'}",
        target=sar,
        changes={"status": sar.status},
    )
    return sar


def request_reminders_enqueue(*, today: date | None = None) -> int:
    """For the daily beat task: an outbox message for each open request due within
    REMINDER_DAYS or overdue, once per due date (and once more when it becomes overdue)."""
    today = today or timezone.localdate()
    made = 0
    due = SubjectAccessRequest.objects.filter(
        status__in=SubjectAccessRequest.OPEN_STATUSES,
        due_on__lte=today + relativedelta(days=REMINDER_DAYS),
    )
    for sar in due:
        stage = "overdue" if sar.due_on < today else "due"
        key = f"{REQUEST_DUE}:{sar.pk}:{sar.due_on.isoformat()}:{stage}"
        if OutboxMessage.objects.filter(idempotency_key=key).exists():
            continue  # told already at this stage of this due date
        with transaction.atomic():
            outbox.enqueue(
                kind=REQUEST_DUE, target_id=sar.pk, partnership_id=sar.partnership_id, key=key
            )
            SubjectAccessRequest.objects.filter(pk=sar.pk).update(reminded_for=sar.due_on)
            made += 1
    return made


def _lead_or_administrators(sar: SubjectAccessRequest) -> list[User]:
    lead = sar.partnership.data_protection_lead
    if lead is not None and lead.is_active and lead.email:
        return [lead]
    return list(
        User.objects.filter(
            partnership=sar.partnership,
            is_active=True,
            role_assignments__role=Role.ADMINISTRATOR,
        )
        .exclude(email="")
        .distinct()
    )


def request_reminder_send(*, request_id: int) -> bool:
    """E-mail the data protection lead (or, without one, the administrators) that a request
    falls due; the outbox calls this once. Nothing about the young person but the reference."""
    sar = SubjectAccessRequest.objects.select_related(
        "partnership__data_protection_lead", "young_person"
    ).get(pk=request_id)
    if not sar.is_open:
        return False
    people = _lead_or_administrators(sar)
    today = timezone.localdate()
    for person in people:
        emails.send_email(
            "emails/rights/request_due",
            {
                "name": person.first_name or person.username,
                "request": str(sar),
                "reference": sar.young_person.reference,
                "partnership": sar.partnership.name,
                "due": sar.due_on,
                "overdue": sar.overdue(today),
                "link": emails.absolute_url("rights:request_detail", sar.pk),
            },
            to=[person.email],
        )
    return bool(people)
