"""The police.uk crime import pages: upload (the check runs as a Celery job), the import's
own page (progress, what the file would change, the confirmation, the way back), and the
undo with its confirmation. Thin: selectors to read, services to write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from vru import doors, permissions, selectors, services
from vru.models import ImportJob
from vru.resources import CrimeImportResource
from vru.views.area_forms import CrimeFileForm, CrimeImportConfirmForm
from vru.views.areas import PAGE_SIZE, _export


@require_http_methods(["GET", "POST"])
def crime_import(request):
    """Upload a police.uk file (administrators and analysts): it is checked first and nothing
    changes until the person confirms on the import's page. Lists past imports."""
    user = request.user
    doors.require(permissions.can_import_area_data(user))
    imports = selectors.crime_import_list(viewer=user)
    response = _export(
        request,
        resource=CrimeImportResource(),
        queryset=imports,
        name="crime-imports",
        verb="crime_import.exported",
    )
    if response:
        return response
    form = CrimeFileForm(doors.posted(request), doors.posted_files(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_create(
                actor=user,
                partnership=user.partnership,
                kind=ImportJob.Kind.POLICE_UK,
                file_name=upload.name,
                content=upload.read(),
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request, "The file is being checked. Nothing changes until you confirm."
            )
            return redirect("vru:crime_import_job", pk=job.pk)
    waiting = selectors.crime_import_job_list(viewer=user).filter(
        status__in=[
            ImportJob.Status.PENDING,
            ImportJob.Status.CHECKING,
            ImportJob.Status.CHECKED,
            ImportJob.Status.RUNNING,
        ]
    )
    return render(
        request,
        "vru/crime_import.html",
        {
            "form": form,
            "waiting": waiting,
            "page_obj": Paginator(imports, PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )


def _crime_job_or_404(request, pk: int) -> ImportJob:
    return get_object_or_404(selectors.crime_import_job_list(viewer=request.user), pk=pk)


def _replaced(job: ImportJob) -> list[dict]:
    return [m for m in job.preview.get("months", []) if m["before"]]


@require_http_methods(["GET", "POST"])
def crime_import_job(request, pk: int):
    """One police.uk upload: its progress, what it would change (the check), the
    confirmation, and once imported, the way back."""
    job = _crime_job_or_404(request, pk)
    user = request.user
    # bound on every POST: an unticked box sends nothing, which is still an answer
    form = CrimeImportConfirmForm(
        request.POST if request.method == "POST" else None, replaced=_replaced(job)
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
            return redirect("vru:crime_import_job", pk=job.pk)
    in_progress = job.status in {
        ImportJob.Status.PENDING,
        ImportJob.Status.CHECKING,
        ImportJob.Status.RUNNING,
    }
    can_restore = permissions.can_restore_import(user, job)
    return render(
        request,
        "vru/crime_import_job.html",
        {
            "job": job,
            "preview": job.preview,
            "replaced": _replaced(job),
            "form": form,
            "in_progress": in_progress,
            "can_restore": can_restore,
            "restore_problem": services.import_job_restore_problem(job)
            if can_restore and job.status == ImportJob.Status.SUCCEEDED
            else "",
        },
        status=400 if form.errors else 200,
    )


@require_POST
def crime_import_job_cancel(request, pk: int):
    job = _crime_job_or_404(request, pk)
    try:
        services.import_job_cancel(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Cancelled: nothing was imported and the file was discarded.")
    return redirect("vru:crime_import_job", pk=job.pk)


@require_http_methods(["GET", "POST"])
def crime_import_job_restore(request, pk: int):
    """Confirm first (GET), then undo the import (POST): what it replaced is put back."""
    job = _crime_job_or_404(request, pk)
    doors.require(permissions.can_restore_import(request.user, job))
    problem = services.import_job_restore_problem(job)
    if request.method == "POST":
        try:
            services.import_job_restore(actor=request.user, job=job)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"The import of {job.file_name} was undone: the counts it replaced are back.",
            )
        return redirect("vru:crime_import_job", pk=job.pk)
    return render(
        request,
        "vru/crime_import_restore.html",
        {"job": job, "problem": problem, "months": job.preview.get("months", [])},
    )
