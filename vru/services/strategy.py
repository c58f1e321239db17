"""Needs assessments and success measures."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vru import permissions
from vru.models import (
    AuditEvent,
    Partnership,
    StrategicNeedsAssessment,
    SuccessMeasure,
    User,
)
from vru.services.audit import audit_record


@transaction.atomic
def needs_assessment_create(
    *,
    actor: User | None,
    partnership: Partnership,
    title: str,
    period_start: date,
    period_end: date,
    published_on: date | None = None,
    status: str = StrategicNeedsAssessment.Status.DRAFT,
    source: str = "",
) -> StrategicNeedsAssessment:
    if actor is not None and not (
        permissions.can_edit_strategy(actor) and actor.partnership_id == partnership.pk
    ):
        raise PermissionDenied("You cannot add a needs assessment to this partnership.")
    sna = StrategicNeedsAssessment(
        partnership=partnership,
        title=title,
        period_start=period_start,
        period_end=period_end,
        published_on=published_on,
        status=status,
        source=source,
    )
    sna.full_clean()
    sna.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, verb="sna.created", target=sna)
    return sna


@transaction.atomic
def needs_assessment_publish(
    *, actor: User, needs_assessment: StrategicNeedsAssessment, published_on: date | None = None
) -> StrategicNeedsAssessment:
    sna = StrategicNeedsAssessment.objects.select_for_update().get(pk=needs_assessment.pk)
    if not (permissions.can_edit_strategy(actor) and actor.partnership_id == sna.partnership_id):
        raise PermissionDenied("You cannot publish this needs assessment.")
    if sna.status == StrategicNeedsAssessment.Status.PUBLISHED:
        raise ValidationError("This needs assessment is already published.", code="published")
    if not sna.recommendations.exists():
        raise ValidationError(
            "Add the recommendations before publishing.", code="no_recommendations"
        )
    sna.status = StrategicNeedsAssessment.Status.PUBLISHED
    sna.published_on = published_on or timezone.localdate()
    sna.full_clean()
    sna.save(update_fields=["status", "published_on"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, verb="sna.published", target=sna)
    return sna


@transaction.atomic
def success_measure_create(
    *,
    actor: User | None,
    partnership: Partnership,
    name: str,
    unit: str,
    direction: str = SuccessMeasure.Direction.DOWN,
    counts_people: bool = False,
    description: str = "",
    position: int = 0,
) -> SuccessMeasure:
    if actor is not None and not (
        permissions.can_edit_strategy(actor) and actor.partnership_id == partnership.pk
    ):
        raise PermissionDenied("You cannot add success measures to this partnership.")
    measure = SuccessMeasure(
        partnership=partnership,
        name=name,
        unit=unit,
        direction=direction,
        counts_people=counts_people,
        description=description,
        position=position,
    )
    measure.full_clean()
    measure.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="success_measure.created",
        target=measure,
    )
    return measure
