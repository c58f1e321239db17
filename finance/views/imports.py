"""Importing spend from the finance system's spreadsheet: upload (checked as a Celery job),
then the import's own page (progress, the check, the confirmation, the way back). The job's
life is the core's (vru.services.import_job_*)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from finance import permissions, selectors, services
from finance.forms import SpendImportForm
from vru import doors
from vru import permissions as core_permissions
from vru import services as core_services
from vru.models import ImportJob

IN_PROGRESS = {ImportJob.Status.PENDING, ImportJob.Status.CHECKING, ImportJob.Status.RUNNING}
ROW_ERRORS_SHOWN = 500


@require_http_methods(["GET", "POST"])
def spend_import(request):
    if not permissions.can_import_spend(request.user):
        raise Http404
    form = SpendImportForm(doors.posted(request), doors.posted_files(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.spend_import_job_create(
                actor=request.user,
                partnership=request.user.partnership,
                file_name=upload.name,
                content=upload.read(),
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request, "The file is being checked. Nothing changes until you confirm."
            )
            return redirect("finance:spend_import_job", job_pk=job.pk)
    return render(
        request,
        "finance/import.html",
        {"form": form, "recent": selectors.spend_import_jobs(viewer=request.user)[:10]},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def spend_import_job(request, job_pk: int):
    job = get_object_or_404(selectors.spend_import_jobs(viewer=request.user), pk=job_pk)
    user = request.user
    if request.method == "POST":
        try:
            core_services.import_job_confirm(actor=user, job=job)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The file is being imported. This page shows its progress.")
        return redirect("finance:spend_import_job", job_pk=job.pk)
    can_restore = core_permissions.can_restore_import(user, job)
    return render(
        request,
        "finance/import_job.html",
        {
            "job": job,
            "preview": job.preview,
            "in_progress": job.status in IN_PROGRESS,
            "errors": job.row_errors[:ROW_ERRORS_SHOWN],
            "more_errors": max(0, len(job.row_errors) - ROW_ERRORS_SHOWN),
            "upload_url": reverse("finance:spend_import"),
            "can_restore": can_restore,
            "restore_problem": core_services.import_job_restore_problem(job)
            if can_restore and job.status == ImportJob.Status.SUCCEEDED
            else "",
        },
    )


@require_POST
def spend_import_job_cancel(request, job_pk: int):
    job = get_object_or_404(selectors.spend_import_jobs(viewer=request.user), pk=job_pk)
    try:
        core_services.import_job_cancel(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Cancelled: nothing was imported and the file was discarded.")
    return redirect("finance:spend_import_job", job_pk=job.pk)


@require_http_methods(["GET", "POST"])
def spend_import_job_restore(request, job_pk: int):
    job = get_object_or_404(selectors.spend_import_jobs(viewer=request.user), pk=job_pk)
    if not core_permissions.can_restore_import(request.user, job):
        raise Http404
    if request.method == "POST":
        try:
            core_services.import_job_restore(actor=request.user, job=job)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"The import of {job.file_name} was undone.")
        return redirect("finance:spend_import_job", job_pk=job.pk)
    return render(
        request,
        "finance/import_restore.html",
        {"job": job, "problem": core_services.import_job_restore_problem(job)},
    )
