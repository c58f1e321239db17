"""The life of a reviewed import: checked first, imported once confirmed, undoable, and
forgotten if nobody confirms it. One machinery for every such kind: police.uk files and area
indicators here, custody referrals and listening responses in their apps (each kind's pieces
are registered in vru.import_kinds, by its app's AppConfig.ready: the core imports no app).

1. The upload queues an ImportJob; Celery checks the file (writing nothing) and keeps the
   preview on the job: rows read, rows that would be counted, stored or added, skipped by
   reason, and what they would replace. A file that cannot be imported (another area's file,
   a file with bad rows when only a whole file may be imported) is refused there, with the
   reasons.
2. `import_job_confirm` (replacing stored data needs `replace=True`) queues the import
   itself; `import_job_cancel` forgets the file; `import_checks_expire` (beat) forgets the
   files of checks nobody confirmed within VRU_IMPORT_CHECK_HOURS.
3. `import_job_restore` puts back exactly the state before the import (its snapshot),
   keeping what it removes where it may, and is audited.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from vru import import_kinds, permissions
from vru.import_kinds import Checked, ImportKind
from vru.models import LSOA, AuditEvent, CrimeCount, ImportJob, ImportSnapshot, User
from vru.services import imports
from vru.services.areas import indicators
from vru.services.areas.crime import (
    _plan_apply,
    _stored_rows,
    _write_counts,
    crime_file_plan,
)
from vru.services.areas.crime import (
    replace_unconfirmed_message as crime_replace_message,
)
from vru.services.audit import audit_record
from vru.services.imports import IMPORT_JOB_RUN
from vru.services.outbox import enqueue


def _locked(job: ImportJob) -> ImportJob:
    return (
        ImportJob.objects.select_for_update(of=("self",))
        .select_related("partnership", "created_by", "confirmed_by")
        .get(pk=job.pk, kind__in=import_kinds.registered())
    )


def _kind(job: ImportJob) -> ImportKind:
    kind = import_kinds.get(job.kind)
    if kind is None:
        raise ValueError(f"No reviewed import kind {job.kind!r} is registered.")
    return kind


def _finish(
    job: ImportJob,
    status: str,
    errors: list[str],
    fields: list[str],
    row_errors: list[dict] | None = None,
) -> ImportJob:
    job.status = status
    job.row_errors = row_errors or [{"row": 1, "column": "", "message": m} for m in errors]
    job.finished_at = timezone.now()
    job.content = b""  # the file is not kept once the job is over
    job.save(update_fields=[*fields, "status", "row_errors", "finished_at", "content"])
    return job


# --- police.uk ----------------------------------------------------------------------------


def _crime_check(job: ImportJob) -> Checked:
    plan = crime_file_plan(
        partnership=job.partnership, content=bytes(job.content), progress=_progress(job)
    )
    refusal = [{"row": 1, "column": "", "message": plan.refusal}] if plan.refusal else []
    return Checked(plan.as_preview(), refusal)


def _crime_import(job: ImportJob, actor: User | None, prepared: None) -> int:
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
    job.save(update_fields=["crime_import"])
    return record.rows_counted


def _crime_overlap(snapshot: ImportSnapshot, later: ImportSnapshot) -> list[str]:
    again = sorted(set(snapshot.scope.get("months", [])) & set(later.scope.get("months", [])))
    return [f"{date.fromisoformat(m):%B %Y}" for m in again]


def _totals(partnership_id: int, months: list[date]) -> dict[str, int]:
    return {
        month.isoformat(): n
        for month, n in CrimeCount.objects.filter(partnership_id=partnership_id, month__in=months)
        .order_by()
        .values_list("month")
        .annotate(n=Sum("count"))
    }


def _crime_restore(snapshot: ImportSnapshot) -> dict:
    partnership = snapshot.job.partnership
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
    return {
        "months": snapshot.scope["months"],
        "counts_before_undo": before,
        "counts_after_undo": _totals(partnership.pk, months),
        "rows_put_back": len(snapshot.rows),
        "rows_removed": len(snapshot.rows_removed_on_restore),
    }


# --- area indicators ----------------------------------------------------------------------


def _indicator_plan(job: ImportJob, progress=None) -> indicators.IndicatorPlan:
    dataset = imports.read_table(file_name=job.file_name, content=bytes(job.content))
    return indicators.indicator_file_plan(
        partnership=job.partnership, dataset=dataset, progress=progress
    )


def _progress(job: ImportJob):
    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total)

    return progress


def _indicator_check(job: ImportJob) -> Checked:
    plan = _indicator_plan(job, progress=_progress(job))
    return Checked(plan.as_preview(), plan.errors)


def _indicator_import(job: ImportJob, actor: User | None, prepared: None) -> int:
    plan = _indicator_plan(job)
    preview = plan.as_preview()
    if plan.errors or preview["groups"] != job.preview.get("groups"):
        raise ValidationError(
            "The stored indicator values (or the partnership's neighbourhoods or factors) "
            "changed after the file was checked: nothing was changed. Upload the file again "
            "to see what it would change now.",
            code="stale_check",
        )
    return indicators.indicator_plan_apply(
        actor=actor, plan=plan, job=job, replace=job.replace_confirmed
    )


# --- one machinery ------------------------------------------------------------------------


def _may_import_area_data(user: User, job: ImportJob) -> bool:
    return permissions.can_import_area_data(user)


def register_core_kinds() -> None:
    """The core's reviewed kinds (VruConfig.ready registers them, as apps register theirs)."""
    import_kinds.register(
        ImportJob.Kind.POLICE_UK,
        ImportKind(
            verb="crime",
            check=_crime_check,
            apply=_crime_import,
            restore=_crime_restore,
            may_review=_may_import_area_data,
            replaced=lambda preview: [m for m in preview.get("months", []) if m["before"]],
            replace_message=crime_replace_message,
            overlap=_crime_overlap,
        ),
    )
    import_kinds.register(
        ImportJob.Kind.AREA_INDICATORS,
        ImportKind(
            verb="indicators",
            check=_indicator_check,
            apply=_indicator_import,
            restore=indicators.indicator_snapshot_restore,
            may_review=_may_import_area_data,
            replaced=lambda preview: [g for g in preview.get("groups", []) if g["replaced"]],
            replace_message=indicators.replace_unconfirmed_message,
            overlap=indicators.overlap_labels,
        ),
    )


def import_job_replaced(job: ImportJob) -> list[dict]:
    """What a checked job would replace (police.uk: months; indicators: factors and periods),
    from its preview. Reads only."""
    kind = import_kinds.get(job.kind)
    return kind.replaced(job.preview) if kind is not None else []


def reviewed_import_job_run(*, job_id: int) -> ImportJob:
    """The Celery work of a reviewed job: the check (a new job) or the import (a confirmed
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
    kind = _kind(job)
    try:
        checked = kind.check(job)
    except ValidationError as exc:
        return _finish(job, ImportJob.Status.FAILED, exc.messages, [])
    preview, refusals = checked.preview, list(checked.refusals)
    job.preview = preview
    job.total_rows = job.processed_rows = preview["rows_read"]
    fields = ["preview", "total_rows", "processed_rows"]
    if refusals:
        audit_record(
            actor=job.created_by,
            action=AuditEvent.Action.IMPORT,
            verb=f"{kind.verb}.refused",
            target=job,
            partnership=job.partnership,
            changes={
                "file": job.file_name,
                # never the cell a reason quotes: the audit outlives the row errors
                "reason": imports.unquoted(refusals[0]["message"])
                if len(refusals) == 1
                else f"{len(refusals)} rows had errors",
            },
        )
        return _finish(job, ImportJob.Status.REFUSED, [], fields, row_errors=refusals)
    job.status = ImportJob.Status.CHECKED
    job.row_errors = list(checked.row_errors)
    job.checked_at = timezone.now()
    job.save(update_fields=[*fields, "status", "row_errors", "checked_at"])
    return job


def _import(job: ImportJob) -> ImportJob:
    kind = _kind(job)
    try:
        prepared = None
        if kind.prepare is not None:
            # outside the import's transaction, so that its progress shows on the page
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=0)
            prepared = kind.prepare(job)
        with transaction.atomic():
            job = _locked(job)
            actor = job.confirmed_by
            if actor is not None and not permissions.can_review_import(actor, job):
                raise PermissionDenied
            job.imported_rows = kind.apply(job, actor, prepared)
            job.processed_rows = job.preview.get("rows_read", job.processed_rows)
            return _finish(job, ImportJob.Status.SUCCEEDED, [], ["imported_rows", "processed_rows"])
    except ValidationError as exc:
        return _finish(job, ImportJob.Status.FAILED, exc.messages, [])
    except PermissionDenied:
        return _finish(
            job, ImportJob.Status.FAILED, ["You may no longer import this kind of data."], []
        )


@transaction.atomic
def import_job_confirm(*, actor: User | None, job: ImportJob, replace: bool = False) -> ImportJob:
    """Import a checked file. Replacing stored data (police.uk months, indicator values)
    needs `replace` (the person has seen what will be replaced and agreed). `actor=None` is
    the system (a management command given the file and told to import it)."""
    job = _locked(job)
    if actor is not None and not permissions.can_review_import(actor, job):
        raise PermissionDenied("You cannot import data into this partnership.")
    if job.status != ImportJob.Status.CHECKED:
        raise ValidationError(
            f"This import is not waiting for a confirmation ({job.get_status_display()}).",
            code="invalid_status",
        )
    replaced = import_job_replaced(job)
    if replaced and not replace:
        raise ValidationError(_kind(job).replace_message(replaced), code="replace_unconfirmed")
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
def import_job_cancel(*, actor: User | None, job: ImportJob) -> ImportJob:
    """Drop a checked file without importing it (`actor=None`: the system, a command)."""
    job = _locked(job)
    if actor is not None and not permissions.can_review_import(actor, job):
        raise PermissionDenied("You cannot import data into this partnership.")
    if job.status != ImportJob.Status.CHECKED:
        raise ValidationError(
            f"This import is not waiting for a confirmation ({job.get_status_display()}).",
            code="invalid_status",
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb=f"{_kind(job).verb}.import_cancelled",
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
        return "This import kept no record of what it changed, so it cannot be undone."
    kind = _kind(job)
    later = (
        ImportJob.objects.filter(
            partnership_id=job.partnership_id,
            kind=job.kind,
            status=ImportJob.Status.SUCCEEDED,
            finished_at__gt=job.finished_at,
            snapshot__isnull=False,
        )
        .select_related("snapshot")
        .order_by("-finished_at")
    )
    for other in later:
        again = kind.overlap(snapshot, other.snapshot)
        if again:
            labels = ", ".join(again)
            return (
                f"{labels} {'was' if len(again) == 1 else 'were'} imported again afterwards "
                f"({other.file_name}, {timezone.localtime(other.finished_at):%-d %B %Y %H:%M}):"
                " undo that import first."
            )
    return kind.restore_problem(snapshot)


@transaction.atomic
def import_job_restore(*, actor: User, job: ImportJob) -> ImportJob:
    """Undo an import: put back exactly the data it replaced. The data it had written is kept
    in the snapshot (nothing is lost) and the undo is audited."""
    job = _locked(job)
    if not permissions.can_restore_import(actor, job):
        raise PermissionDenied("You cannot undo this import.")
    problem = import_job_restore_problem(job)
    if problem:
        raise ValidationError(problem, code="not_restorable")
    kind = _kind(job)
    changes = kind.restore(job.snapshot)
    job.status = ImportJob.Status.RESTORED
    job.restored_by = actor
    job.restored_at = timezone.now()
    job.save(update_fields=["status", "restored_by", "restored_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb=f"{kind.verb}.import_undone",
        target=job,
        partnership=job.partnership,
        changes={"file": job.file_name, **changes},
    )
    return job


def import_checks_expire(*, now=None) -> int:
    """Forget the files of checks nobody confirmed within VRU_IMPORT_CHECK_HOURS (every
    reviewed kind): the job is marked expired, its stored bytes cleared, and its page asks for
    the file again. A check that never finished in that time (its worker lost) is forgotten
    too; an import someone confirmed is left to run. Idempotent; a job being confirmed at the
    same moment is left to the confirmation. Returns how many expired."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.VRU_IMPORT_CHECK_HOURS)
    expired = 0
    checks_never_done = Q(
        status__in=[ImportJob.Status.PENDING, ImportJob.Status.CHECKING],
        confirmed_at__isnull=True,
        kind__in=import_kinds.registered(),
    )
    with transaction.atomic():
        waiting = (
            ImportJob.objects.select_for_update(of=("self",), skip_locked=True)
            .annotate(waiting_since=Coalesce("checked_at", "created_at"))
            .filter(Q(status=ImportJob.Status.CHECKED) | checks_never_done)
            .filter(waiting_since__lt=cutoff)
            .select_related("partnership")
            .order_by("pk")
        )
        for job in waiting:
            audit_record(
                actor=None,
                action=AuditEvent.Action.UPDATE,
                verb="import.check_expired",
                target=job,
                partnership=job.partnership,
                changes={
                    "file": job.file_name,
                    "kind": job.kind,
                    "checked_at": str(job.checked_at),
                },
            )
            _finish(job, ImportJob.Status.EXPIRED, [], [])
            expired += 1
    return expired
