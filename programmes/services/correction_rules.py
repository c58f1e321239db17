"""What a referral's correction does beyond its own fields: corrected event and referral times
move the 24-hour clock and the case's first status with them; a corrected assignee is
judged by the assign rule (programmes.services.referrals.referral_assign's).

- The due time is the corrected event time plus the referral's own target (its due time
  minus its event time as recorded: the programme's target hours then), so met or missed
  (Referral.met_q) is judged again from the corrected times. A breach already noted (and
  told in a digest) stays noted; a case the correction makes late is noted by the next sweep.
- The event cannot be after the first contact (a contact cannot be before the event); the
  referral time cannot be after the first contact nor after the case's next status change
  (casework is recorded after the case's last status change).
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from programmes import permissions
from programmes.models import Referral, StatusChange
from programmes.services.referrals import _check_assignee
from vru.models import AuditEvent, User
from vru.services import audit_record

TIMES = ("event_at", "referred_at")
ASSIGN_REFUSED = "Only the case's programme manager or an administrator may change who holds it."


def _at(moment) -> str:
    return f"{timezone.localtime(moment):%d %b %Y %H:%M}"


def times_refused(referral: Referral, after: dict) -> dict[str, list[str]]:
    """The corrected times' refusals that need the case's casework (the input has judged
    each time and their order)."""
    errors: dict[str, list[str]] = {}
    first_contact = referral.first_contact_at
    event_at, referred_at = after.get("event_at"), after.get("referred_at")
    if event_at is not None and first_contact is not None and event_at > first_contact:
        errors["event_at"] = [
            f"The event cannot be after the first contact ({_at(first_contact)})."
        ]
    if referred_at is not None:
        if first_contact is not None and referred_at > first_contact:
            errors["referred_at"] = [
                f"The referral cannot be after the first contact ({_at(first_contact)})."
            ]
        later = (
            referral.status_changes.exclude(from_status="")
            .order_by("changed_at", "id")
            .values_list("changed_at", flat=True)
            .first()
        )
        if later is not None and referred_at > later and "referred_at" not in errors:
            errors["referred_at"] = [
                f"The referral cannot be after the case's next status change ({_at(later)})."
            ]
    return errors


def times_apply(referral: Referral, after: dict) -> list[str]:
    """Set the corrected times, the due time from them and the first status's time; returns
    the referral's fields to save."""
    fields = []
    if "event_at" in after:
        target = referral.due_at - referral.event_at
        referral.event_at = after["event_at"]
        referral.due_at = referral.event_at + target
        fields += ["event_at", "due_at"]
    if "referred_at" in after:
        before = referral.referred_at
        referral.referred_at = after["referred_at"]
        fields.append("referred_at")
        StatusChange.objects.filter(referral=referral, from_status="", changed_at=before).update(
            changed_at=referral.referred_at
        )
        if referral.status_changed_at == before:
            referral.status_changed_at = referral.referred_at
            fields.append("status_changed_at")
    return fields


def assignee_check(actor: User | None, referral: Referral, assigned_to: int | None) -> User | None:
    """The assign rule, as on the assign page: whoever may assign the case, to one of the
    programme's staff. Returns the new assignee."""
    if actor is not None and not permissions.can_assign_referral(actor, referral):
        raise PermissionDenied(ASSIGN_REFUSED)
    user = User.objects.get(pk=assigned_to) if assigned_to else None
    _check_assignee(referral.programme, user)
    return user


def assignee_audit(actor, referral: Referral, before: int | None, version: int) -> None:
    """An assignment by correction is an assignment: audited on the assign page's verb."""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="referral.assigned",
        target=referral,
        partnership=referral.partnership,
        changes={"from": before, "to": referral.assigned_to_id, "version": version},
    )


__all__ = [
    "ASSIGN_REFUSED",
    "TIMES",
    "assignee_audit",
    "assignee_check",
    "times_apply",
    "times_refused",
]
