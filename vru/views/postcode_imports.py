"""The ONS postcode directory's upload pages (administrators and analysts): upload (the check
runs as a Celery job), the import's own page (progress, counts, bad rows, the confirmation,
the way back) and the undo. The same job life as area indicators (vru.views.
indicator_imports); the same reading and writing as `manage.py import_postcodes`. Thin."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from vru import doors, permissions, selectors, services
from vru.models import ImportJob
from vru.views.area_forms import PostcodeFileForm, PostcodeImportConfirmForm

RECENT = 20
IN_PROGRESS = {ImportJob.Status.PENDING, ImportJob.Status.CHECKING, ImportJob.Status.RUNNING}


@require_http_methods(["GET", "POST"])
def postcode_import(request):
    """Upload the directory: checked first; nothing changes until the person confirms."""
    user = request.user
    doors.require(permissions.can_import_area_data(user))
    form = PostcodeFileForm(doors.posted(request), doors.posted_files(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_create(
                actor=user,
                partnership=user.partnership,
                kind=ImportJob.Kind.POSTCODES,
                file_name=upload.name,
                content=upload.read(),
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request, "The file is being checked. Nothing changes until you confirm."
            )
            return redirect("vru:postcode_import_job", pk=job.pk)
    return render(
        request,
        "vru/postcode_import.html",
        {
            "form": form,
            "jobs": selectors.postcode_import_job_list(viewer=user)[:RECENT],
            "stored": selectors.postcode_count(viewer=user),
        },
        status=400 if form.errors else 200,
    )


def _job_or_404(request, pk: int) -> ImportJob:
    return get_object_or_404(selectors.postcode_import_job_list(viewer=request.user), pk=pk)


@require_http_methods(["GET", "POST"])
def postcode_import_job(request, pk: int):
    """One directory upload: progress, what it would change, the confirmation, the undo."""
    job = _job_or_404(request, pk)
    user = request.user
    replaced = services.import_job_replaced(job)
    # bound on every POST: an unticked box sends nothing, which is still an answer
    form = PostcodeImportConfirmForm(
        request.POST if request.method == "POST" else None, replaced=replaced
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.import_job_confirm(
                actor=user, job=job, replace=form.cleaned_data.get("replace", False)
            )
        except ValidationError as exc:
            form.add_error("replace" if "replace" in form.fields else None, exc)
        else:
            messages.success(request, "The file is being imported. This page shows its progress.")
            return redirect("vru:postcode_import_job", pk=job.pk)
    can_restore = permissions.can_restore_import(user, job)
    return render(
        request,
        "vru/postcode_import_job.html",
        {
            "job": job,
            "preview": job.preview,
            "replaced": replaced,
            "form": form,
            "in_progress": job.status in IN_PROGRESS,
            "can_restore": can_restore,
            "restore_problem": services.import_job_restore_problem(job)
            if can_restore and job.status == ImportJob.Status.SUCCEEDED
            else "",
        },
        status=400 if form.errors else 200,
    )


@require_POST
def postcode_import_job_cancel(request, pk: int):
    job = _job_or_404(request, pk)
    try:
        services.import_job_cancel(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Cancelled: nothing was imported and the file was discarded.")
    return redirect("vru:postcode_import_job", pk=job.pk)


@require_http_methods(["GET", "POST"])
def postcode_import_job_restore(request, pk: int):
    """Confirm first (GET), then undo the import (POST): the postcodes before it are back."""
    job = _job_or_404(request, pk)
    doors.require(permissions.can_restore_import(request.user, job))
    if request.method == "POST":
        try:
            services.import_job_restore(actor=request.user, job=job)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"The import of {job.file_name} was undone: the postcodes before it are back.",
            )
        return redirect("vru:postcode_import_job", pk=job.pk)
    return render(
        request,
        "vru/postcode_import_restore.html",
        {"job": job, "problem": services.import_job_restore_problem(job)},
    )
