"""A reviewed import run by a command: the same job, checks and steps as an upload on a page
(vru.services.areas.crime_jobs), run in the command's own process, which is not a web request.

The upload's job is queued as usual (a worker would take it too); the command runs each step
itself, or, when a worker has taken the step first, waits for it. The check, the confirmation
(replacing stored data only when the command was told to) and the import are the page's.
"""

import time

from django.core.exceptions import ValidationError

from vru import import_kinds
from vru.models import ImportJob, Partnership
from vru.services.areas import crime_jobs
from vru.services.imports import import_job_create

BUSY = {ImportJob.Status.PENDING, ImportJob.Status.CHECKING, ImportJob.Status.RUNNING}
WAIT_SECONDS = 60 * 60


def _step(job: ImportJob) -> ImportJob:
    """Run the job's next step here, or wait for the worker that took it."""
    job = crime_jobs.reviewed_import_job_run(job_id=job.pk)
    deadline = time.monotonic() + WAIT_SECONDS
    while job.status in BUSY and time.monotonic() < deadline:
        time.sleep(0.5)
        job.refresh_from_db()
    return job


def reviewed_import_by_command(
    *, partnership: Partnership, kind: str, file_name: str, content: bytes, replace: bool
) -> tuple[ImportJob, str]:
    """(the job, "" or why nothing was imported) of a file imported by a command as the
    system: checked, then confirmed (stored data replaced only with `replace`) and imported.
    A check that would change nothing, or would replace without `replace`, is cancelled."""
    job = _step(
        import_job_create(
            actor=None, partnership=partnership, kind=kind, file_name=file_name, content=content
        )
    )
    if job.status != ImportJob.Status.CHECKED:
        return job, " ".join(e["message"] for e in job.row_errors[:20])
    replaced = crime_jobs.import_job_replaced(job)
    if replaced and not replace:
        crime_jobs.import_job_cancel(actor=None, job=job)
        return job, import_kinds.get(kind).replace_message(replaced)
    if kind == ImportJob.Kind.AREA_INDICATORS and not any(
        group["added"] or group["replaced"] for group in job.preview.get("groups", [])
    ):
        crime_jobs.import_job_cancel(actor=None, job=job)
        return job, ""  # nothing would change: nothing to import
    try:
        crime_jobs.import_job_confirm(actor=None, job=job, replace=replace)
    except ValidationError as exc:
        return job, " ".join(exc.messages)
    job = _step(job)
    if job.status != ImportJob.Status.SUCCEEDED:
        return job, " ".join(e["message"] for e in job.row_errors[:20])
    return job, ""
