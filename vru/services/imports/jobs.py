"""Import jobs of the core's reference data: queued by a door, run in Celery."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vru import import_kinds, permissions
from vru.models import ImportJob, Partnership, StrategicNeedsAssessment, User
from vru.services import queue, workbooks
from vru.services.imports.resources import import_rows
from vru.services.imports.rows import ImportOutcome, RowError
from vru.services.imports.tables import read_table
from vru.services.outbox import enqueue

IMPORT_JOB_RUN = "vru.import_job_run"


@transaction.atomic
def import_job_create(
    *,
    actor: User | None,
    partnership: Partnership,
    kind: str,
    file_name: str,
    content: bytes,
    needs_assessment: StrategicNeedsAssessment | None = None,
    skip_invalid_rows: bool = False,
) -> ImportJob:
    """Queue a file for import; the work runs in Celery once this transaction commits."""
    if actor is not None and not (
        permissions.can_import_area_data(actor) and actor.partnership_id == partnership.pk
    ):
        raise PermissionDenied("You cannot import data into this partnership.")
    workbooks.check_upload(file_name=file_name, content=content)
    job = ImportJob(
        partnership=partnership,
        created_by=actor,
        kind=kind,
        file_name=file_name[:255],
        content=content,
        needs_assessment=needs_assessment,
        skip_invalid_rows=skip_invalid_rows,
    )
    job.full_clean(exclude=["content"])
    job.save()
    # Through the outbox: a job queued while the broker is down runs when it returns.
    enqueue(kind=IMPORT_JOB_RUN, target_id=job.pk, partnership=partnership)
    return job


def import_job_hand_over(*, job_id: int) -> None:
    """The outbox handler's work: give the job to its Celery task (id only); if the broker
    refuses, this raises and the outbox tries again later."""
    queue.run_later("vru.tasks.import_job_run", job_id)


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued import. Idempotent: a job that has finished is left as it is."""
    if ImportJob.objects.filter(pk=job_id, kind__in=import_kinds.registered()).exists():
        from vru.services.areas.crime_jobs import reviewed_import_job_run

        return reviewed_import_job_run(job_id=job_id)  # checked, then imported once confirmed
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",))
            .select_related("partnership", "created_by", "needs_assessment")
            .get(pk=job_id)
        )
        if job.status in {ImportJob.Status.SUCCEEDED, ImportJob.Status.FAILED}:
            return job
        job.status = ImportJob.Status.RUNNING
        job.save(update_fields=["status"])
    try:
        dataset = read_table(file_name=job.file_name, content=bytes(job.content))
        job.total_rows = len(dataset)
        job.save(update_fields=["total_rows"])
        outcome = import_rows(
            actor=job.created_by,
            partnership=job.partnership,
            kind=job.kind,
            dataset=dataset,
            needs_assessment=job.needs_assessment,
            skip_invalid_rows=job.skip_invalid_rows,
        )
    except ValidationError as exc:
        outcome = ImportOutcome(
            total_rows=job.total_rows, errors=[RowError(1, "", m) for m in exc.messages]
        )
    job.processed_rows = outcome.total_rows
    job.imported_rows = outcome.imported_rows
    job.row_errors = [e.as_dict() for e in outcome.errors]
    failed = bool(outcome.errors) and not (job.skip_invalid_rows and outcome.imported_rows)
    job.status = ImportJob.Status.FAILED if failed else ImportJob.Status.SUCCEEDED
    job.finished_at = timezone.now()
    job.content = b""  # the file is not kept once it has been read
    job.save(
        update_fields=[
            "processed_rows",
            "imported_rows",
            "row_errors",
            "status",
            "finished_at",
            "content",
        ]
    )
    return job
