"""The custody-spreadsheet import: upload (the work runs as a Celery job), then a page that
follows the job's progress and lists every row error. Thin: parse, call a service, render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from programmes import forms, selectors, services
from programmes.models import Programme
from programmes.services.imports import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from vru import doors
from vru.models import ImportJob

ROW_ERRORS_SHOWN = 500


@require_http_methods(["GET", "POST"])
def referral_import(request):
    programmes = selectors.managed_programmes(viewer=request.user)
    doors.require(programmes.exists())
    # ?programme= (the link from a programme's admin page) chooses it; the form's choices
    # are still only the programmes the viewer manages
    form = forms.ReferralImportForm(
        request.POST or None,
        request.FILES or None,
        programmes=programmes,
        initial={"programme": request.GET.get("programme", "")},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = services.referral_import_job_create(
            actor=request.user,
            programme=form.cleaned_data["programme"],
            file_name=upload.name,
            content=upload.read(),
            skip_invalid_rows=form.cleaned_data["skip_invalid_rows"],
        )
        messages.success(request, "The file is being checked. This page shows its progress.")
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


@require_GET
def referral_import_job(request, pk: int):
    job = selectors.referral_import_jobs(viewer=request.user).filter(pk=pk).first()
    doors.require(job is not None)
    in_progress = job.status in {ImportJob.Status.PENDING, ImportJob.Status.RUNNING}
    return render(
        request,
        "programmes/referral_import_job.html",
        {
            "job": job,
            "programme": Programme.objects.filter(pk=job.target_id).first(),
            "in_progress": in_progress,
            "saving": in_progress and job.total_rows and job.processed_rows >= job.total_rows,
            "errors": job.row_errors[:ROW_ERRORS_SHOWN],
            "more_errors": max(0, len(job.row_errors) - ROW_ERRORS_SHOWN),
            "caseload_url": reverse("programmes:caseload") + f"?programme={job.target_id}",
        },
    )
