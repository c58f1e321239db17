"""Keeping the Duty's record: duty holders, strategy reviews, readiness assessments, and the
reminder before a strategy review falls due (through the outbox, so it is sent once even if
the mail server is down when it is due)."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from duty import permissions, selectors
from duty.models import (
    DutyHolder,
    ReadinessArea,
    ReadinessAssessment,
    ReadinessScore,
    Strategy,
    StrategyReview,
)
from vru import emails
from vru.models import AuditEvent, Partnership, User
from vru.services import outbox
from vru.services.audit import audit_record

STRATEGY_REVIEW_DUE = "duty.strategy_review_due"

HOLDER_FIELDS = ("name", "kind", "lead_name", "contact_email", "commitment", "on_board")


def _may_edit(actor: User | None, partnership_id: int) -> None:
    if actor is not None and not (
        permissions.can_edit_duty(actor) and actor.partnership_id == partnership_id
    ):
        raise PermissionDenied("You cannot change this partnership's Serious Violence Duty record.")


@transaction.atomic
def duty_holder_save(
    *, actor: User | None, partnership: Partnership, holder: DutyHolder | None = None, **values
) -> DutyHolder:
    """Add an organisation to the register, or change one (``holder``)."""
    unknown = set(values) - set(HOLDER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown duty holder fields: {', '.join(sorted(unknown))}")
    _may_edit(actor, partnership.pk)
    creating = holder is None
    if creating:
        holder = DutyHolder(partnership=partnership)
    elif holder.partnership_id != partnership.pk:
        raise PermissionDenied("This organisation belongs to another partnership.")
    before = {name: getattr(holder, name) for name in HOLDER_FIELDS}
    for name, value in values.items():
        setattr(holder, name, value)
    holder.full_clean()
    holder.save()
    changes = {
        name: {"before": before[name], "after": getattr(holder, name)}
        for name in HOLDER_FIELDS
        if not creating and before[name] != getattr(holder, name)
    }
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
        verb="duty_holder.created" if creating else "duty_holder.changed",
        target=holder,
        changes=changes,
    )
    return holder


@transaction.atomic
def strategy_review_record(
    *,
    actor: User | None,
    strategy: Strategy,
    reviewed_on: date,
    what_changed: str,
    next_review_on: date | None = None,
) -> StrategyReview:
    """Record a review of the current strategy; the next review falls due a period later
    (``review_every_months``) unless a date is given."""
    strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
    _may_edit(actor, strategy.partnership_id)
    errors = {}
    if reviewed_on and reviewed_on > timezone.localdate():
        errors["reviewed_on"] = "The date of the review must be today or in the past"
    if reviewed_on and reviewed_on < strategy.published_on:
        errors["reviewed_on"] = (
            "The date of the review must be on or after the strategy was published"
        )
    review = StrategyReview(
        strategy=strategy, reviewed_on=reviewed_on, what_changed=what_changed, recorded_by=actor
    )
    try:
        review.full_clean(exclude=["recorded_by"])
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    due = next_review_on or (
        reviewed_on and _months_after(reviewed_on, strategy.review_every_months)
    )
    if due and reviewed_on and due <= reviewed_on:
        errors["next_review_on"] = "The next review must be due after this review"
    if errors:
        raise ValidationError(errors)
    review.save()
    strategy.next_review_on = due
    strategy.save(update_fields=["next_review_on"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="strategy.reviewed",
        target=strategy,
        changes={"reviewed_on": reviewed_on.isoformat(), "next_review_on": due.isoformat()},
    )
    return review


def _months_after(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def readiness_assessment_record(
    *,
    actor: User | None,
    partnership: Partnership,
    assessed_on: date,
    kind: str,
    scores: dict[str, int],
    evidence: dict[str, str] | None = None,
    note: str = "",
) -> ReadinessAssessment:
    """A readiness assessment: a score from 1 to 5 for each of the eight areas (all of them:
    a partial assessment would read as a fall in the areas left out)."""
    _may_edit(actor, partnership.pk)
    evidence = evidence or {}
    assessment = ReadinessAssessment(
        partnership=partnership, assessed_on=assessed_on, kind=kind, note=note, recorded_by=actor
    )
    errors = {}
    try:
        assessment.full_clean(exclude=["recorded_by"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if assessed_on and assessed_on > timezone.localdate():
        errors["assessed_on"] = ["The date of the assessment must be today or in the past"]
    for area in ReadinessArea:
        score = scores.get(area.value)
        if score is None:
            errors[area.value] = [f"Enter a score for {area.label.lower()}"]
        elif not (isinstance(score, int) and 1 <= score <= 5):
            errors[area.value] = [f"The score for {area.label.lower()} must be from 1 to 5"]
    if errors:
        raise ValidationError(errors)
    assessment.save()
    ReadinessScore.objects.bulk_create(
        ReadinessScore(
            assessment=assessment,
            area=area.value,
            score=scores[area.value],
            evidence=evidence.get(area.value, ""),
        )
        for area in ReadinessArea
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="readiness.assessed",
        target=assessment,
        changes={"scores": scores},
    )
    return assessment


def strategy_review_reminders_enqueue(*, today: date | None = None) -> int:
    """For the daily beat task: an outbox message for each current strategy whose review
    falls due within VRU_STRATEGY_REVIEW_NOTICE_DAYS, once per due date."""
    today = today or timezone.localdate()
    made = 0
    due = selectors.strategies_due_for_reminder(
        today=today, notice_days=settings.VRU_STRATEGY_REVIEW_NOTICE_DAYS
    )
    for strategy in due:
        with transaction.atomic():
            outbox.enqueue(
                kind=STRATEGY_REVIEW_DUE,
                target_id=strategy.pk,
                partnership_id=strategy.partnership_id,
                key=f"{STRATEGY_REVIEW_DUE}:{strategy.pk}:{strategy.next_review_on.isoformat()}",
            )
            Strategy.objects.filter(pk=strategy.pk).update(reminded_for=strategy.next_review_on)
            made += 1
    return made


def strategy_review_reminder_send(*, strategy_id: int) -> bool:
    """E-mail the strategy's lead that its review falls due (the outbox calls this once)."""
    strategy = Strategy.objects.select_related("lead", "partnership").get(pk=strategy_id)
    lead = strategy.lead
    if lead is None or not lead.is_active or not lead.email:
        return False
    emails.send_email(
        "emails/duty/strategy_review_due",
        {
            "name": lead.first_name or lead.username,
            "strategy": str(strategy),
            "partnership": strategy.partnership.name,
            "due": strategy.next_review_on,
            "overdue": strategy.overdue(timezone.localdate()),
            "link": emails.absolute_url("duty:overview"),
        },
        to=[lead.email],
    )
    return True
