"""Carrying an SNA's recommendations forward to its refresh: each old recommendation maps to
its successor in the new needs assessment (or is retired with a reason), and everything that
served it (open actions, programmes, grant rounds) then serves the successor, so nothing is
cut by a refresh. Done actions stay with the recommendation they delivered."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from duty import permissions
from duty.models import OPEN_STATUSES, Action, RecommendationSuccession
from grants.models import GrantRound
from programmes.models import Programme
from vru.models import AuditEvent, StrategicNeedsAssessment, User
from vru.services.audit import audit_record


@transaction.atomic
def recommendations_carry_forward(
    *,
    actor: User | None,
    previous: StrategicNeedsAssessment,
    refreshed: StrategicNeedsAssessment,
    successors: dict[int, int | None],
    retired_because: dict[int, str] | None = None,
) -> dict[str, int]:
    """``successors`` maps each recommendation id of ``previous`` to one of ``refreshed`` (or
    None: retired, with its reason in ``retired_because``). Every recommendation of the
    previous assessment must be mapped; any error refuses the whole carry-forward."""
    if actor is not None and not (
        permissions.can_edit_duty(actor) and actor.partnership_id == previous.partnership_id
    ):
        raise PermissionDenied("You cannot carry this needs assessment forward.")
    if previous.partnership_id != refreshed.partnership_id or previous.pk == refreshed.pk:
        raise ValidationError("Choose a refreshed needs assessment of the same partnership.")
    retired_because = retired_because or {}
    old = {r.pk: r for r in previous.recommendations.all()}
    new = {r.pk: r for r in refreshed.recommendations.all()}
    errors = {}
    for pk, recommendation in old.items():
        field = f"recommendation_{recommendation.number}"
        if pk not in successors:
            errors[field] = f"Choose what recommendation {recommendation.number} becomes"
        elif successors[pk] is None and not retired_because.get(pk, "").strip():
            errors[field] = f"Say why recommendation {recommendation.number} is retired"
        elif successors[pk] is not None and successors[pk] not in new:
            errors[field] = (
                f"Choose a recommendation of {refreshed} for recommendation {recommendation.number}"
            )
    if RecommendationSuccession.objects.filter(previous_id__in=old).exists():
        errors["__all__"] = f"The recommendations of {previous} have already been carried forward."
    if errors:
        raise ValidationError(errors)
    moved = {"actions": 0, "programmes": 0, "grant_rounds": 0, "retired": 0}
    for pk, successor_id in successors.items():
        if pk not in old:
            continue
        RecommendationSuccession.objects.create(
            previous=old[pk],
            successor=new.get(successor_id),
            retired_because=retired_because.get(pk, "") if successor_id is None else "",
            recorded_by=actor if actor is not None and actor.pk else None,
        )
        if successor_id is None:
            moved["retired"] += 1
            continue
        moved["actions"] += Action.objects.filter(
            recommendation_id=pk, status__in=OPEN_STATUSES
        ).update(recommendation_id=successor_id)
        for model, key in ((Programme, "programmes"), (GrantRound, "grant_rounds")):
            for item in model.objects.filter(recommendations=pk):
                item.recommendations.add(successor_id)
                moved[key] += 1
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="sna.carried_forward",
        target=refreshed,
        changes={"previous": previous.pk, **moved},
    )
    return moved
