"""Break-glass: a programme manager opens a young person's identity outside their own
programmes. They must give a reason; the read is audited with it, and the partnership's
designated safeguarding lead (or, without one, its administrators) is told by e-mail.

The e-mail goes through vru's transactional outbox (written with the audit row, so neither a
broker nor a mail outage loses it); it names the reader, the time, the young person's
pseudonymous reference and the reason, never the identity itself.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from programmes import permissions
from programmes.models import Referral, YoungPersonIdentity
from vru import emails
from vru.models import AuditEvent, Role, User
from vru.services import audit_record, outbox

REASON_MIN_LENGTH = 10
BREAK_GLASS_VERB = "young_person.identity_viewed_break_glass"
BREAK_GLASS_NOTIFICATION = "programmes.break_glass_notification"


def _recipients(referral: Referral) -> list[str]:
    lead = referral.partnership.designated_safeguarding_lead
    if lead is not None and lead.is_active and lead.email:
        return [lead.email]
    return list(
        User.objects.filter(
            partnership_id=referral.partnership_id,
            is_active=True,
            role_assignments__role=Role.ADMINISTRATOR,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def break_glass_notify(*, event_id: int) -> int:
    """Tell the safeguarding lead (or the administrators) about one break-glass read; the
    outbox calls this once per audit event. Returns how many people were told."""
    event = AuditEvent.objects.select_related("actor").get(pk=event_id, verb=BREAK_GLASS_VERB)
    referral = Referral.objects.select_related("partnership__designated_safeguarding_lead").get(
        pk=event.changes["referral"]
    )
    recipients = _recipients(referral)
    if not recipients:
        return 0
    emails.send_email(
        "emails/programmes/break_glass",
        {
            "reader": str(event.actor) if event.actor else "Someone",
            "username": event.actor.username if event.actor else "unknown",
            "reference": event.target_repr,
            "at": event.created_at,
            "reason": event.changes.get("reason", ""),
            "programme": event.changes.get("programme_name", ""),
            "event_id": event.pk,
            "link": emails.absolute_url("admin:vru_auditevent_change", event.pk),
        },
        to=recipients,
    )
    return len(recipients)


@transaction.atomic
def identity_break_glass(
    *, actor: User, referral: Referral, reason: str
) -> YoungPersonIdentity | None:
    """Reveal the identity on a case outside the actor's programmes, with a reason."""
    if not permissions.can_break_glass(actor, referral):
        raise PermissionDenied("Break-glass access is not available for this case.")
    reason = " ".join(reason.split())
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError(
            {"reason": f"Give the reason in at least {REASON_MIN_LENGTH} characters."},
            code="reason_too_short",
        )
    identity = YoungPersonIdentity.objects.filter(young_person_id=referral.young_person_id).first()
    recipients = _recipients(referral)
    event = audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        verb=BREAK_GLASS_VERB,
        target=referral.young_person,
        partnership=referral.partnership,
        changes={
            "referral": referral.pk,
            "programme": referral.programme_id,
            "programme_name": referral.programme.name,
            "reason": reason,
            "break_glass": True,
            "notified": len(recipients),
        },
    )
    if recipients:
        outbox.enqueue(
            kind=BREAK_GLASS_NOTIFICATION, target_id=event.pk, partnership=referral.partnership
        )
    return identity
