"""A police.uk file uploaded on the page: checked first, imported once confirmed, undoable.

1. The upload queues an ImportJob (`imports.import_job_create`, kind police_uk); Celery
   checks the file (`crime_file_plan`, which writes nothing) and keeps the preview on the
   job: rows read and counted, skipped by reason, the months and what they would replace.
   A file for another area is refused there, with the reason.
2. `import_job_confirm` (replacing stored months needs `replace=True`) queues the import
   itself; `import_job_cancel` forgets the file.
3. `import_job_restore` puts back exactly what the import replaced (its snapshot), keeping
   what it removes, and is audited.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from vru import permissions
from vru.models import LSOA, AuditEvent, CrimeCount, ImportJob, User
from vru.services.areas.crime import (
    _plan_apply,
    _stored_rows,
    _write_counts,
    crime_file_plan,
    replace_unconfirmed_message,
)
from vru.services.audit import audit_record
from vru.services.imports import IMPORT_JOB_RUN
from vru.services.outbox import enqueue


def _locked(job: ImportJob) -> ImportJob:
    return (
        ImportJob.objects.select_for_update(of=("self",))
        .select_related("partnership", "created_by", "confirmed_by")
        .get(pk=job.pk, kind=ImportJob.Kind.POLICE_UK)
    )


def _finish(job: ImportJob, status: str, errors: list[str], fields: list[str]) -> ImportJob:
    job.status = status
    job.row_errors = [{"row": 1, "column": "", "message": m} for m in errors]
    job.finished_at = timezone.now()
    job.content = b""  # the file is not kept once the job is over
    job.save(update_fields=[*fields, "status", "row_errors", "finished_at", "content"])
    return job


def crime_import_job_run(*, job_id: int) -> ImportJob:
    """The Celery work of a police.uk job: the check (a new job) or the import (a confirmed
    one). Idempotent: a job that is not waiting is left as it is."""
    with transaction.atomic():
        job = _locked(ImportJob(pk=job_id))
        if job.status != ImportJob.Status.PENDING:
            return job
        confirmed = job.confirmed_at is not None
        job.status = ImportJob.Status.RUNNING if confirmed else ImportJob.Status.CHECKING
        job.save(update_fields=["status"])
    return _import(job) if confirmed else _check(job)


def _check(job: ImportJob) -> ImportJob:
    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total)

    try:
        plan = crime_file_plan(
            partnership=job.partnership, content=bytes(job.content), progress=progress
        )
    except ValidationError as exc:
        return _finish(job, ImportJob.Status.FAILED, exc.messages, [])
    job.preview = plan.as_preview()
    job.total_rows = job.processed_rows = plan.rows_read
    fields = ["preview", "total_rows", "processed_rows"]
    if plan.refusal:
        audit_record(
            actor=job.created_by,
            action=AuditEvent.Action.IMPORT,
            verb="crime.refused",
            target=job,
            partnership=job.partnership,
            changes={"file": job.file_name, "reason": plan.refusal},
        )
        return _finish(job, ImportJob.Status.REFUSED, [plan.refusal], fields)
    job.status = ImportJob.Status.CHECKED
    job.save(update_fields=[*fields, "status"])
    return job


def _import(job: ImportJob) -> ImportJob:
    try:
        with transaction.atomic():
            job = _locked(job)
            actor = job.confirmed_by
            if actor is not None and not permissions.can_review_import(actor, job):
                raise PermissionDenied
            plan = crime_file_plan(partnership=job.partnership, content=bytes(job.content))
            if plan.as_preview()["months"] != job.preview.get("months"):
                # what the person confirmed is no longer what would happen
                raise ValidationError(
                    "The stored counts for these months (or the partnership's "
                    "neighbourhoods) changed after the file was checked: nothing was changed. "
                    "Upload the file again to see what it would change now.",
                    code="stale_check",
                )
            record = _plan_apply(actor=actor, plan=plan, job=job, replace=job.replace_confirmed)
            job.crime_import = record
            job.imported_rows = record.rows_counted
            job.processed_rows = plan.rows_read
            return _finish(
                job,
                ImportJob.Status.SUCCEEDED,
                [],
                ["crime_import", "imported_rows", "processed_rows"],
            )
    except ValidationError as exc:
        return _finish(job, ImportJob.Status.FAILED, exc.messages, [])
    except PermissionDenied:
        return _finish(job, ImportJob.Status.FAILED, ["You may no longer import area data."], [])


@transaction.atomic
def import_job_confirm(*, actor: User, job: ImportJob, replace: bool = False) -> ImportJob:
    """Import a checked police.uk file. Replacing months already stored needs `replace`
    (the person has seen what will be replaced and agreed)."""
    job = _locked(job)
    if not permissions.can_review_import(actor, job):
        raise PermissionDenied("You cannot import data into this partnership.")
    if job.status != ImportJob.Status.CHECKED:
        raise ValidationError(
            f"This import is not waiting for a confirmation ({job.get_status_display()}).",
            code="invalid_status",
        )
    replaced = [m for m in job.preview.get("months", []) if m["before"]]
    if replaced and not replace:
        raise ValidationError(replace_unconfirmed_message(replaced), code="replace_unconfirmed")
    job.confirmed_by = actor
    job.confirmed_at = timezone.now()
    job.replace_confirmed = bool(replaced)
    job.status = ImportJob.Status.PENDING
    job.save(update_fields=["confirmed_by", "confirmed_at", "replace_confirmed", "status"])
    enqueue(
        kind=IMPORT_JOB_RUN,
        target_id=job.pk,
        partnership=job.partnership,
        key=f"{IMPORT_JOB_RUN}:{job.pk}:confirmed",
    )
    return job


@transaction.atomic
def import_job_cancel(*, actor: User, job: ImportJob) -> ImportJob:
    """Drop a checked file without importing it."""
    job = _locked(job)
    if not permissions.can_review_import(actor, job):
        raise PermissionDenied("You cannot import data into this partnership.")
    if job.status != ImportJob.Status.CHECKED:
        raise ValidationError(
            f"This import is not waiting for a confirmation ({job.get_status_display()}).",
            code="invalid_status",
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="crime.import_cancelled",
        target=job,
        partnership=job.partnership,
        changes={"file": job.file_name},
    )
    return _finish(job, ImportJob.Status.CANCELLED, [], [])


def import_job_restore_problem(job: ImportJob) -> str:
    """Why the import cannot be undone now ("" when it can). Reads only."""
    if job.status == ImportJob.Status.RESTORED:
        return "This import has already been undone."
    if job.status != ImportJob.Status.SUCCEEDED:
        return "Only a completed import can be undone."
    snapshot = getattr(job, "snapshot", None)
    if snapshot is None:
        return "This import kept no copy of what it replaced, so it cannot be undone."
    months = set(snapshot.scope.get("months", []))
    later = (
        ImportJob.objects.filter(
            partnership_id=job.partnership_id,
            kind=ImportJob.Kind.POLICE_UK,
            status=ImportJob.Status.SUCCEEDED,
            finished_at__gt=job.finished_at,
            snapshot__isnull=False,
        )
        .select_related("snapshot")
        .order_by("-finished_at")
    )
    for other in later:
        again = sorted(months & set(other.snapshot.scope.get("months", [])))
        if again:
            labels = ", ".join(f"{date.fromisoformat(m):%B %Y}" for m in again)
            return (
                f"{labels} was imported again afterwards ({other.file_name}, "
                f"{timezone.localtime(other.finished_at):%-d %B %Y %H:%M}): undo that "
                "import first."
            )
    return ""


def _totals(partnership_id: int, months: list[date]) -> dict[str, int]:
    return {
        month.isoformat(): n
        for month, n in CrimeCount.objects.filter(partnership_id=partnership_id, month__in=months)
        .order_by()
        .values_list("month")
        .annotate(n=Sum("count"))
    }


@transaction.atomic
def import_job_restore(*, actor: User, job: ImportJob) -> ImportJob:
    """Undo an import: put back exactly the counts it replaced for its months. The counts it
    had written are kept in the snapshot (nothing is lost) and the undo is audited."""
    job = _locked(job)
    if not permissions.can_restore_import(actor, job):
        raise PermissionDenied("You cannot undo this import.")
    problem = import_job_restore_problem(job)
    if problem:
        raise ValidationError(problem, code="not_restorable")
    snapshot = job.snapshot
    partnership = job.partnership
    months = [date.fromisoformat(m) for m in snapshot.scope["months"]]
    before = _totals(partnership.pk, months)
    snapshot.rows_removed_on_restore = _stored_rows(partnership, months)
    snapshot.save(update_fields=["rows_removed_on_restore"])
    CrimeCount.objects.filter(partnership=partnership, month__in=months).delete()
    still_there = set(
        LSOA.objects.filter(
            partnership=partnership, pk__in={row[0] for row in snapshot.rows}
        ).values_list("pk", flat=True)
    )
    _write_counts(
        partnership,
        [
            (lsoa_id, date.fromisoformat(month), crime_type, n)
            for lsoa_id, month, crime_type, n in snapshot.rows
            if lsoa_id in still_there
        ],
    )
    job.status = ImportJob.Status.RESTORED
    job.restored_by = actor
    job.restored_at = timezone.now()
    job.save(update_fields=["status", "restored_by", "restored_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="crime.import_undone",
        target=job,
        partnership=partnership,
        changes={
            "file": job.file_name,
            "months": snapshot.scope["months"],
            "counts_before_undo": before,
            "counts_after_undo": _totals(partnership.pk, months),
            "rows_put_back": len(snapshot.rows),
            "rows_removed": len(snapshot.rows_removed_on_restore),
        },
    )
    return job
