"""Awards, tranches and monitoring returns."""

import datetime
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from grants import permissions
from grants.models import (
    Award,
    Decision,
    MonitoringReturn,
    Tranche,
)
from grants.models.awards import award_dates_errors
from vru import emails
from vru.age_bands import AgeBand
from vru.models import LSOA, AuditEvent, User
from vru.services import audit_record


def _check_award_terms(
    *, starts_on: datetime.date | None, ends_on: datetime.date | None, tranche_count: int | None
) -> None:
    errors = award_dates_errors(starts_on, ends_on)  # the award's own rule (Award.clean)
    if starts_on is None:
        errors["starts_on"] = "Enter the date the grant starts"
    if ends_on is None:
        errors["ends_on"] = "Enter the date the grant ends"
    if tranche_count is None or not 1 <= tranche_count <= 12:
        errors["tranche_count"] = "Use between 1 and 12 tranches"
    if errors:
        raise ValidationError(errors, code="invalid_terms")


@transaction.atomic
def award_create(
    *,
    actor: User,
    decision: Decision,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    tranche_count: int | None = 2,
) -> Award:
    """An award for a funded decision, paid in equal tranches (the last takes any pennies
    left over); monitoring return n falls due before tranche n + 1. One award per
    decision: a second is refused."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("application__grant_round__partnership")
        .get(pk=decision.pk)
    )
    application = decision.application
    award = Award(
        decision=decision,
        amount=decision.amount,
        awarded_on=timezone.localdate(decision.decided_at),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    if not permissions.can_manage_award(actor, award):
        raise PermissionDenied("You cannot make this award.")
    if not decision.funded:
        raise ValidationError("Only funded decisions lead to an award.", code="not_funded")
    if Award.objects.filter(decision=decision).exists():
        raise ValidationError("This decision already has an award.", code="already_awarded")
    _check_award_terms(starts_on=starts_on, ends_on=ends_on, tranche_count=tranche_count)
    award.full_clean()
    award.save()
    share = (decision.amount / tranche_count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    span = (ends_on - starts_on) / tranche_count
    for number in range(1, tranche_count + 1):
        amount = share if number < tranche_count else decision.amount - share * (number - 1)
        due = starts_on + span * (number - 1)
        Tranche.objects.create(award=award, number=number, amount=amount, due_on=due)
        if number < tranche_count:
            MonitoringReturn.objects.create(
                award=award,
                number=number,
                due_on=starts_on + span * number - datetime.timedelta(days=14),
            )
    final_due = ends_on + datetime.timedelta(days=30)
    MonitoringReturn.objects.create(award=award, number=tranche_count, due_on=final_due)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="award.created",
        target=award,
        partnership=application.grant_round.partnership,
    )
    return award


def tranche_release_problem(tranche: Tranche) -> str | None:
    """Why a tranche cannot be released yet (None when it can)."""
    if tranche.released_at is not None:
        return "This tranche has already been released."
    if tranche.number == 1:
        return None
    previous = Tranche.objects.filter(award_id=tranche.award_id, number=tranche.number - 1).first()
    if previous is None or previous.released_at is None:
        return f"Release tranche {tranche.number - 1} first."
    before = MonitoringReturn.objects.filter(
        award_id=tranche.award_id, number=tranche.number - 1
    ).first()
    if before is None or before.status != MonitoringReturn.Status.APPROVED:
        return f"Monitoring return {tranche.number - 1} must be approved first."
    return None


@transaction.atomic
def tranche_release(*, actor: User, tranche: Tranche) -> Tranche:
    tranche = (
        Tranche.objects.select_for_update(of=("self",))
        .select_related("award__decision__application__grant_round")
        .get(pk=tranche.pk)
    )
    if not permissions.can_manage_award(actor, tranche.award):
        raise PermissionDenied("You cannot release this tranche.")
    problem = tranche_release_problem(tranche)
    if problem:
        raise ValidationError(problem, code="not_releasable")
    tranche.released_at = timezone.now()
    tranche.released_by = actor
    tranche.save(update_fields=["released_at", "released_by"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="tranche.released",
        target=tranche,
        partnership=tranche.award.decision.application.grant_round.partnership,
    )
    return tranche


def _count(value) -> bool:
    """A whole number of young people, 0 or more (not a bool, float or string)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@transaction.atomic
def monitoring_return_submit(
    *,
    actor: User,
    monitoring_return: MonitoringReturn,
    young_people_by_age_band: dict[str, int],
    young_people_by_lsoa: dict[str, int],
    sessions_delivered: int,
    spend_to_date: Decimal,
    case_study: str,
    new_starts: int | None = None,
    completions: int | None = None,
    outcomes_achieved: int | None = None,
) -> MonitoringReturn:
    """Starts and completions (distinct young people) and outcomes achieved feed the
    quarterly return's columns; the model's clean() holds them to the young people reached."""
    monitoring_return = (
        MonitoringReturn.objects.select_for_update(of=("self",))
        .select_related("award__decision__application__grant_round")
        .get(pk=monitoring_return.pk)
    )
    if not permissions.can_submit_return(actor, monitoring_return):
        raise PermissionDenied("You cannot submit this return.")
    bands = set(young_people_by_age_band) - set(AgeBand.values)
    if bands or not all(_count(v) for v in young_people_by_age_band.values()):
        raise ValidationError({"young_people_by_age_band": "Use the age bands given"})
    application = monitoring_return.award.decision.application
    unknown = sorted(
        set(young_people_by_lsoa)
        - set(
            LSOA.objects.filter(
                partnership_id=application.grant_round.partnership_id,
                code__in=list(young_people_by_lsoa),
            ).values_list("code", flat=True)
        )
    )
    if unknown:
        raise ValidationError(
            {"lsoa_counts": f"Not neighbourhoods of this area: {', '.join(unknown)}"},
            code="unknown_lsoa",
        )
    if not all(_count(v) for v in young_people_by_lsoa.values()):
        raise ValidationError(
            {"lsoa_counts": "Give each neighbourhood a whole number of young people, 0 or more"},
            code="invalid_count",
        )
    if spend_to_date < 0 or spend_to_date > monitoring_return.award.amount:
        raise ValidationError({"spend_to_date": "Spend must be between £0 and the award"})
    monitoring_return.young_people_by_age_band = young_people_by_age_band
    monitoring_return.young_people_by_lsoa = young_people_by_lsoa
    for field, count in (
        ("new_starts", new_starts),
        ("completions", completions),
        ("outcomes_achieved", outcomes_achieved),
    ):
        if count is not None and not _count(count):
            raise ValidationError({field: "Give a whole number, 0 or more"})
        setattr(monitoring_return, field, count)
    monitoring_return.sessions_delivered = sessions_delivered
    monitoring_return.spend_to_date = spend_to_date
    monitoring_return.case_study = case_study
    monitoring_return.status = MonitoringReturn.Status.SUBMITTED
    monitoring_return.submitted_at = timezone.now()
    monitoring_return.full_clean()
    monitoring_return.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="monitoring_return.submitted",
        target=monitoring_return,
        partnership=monitoring_return.award.decision.application.grant_round.partnership,
    )
    return monitoring_return


@transaction.atomic
def monitoring_return_approve(
    *, actor: User, monitoring_return: MonitoringReturn
) -> MonitoringReturn:
    monitoring_return = (
        MonitoringReturn.objects.select_for_update(of=("self",))
        .select_related("award__decision__application__grant_round")
        .get(pk=monitoring_return.pk)
    )
    if not permissions.can_manage_award(actor, monitoring_return.award):
        raise PermissionDenied("You cannot approve this return.")
    if monitoring_return.status != MonitoringReturn.Status.SUBMITTED:
        raise ValidationError("Only a submitted return can be approved.")
    monitoring_return.status = MonitoringReturn.Status.APPROVED
    monitoring_return.approved_at = timezone.now()
    monitoring_return.approved_by = actor
    monitoring_return.save(update_fields=["status", "approved_at", "approved_by"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="monitoring_return.approved",
        target=monitoring_return,
        partnership=monitoring_return.award.decision.application.grant_round.partnership,
    )
    return monitoring_return


def overdue_return_reminders_send() -> int:
    """Email the organisation about each overdue return, once (idempotent)."""
    today = timezone.localdate()
    due = MonitoringReturn.objects.filter(
        status=MonitoringReturn.Status.DUE, due_on__lt=today, reminder_sent_at__isnull=True
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            item = (
                MonitoringReturn.objects.select_for_update(of=("self",))
                .select_related("award__decision__application__grant_round")
                .filter(pk=pk, reminder_sent_at__isnull=True)
                .first()
            )
            if item is None:
                continue
            application = item.award.decision.application
            if application.contact_email:
                message = emails.build_email(
                    "emails/grants/return_overdue",
                    {
                        "number": item.number,
                        "title": application.title,
                        "due_on": item.due_on,
                        "link": emails.absolute_url("grants:monitoring_return", item.pk),
                    },
                    to=[application.contact_email],
                )
                transaction.on_commit(message.send)
            item.reminder_sent_at = timezone.now()
            item.save(update_fields=["reminder_sent_at"])
            audit_record(
                actor=None,
                action=AuditEvent.Action.UPDATE,
                verb="monitoring_return.reminded",
                target=item,
                partnership=application.grant_round.partnership,
            )
            sent += 1
    return sent
