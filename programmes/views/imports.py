"""The custody-spreadsheet import: upload (the check runs as a Celery job), then the
import's own page: its progress, what the file would add (the check), the confirmation, and
once imported the way back (undo, with its own confirmation page). Thin: parse, call a
selector or a service, render. The job's life is the core's (vru.services.import_job_*)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from programmes import forms, selectors, services
from programmes.models import Programme
from programmes.services.imports import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from vru import doors
from vru import permissions as core_permissions
from vru import services as core_services
from vru.models import ImportJob

ROW_ERRORS_SHOWN = 500


@require_http_methods(["GET", "POST"])
def referral_import(request):
    programmes = selectors.managed_programmes(viewer=request.user)
    doors.require(programmes.exists())
    # ?programme= (the link from a programme's admin page) chooses it; the form's choices
    # are still only the programmes the viewer manages
    form = forms.ReferralImportForm(
        doors.posted(request),
        doors.posted_files(request),
        programmes=programmes,
        initial={"programme": request.GET.get("programme", "")},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.referral_import_job_create(
                actor=request.user,
                programme=form.cleaned_data["programme"],
                file_name=upload.name,
                content=upload.read(),
                skip_invalid_rows=form.cleaned_data["skip_invalid_rows"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request, "The file is being checked. Nothing is imported until you confirm."
            )
            return redirect("programmes:referral_import_job", pk=job.pk)
    return render(
        request,
        "programmes/referral_import.html",
        {
            "form": form,
            "required_columns": REQUIRED_COLUMNS,
            "optional_columns": OPTIONAL_COLUMNS,
            "recent": selectors.referral_import_jobs(viewer=request.user)[:10],
        },
        status=400 if form.errors else 200,
    )


IN_PROGRESS = {ImportJob.Status.PENDING, ImportJob.Status.CHECKING, ImportJob.Status.RUNNING}


def _job_or_404(request, pk: int) -> ImportJob:
    job = selectors.referral_import_jobs(viewer=request.user).filter(pk=pk).first()
    doors.require(job is not None)
    return job


@require_http_methods(["GET", "POST"])
def referral_import_job(request, pk: int):
    """One custody spreadsheet: its progress, what it would add, the confirmation (POST),
    and once imported, the way back."""
    job = _job_or_404(request, pk)
    user = request.user
    if request.method == "POST":
        try:
            core_services.import_job_confirm(actor=user, job=job)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The file is being imported. This page shows its progress.")
        return redirect("programmes:referral_import_job", pk=job.pk)
    in_progress = job.status in IN_PROGRESS
    can_restore = core_permissions.can_restore_import(user, job)
    return render(
        request,
        "programmes/referral_import_job.html",
        {
            "job": job,
            "preview": job.preview,
            "programme": Programme.objects.filter(pk=job.target_id).first(),
            "in_progress": in_progress,
            "saving": in_progress
            and job.confirmed_at
            and job.total_rows
            and job.processed_rows >= job.total_rows,
            "errors": job.row_errors[:ROW_ERRORS_SHOWN],
            "more_errors": max(0, len(job.row_errors) - ROW_ERRORS_SHOWN),
            "caseload_url": reverse("programmes:caseload") + f"?programme={job.target_id}",
            "upload_url": reverse("programmes:referral_import"),
            "can_restore": can_restore,
            "restore_problem": core_services.import_job_restore_problem(job)
            if can_restore and job.status == ImportJob.Status.SUCCEEDED
            else "",
        },
    )


@require_POST
def referral_import_job_cancel(request, pk: int):
    job = _job_or_404(request, pk)
    try:
        core_services.import_job_cancel(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Cancelled: nothing was imported and the file was discarded.")
    return redirect("programmes:referral_import_job", pk=job.pk)


@require_http_methods(["GET", "POST"])
def referral_import_job_restore(request, pk: int):
    """Confirm first (GET), then undo the import (POST): the referrals it added are removed."""
    job = _job_or_404(request, pk)
    doors.require(core_permissions.can_restore_import(request.user, job))
    if request.method == "POST":
        try:
            core_services.import_job_restore(actor=request.user, job=job)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"The import of {job.file_name} was undone: the referrals it added are removed.",
            )
        return redirect("programmes:referral_import_job", pk=job.pk)
    return render(
        request,
        "programmes/referral_import_restore.html",
        {
            "job": job,
            "problem": core_services.import_job_restore_problem(job),
            "added": job.imported_rows,
            "programme": Programme.objects.filter(pk=job.target_id).first(),
        },
    )
