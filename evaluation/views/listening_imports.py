"""Importing responses from a spreadsheet: upload (the check runs as a Celery job), then the
import's own page: its progress, what the file would add (the check), the confirmation, and
once imported the way back (undo, with its own confirmation page). Thin: parse, call a
selector or a service, render. The job's life is the core's (vru.services.import_job_*)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from evaluation import permissions, selectors, services
from evaluation.forms import ResponsesImportForm
from evaluation.views.listening import _exercise, _require
from vru import doors
from vru import permissions as core_permissions
from vru import services as core_services
from vru.models import ImportJob

IN_PROGRESS = {ImportJob.Status.PENDING, ImportJob.Status.CHECKING, ImportJob.Status.RUNNING}
ROW_ERRORS_SHOWN = 500
RECENT = 10


@require_http_methods(["GET", "POST"])
def responses_import(request, pk: int):
    """Upload a spreadsheet of responses: it is checked first and nothing changes until the
    person confirms on the import's page. Lists the exercise's recent imports."""
    exercise = _exercise(request, pk)
    _require(permissions.can_record_feedback(request.user))
    form = ResponsesImportForm(doors.posted(request), doors.posted_files(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.responses_import_job_create(
                actor=request.user,
                exercise=exercise,
                file_name=upload.name,
                content=upload.read(),
                skip_invalid_rows=form.cleaned_data["skip_invalid_rows"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request, "The file is being checked. Nothing changes until you confirm."
            )
            return redirect("evaluation:responses_import_job", pk=exercise.pk, job_pk=job.pk)
    return render(
        request,
        "evaluation/import.html",
        {
            "form": form,
            "exercise": exercise,
            "recent": selectors.responses_import_jobs(viewer=request.user, exercise=exercise)[
                :RECENT
            ],
        },
        status=400 if form.errors else 200,
    )


def _job_or_404(request, pk: int, job_pk: int):
    exercise = _exercise(request, pk)
    job = get_object_or_404(
        selectors.responses_import_jobs(viewer=request.user, exercise=exercise), pk=job_pk
    )
    return exercise, job


@require_http_methods(["GET", "POST"])
def responses_import_job(request, pk: int, job_pk: int):
    """One spreadsheet of responses: its progress, what it would add, the confirmation
    (POST), and once imported, the way back."""
    exercise, job = _job_or_404(request, pk, job_pk)
    user = request.user
    if request.method == "POST":
        try:
            core_services.import_job_confirm(actor=user, job=job)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The file is being imported. This page shows its progress.")
        return redirect("evaluation:responses_import_job", pk=exercise.pk, job_pk=job.pk)
    can_restore = core_permissions.can_restore_import(user, job)
    return render(
        request,
        "evaluation/import_job.html",
        {
            "exercise": exercise,
            "job": job,
            "preview": job.preview,
            "in_progress": job.status in IN_PROGRESS,
            "errors": job.row_errors[:ROW_ERRORS_SHOWN],
            "more_errors": max(0, len(job.row_errors) - ROW_ERRORS_SHOWN),
            "upload_url": reverse("evaluation:responses_import", args=[exercise.pk]),
            "can_restore": can_restore,
            "restore_problem": core_services.import_job_restore_problem(job)
            if can_restore and job.status == ImportJob.Status.SUCCEEDED
            else "",
        },
    )


@require_POST
def responses_import_job_cancel(request, pk: int, job_pk: int):
    exercise, job = _job_or_404(request, pk, job_pk)
    try:
        core_services.import_job_cancel(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Cancelled: nothing was imported and the file was discarded.")
    return redirect("evaluation:responses_import_job", pk=exercise.pk, job_pk=job.pk)


@require_http_methods(["GET", "POST"])
def responses_import_job_restore(request, pk: int, job_pk: int):
    """Confirm first (GET), then undo the import (POST): the responses it added are removed."""
    exercise, job = _job_or_404(request, pk, job_pk)
    _require(core_permissions.can_restore_import(request.user, job))
    if request.method == "POST":
        try:
            core_services.import_job_restore(actor=request.user, job=job)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"The import of {job.file_name} was undone: the responses it added are removed.",
            )
        return redirect("evaluation:responses_import_job", pk=exercise.pk, job_pk=job.pk)
    return render(
        request,
        "evaluation/import_restore.html",
        {
            "exercise": exercise,
            "job": job,
            "problem": core_services.import_job_restore_problem(job),
            "added": job.imported_rows,
        },
    )
