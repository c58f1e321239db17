"""The action plan's writes: actions on recommendations, their progress updates, and telling
an owner (through the outbox) when an action is overdue or rated red."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from duty import permissions, selectors
from duty.models import Action, ActionUpdate, DutyHolder, Rag
from vru import emails
from vru.models import AuditEvent, Recommendation, User
from vru.services import outbox
from vru.services.audit import audit_record

ACTION_NOTICE = "duty.action_notice"


def _may_edit(actor: User | None, partnership_id: int) -> None:
    if actor is not None and not (
        permissions.can_edit_duty(actor) and actor.partnership_id == partnership_id
    ):
        raise PermissionDenied("You cannot change this partnership's action plan.")


@transaction.atomic
def action_create(
    *,
    actor: User | None,
    recommendation: Recommendation,
    title: str,
    owner: DutyHolder | None,
    owner_name: str,
    due_on: date | None,
    rag: str = Rag.GREEN,
    rag_reason: str = "",
) -> Action:
    partnership_id = recommendation.needs_assessment.partnership_id
    _may_edit(actor, partnership_id)
    if owner is not None and owner.partnership_id != partnership_id:
        raise ValidationError({"owner": "Select an organisation of this partnership"})
    action = Action(
        recommendation=recommendation,
        title=title,
        owner=owner,
        owner_name=owner_name,
        due_on=due_on,
        rag=rag,
        rag_reason=rag_reason,
    )
    action.full_clean()
    action.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="duty_action.created",
        target=action,
        partnership=recommendation.needs_assessment.partnership,
    )
    return action


@transaction.atomic
def action_update_record(
    *, actor: User | None, action: Action, note: str, status: str, rag: str, rag_reason: str = ""
) -> ActionUpdate:
    """A progress update: the action takes the update's status and rating."""
    action = (
        Action.objects.select_for_update()
        .select_related("recommendation__needs_assessment__partnership")
        .get(pk=action.pk)
    )
    partnership = action.recommendation.needs_assessment.partnership
    if actor is not None and not (
        permissions.can_update_action(actor, action) and actor.partnership_id == partnership.pk
    ):
        raise PermissionDenied("You cannot update this action.")
    update = ActionUpdate(
        action=action, note=note, status=status, rag=rag, rag_reason=rag_reason, by=actor
    )
    errors = {}
    try:
        update.full_clean(exclude=["by", "action"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if rag in (Rag.AMBER, Rag.RED) and not rag_reason.strip():
        errors["rag_reason"] = ["Give the reason for an amber or red rating"]
    if errors:
        raise ValidationError(errors)
    update.save()
    turned_red = rag == Rag.RED and action.rag != Rag.RED
    before = {"status": action.status, "rag": action.rag}
    action.status, action.rag, action.rag_reason = status, rag, rag_reason
    fields = ["status", "rag", "rag_reason"]
    if turned_red:
        action.notified_for = ""  # a new red rating is told again
        fields.append("notified_for")
    action.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="duty_action.updated",
        target=action,
        partnership=partnership,
        changes={"before": before, "after": {"status": status, "rag": rag}},
    )
    return update


def action_notices_enqueue(*, today: date | None = None) -> int:
    """For the daily beat task: an outbox message for each action whose owner should hear
    that it is overdue or red (duty.selectors.actions_to_tell), once each."""
    today = today or timezone.localdate()
    made = 0
    for action, reason in selectors.actions_to_tell(today=today):
        with transaction.atomic():
            outbox.enqueue(
                kind=ACTION_NOTICE,
                target_id=action.pk,
                partnership_id=action.owner.partnership_id,
                key=f"{ACTION_NOTICE}:{action.pk}:{reason}:{action.last_update or 0}",
            )
            Action.objects.filter(pk=action.pk).update(notified_for=reason)
            made += 1
    return made


def action_notice_send(*, action_id: int) -> bool:
    """E-mail the owning organisation's contact (the outbox calls this once)."""
    action = Action.objects.select_related("owner", "recommendation").get(pk=action_id)
    if not action.owner.contact_email:
        return False
    today = timezone.localdate()
    emails.send_email(
        "emails/duty/action_notice",
        {
            "organisation": action.owner.name,
            "owner_name": action.owner_name,
            "action": action.title,
            "recommendation": str(action.recommendation),
            "due": action.due_on,
            "overdue": action.overdue(today),
            "red": action.rag == Rag.RED,
            "reason": action.rag_reason,
            "link": emails.absolute_url("duty:action_detail", action.pk),
        },
        to=[action.owner.contact_email],
    )
    return True
