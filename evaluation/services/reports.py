"""Impact reports: the request (a row and an outbox message in one transaction) and the build.

The request goes through the outbox (vru.services.outbox) so a report asked for while the
broker is down is built when it returns; the outbox handler hands the build to its own Celery
task, which saves progress as it goes (outside any long transaction)."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from evaluation import permissions
from evaluation.models import ImpactReport
from evaluation.report_periods import PeriodKind, period_kind_of, whole_period_error
from programmes.models import Programme
from vru.models import (
    LSOA,
    AuditEvent,
    CommunitySafetyPartnership,
    LocalAuthority,
    OutboxMessage,
    User,
)
from vru.selectors import disclosure
from vru.services import audit_record, outbox, queue

logger = logging.getLogger(__name__)

MAX_PERIOD_DAYS = 5 * 366
IMPACT_REPORT_BUILD = "evaluation.impact_report_build"


def report_period_check(*, actor: User, period_start: date, period_end: date) -> str:
    """The one rule for a report's period, called by every door (the form, the request
    service, the request-again button): the dates are in order, start by today and span
    at most five years; someone who sees suppressed figures may choose only a whole month,
    quarter or financial year. Returns the period's kind; raises ValidationError keyed by
    field (period_kind, period_start, period_end)."""
    errors = {}
    if period_end < period_start:
        errors["period_end"] = "The end of the period must be on or after its start."
    elif (period_end - period_start).days > MAX_PERIOD_DAYS:
        errors["period_end"] = "A report covers at most five years."
    if period_start > timezone.localdate():
        errors["period_start"] = "The period must start today or earlier."
    kind = period_kind_of(period_start, period_end)
    whole_only = not permissions.can_use_custom_report_periods(actor)
    if not errors and (
        message := whole_period_error(period_start, period_end, whole_only=whole_only)
    ):
        errors["period_kind"] = message
    if errors:
        raise ValidationError(errors)
    return kind


@transaction.atomic
def request_impact_report(
    *,
    actor: User,
    period_start: date,
    period_end: date,
    scope: str = ImpactReport.Scope.PARTNERSHIP,
    programme: Programme | None = None,
    csp: CommunitySafetyPartnership | None = None,
    local_authority: LocalAuthority | None = None,
) -> ImpactReport:
    """Queue a report of the actor's partnership; the task builds it after commit."""
    if not permissions.can_request_impact_report(actor):
        raise PermissionDenied("You cannot request impact reports.")
    partnership_id = actor.partnership_id
    targets = {
        ImpactReport.Scope.PROGRAMME: programme,
        ImpactReport.Scope.CSP: csp,
        ImpactReport.Scope.LOCAL_AUTHORITY: local_authority,
    }
    errors = {}
    for kind, target in targets.items():
        if target is not None and (scope != kind or target.partnership_id != partnership_id):
            errors["scope"] = "Choose a programme or area of your own partnership for this scope."
    if scope in targets and targets[scope] is None:
        errors["scope"] = f"Choose the {ImpactReport.Scope(scope).label.lower()[4:]}."
    period_kind = PeriodKind.CUSTOM
    try:
        period_kind = report_period_check(
            actor=actor, period_start=period_start, period_end=period_end
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    report = ImpactReport(
        partnership_id=partnership_id,
        period_start=period_start,
        period_end=period_end,
        period_kind=period_kind,
        scope=scope,
        scope_programme=programme,
        scope_csp=csp,
        scope_local_authority=local_authority,
        requested_by=actor,
    )
    report.full_clean()
    report.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="impact_report.requested",
        target=report,
        partnership=actor.partnership,
        changes={
            "scope": scope,
            "period": [str(period_start), str(period_end)],
            "period_kind": period_kind,
        },
    )
    outbox.enqueue(kind=IMPACT_REPORT_BUILD, target_id=report.pk, partnership=report.partnership)
    return report


def request_impact_report_again(*, actor: User, report: ImpactReport) -> ImpactReport:
    """A failed report asked for once more: a new request of the same scope and period
    (through request_impact_report, so every rule applies again). The failed one stays in
    the list with its error, for the administrator."""
    if report.partnership_id != actor.partnership_id:
        raise PermissionDenied("You cannot request this report.")
    if report.status != ImpactReport.Status.FAILED:
        raise ValidationError(
            "Only a report that could not be built can be requested again.", code="not_failed"
        )
    return request_impact_report(
        actor=actor,
        period_start=report.period_start,
        period_end=report.period_end,
        scope=report.scope,
        programme=report.scope_programme,
        csp=report.scope_csp,
        local_authority=report.scope_local_authority,
    )


def impact_report_build_schedule(*, report_id: int) -> None:
    """The outbox handler's work: hand the build to its own task (ids only). If the broker
    refuses, this raises and the outbox tries again later."""
    queue.run_later("evaluation.tasks.report_impact_build", report_id)


def _set_progress(report_id: int, percent: int, step: str, **fields) -> None:
    ImpactReport.objects.filter(pk=report_id).update(
        progress=percent, progress_step=step[:200], **fields
    )


def impact_reports_resume_stale() -> int:
    """Builds whose worker died (running longer than any task may run) are handed over
    again; the build claims them afresh. A queued report whose hand-over the outbox gave up
    on (a dead letter) is marked failed, so its page says so and offers Try again instead of
    waiting for ever. Run by beat."""
    stale = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    ids = list(
        ImpactReport.objects.filter(
            status=ImpactReport.Status.RUNNING, started_at__lt=stale
        ).values_list("pk", flat=True)
    )
    for report_id in ids:
        impact_report_build_schedule(report_id=report_id)
    never_started = OutboxMessage.objects.filter(
        kind=IMPACT_REPORT_BUILD, status=OutboxMessage.Status.DEAD
    ).values("target_id")
    ImpactReport.objects.filter(status=ImpactReport.Status.QUEUED, pk__in=never_started).update(
        status=ImpactReport.Status.FAILED,
        progress_step="Failed",
        finished_at=timezone.now(),
        error="The report could not be started (the work queue gave up on it).",
    )
    return len(ids)


def impact_report_build(*, report_id: int) -> ImpactReport:
    """Build every section, then the PDF. Progress is saved as each step starts (outside
    any long transaction, so the progress page sees it). Idempotent: a ready report is left
    alone. Any error marks the report failed with a message the requester can read."""
    from evaluation.selectors.report_content import SECTIONS, ReportScope
    from evaluation.services import report_pdf as pdf

    report = ImpactReport.objects.select_related(
        "partnership", "scope_programme", "scope_csp", "scope_local_authority"
    ).get(pk=report_id)
    # Claim the report: a queued one, or one whose build died with its worker (running for
    # longer than a task may run). A second delivery of the same build finds it claimed.
    now = timezone.now()
    stale = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimable = ImpactReport.objects.filter(pk=report_id).filter(
        Q(status=ImpactReport.Status.QUEUED)
        | Q(status=ImpactReport.Status.RUNNING, started_at__lt=stale)
    )
    if not claimable.update(
        status=ImpactReport.Status.RUNNING, started_at=now, progress=0, progress_step="Starting"
    ):
        return report
    steps = len(SECTIONS) + 1
    try:
        scope = ReportScope(report=report)
        sections = []
        for index, (label, builder) in enumerate(SECTIONS):
            _set_progress(report_id, round(100 * index / steps), label)
            sections.append(builder(scope))
        content = {
            "meta": {
                "title": f"Impact report: {report.scope_label}",
                "partnership": report.partnership.name,
                "scope": report.scope_label,
                "period": report.period_label,
                "period_name": report.period_name,
                "built_at": f"{timezone.localtime():%-d %B %Y %H:%M}",
                "threshold": scope.threshold,
                # how every count of people was protected, stated with the figures
                "disclosure": disclosure.method(),
            },
            "sections": sections,
        }
        _set_progress(report_id, round(100 * (steps - 1) / steps), "Drawing the PDF")
        boundaries = dict(
            LSOA.objects.filter(code__in=pdf.map_codes(content)).values_list("code", "boundary")
        )
        data = pdf.render_pdf(content, boundaries=boundaries)
    except Exception as exc:
        logger.exception("Impact report %s failed", report_id)
        _set_progress(
            report_id,
            report.progress,
            "Failed",
            status=ImpactReport.Status.FAILED,
            finished_at=timezone.now(),
            error=f"The report could not be built ({type(exc).__name__}).",
        )
        report.refresh_from_db()
        return report
    with transaction.atomic():
        report = ImpactReport.objects.select_for_update().get(pk=report_id)
        report.content = content
        report.pdf.save(f"impact-report-{report_id}.pdf", ContentFile(data), save=False)
        report.status = ImpactReport.Status.READY
        report.progress = 100
        report.progress_step = "Ready"
        report.finished_at = timezone.now()
        report.error = ""
        report.save(
            update_fields=[
                "content",
                "pdf",
                "status",
                "progress",
                "progress_step",
                "finished_at",
                "error",
            ]
        )
    return report


def impact_report_pdf_opened(*, actor: User, report: ImpactReport) -> None:
    """Record a download of the PDF (who took a copy of which report)."""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        verb="impact_report.downloaded",
        target=report,
        partnership=actor.partnership,
    )


__all__ = [
    "MAX_PERIOD_DAYS",
    "impact_report_build",
    "impact_report_pdf_opened",
    "report_period_check",
    "request_impact_report",
    "request_impact_report_again",
]
