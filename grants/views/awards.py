"""Awards: payments in tranches, monitoring returns, and the 360Giving export."""

import json

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from grants import permissions, selectors, services
from grants.filters import AwardFilter
from grants.forms import MonitoringReturnForm
from grants.models import MonitoringReturn, Tranche
from grants.resources import AwardResource
from grants.selectors import giving360
from grants.services.awards import tranche_release_problem
from vru import accounts, doors
from vru import services as core_services
from vru.exports import spreadsheet_response
from vru.models import AuditEvent


@require_GET
def award_list(request):
    doors.require(
        permissions.is_grants_staff(request.user) or permissions.is_applicant(request.user)
    )
    filters = doors.checked_filters(request, AwardFilter)
    awards = selectors.award_list(viewer=request.user, filters=request.GET)
    export_format = request.GET.get("format")
    if export_format in {"csv", "xlsx"} and filters.is_valid():
        return doors.download(
            request,
            resource=AwardResource(),
            queryset=awards,
            name="awards",
            export_format=export_format,
            verb="awards.exported",
        )
    return render(
        request,
        "grants/award_list.html",
        {
            "filter_form": filters,
            "page_obj": Paginator(awards, doors.PAGE_SIZE).get_page(request.GET.get("page")),
            "current_sort": request.GET.get("sort", ""),
            "can_export_360": permissions.can_export_360giving(request.user),
        },
    )


@require_GET
def award_360giving(request, fmt: str):
    doors.require(permissions.can_export_360giving(request.user) and fmt in {"json", "csv"})
    if not accounts.recently_authenticated(request):  # as every doors.download (vru.exports)
        return accounts.reauthenticate(request)
    if not doors.checked_filters(request, AwardFilter).is_valid():
        # a file of nothing would look filtered: the list names the refused filter
        return redirect(f"{reverse('grants:award_list')}?{request.GET.urlencode()}")
    awards = selectors.award_list(viewer=request.user, filters=request.GET)
    core_services.audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        verb="award.360giving_exported",
        changes={"format": fmt, "query": request.GET.urlencode()},
    )
    if fmt == "json":
        response = HttpResponse(
            json.dumps(giving360.package(awards), indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="360giving.json"'
        return response
    return spreadsheet_response(
        giving360.to_dataset(awards), file_stem="360giving", file_format="csv"
    )


@require_GET
def award_detail(request, pk: int):
    award = selectors.award_get(viewer=request.user, pk=pk)
    if award is None:
        raise Http404
    tranches = [(t, tranche_release_problem(t)) for t in award.tranches.all()]
    return render(
        request,
        "grants/award_detail.html",
        {
            "award": award,
            "application": award.decision.application,
            "tranches": tranches,
            "returns": award.monitoring_returns.all(),
            "is_staff": permissions.is_grants_staff(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def tranche_release(request, pk: int):
    doors.require(permissions.is_grants_staff(request.user))
    tranche = get_object_or_404(
        Tranche.objects.filter(award__in=selectors.award_list(viewer=request.user)).select_related(
            "award__decision__application"
        ),
        pk=pk,
    )
    if request.method == "POST":
        try:
            services.tranche_release(actor=request.user, tranche=tranche)
        except ValidationError as error:
            doors.flash_error(request, " ".join(error.messages))
        else:
            doors.flash(request, f"Tranche {tranche.number} released.")
        return redirect(tranche.award)
    return render(
        request,
        "grants/tranche_release.html",
        {
            "tranche": tranche,
            "problem": tranche_release_problem(tranche),
        },
    )


@require_http_methods(["GET", "POST"])
def monitoring_return(request, pk: int):
    item = get_object_or_404(
        selectors.monitoring_return_list(viewer=request.user).select_related(
            "award__decision__application__grant_round"
        ),
        pk=pk,
    )
    is_staff = permissions.is_grants_staff(request.user)
    can_submit = permissions.can_submit_return(request.user, item)
    form = MonitoringReturnForm(doors.posted(request)) if can_submit else None
    if request.method == "POST":
        if is_staff and "approve" in request.POST:
            try:
                services.monitoring_return_approve(actor=request.user, monitoring_return=item)
            except ValidationError as error:
                doors.flash_error(request, " ".join(error.messages))
            else:
                doors.flash(request, "Return approved: the next tranche can be released.")
            return redirect(item.award)
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.monitoring_return_submit(
                    actor=request.user,
                    monitoring_return=item,
                    young_people_by_age_band=form.by_age_band(),
                    young_people_by_lsoa=form.cleaned_data["lsoa_counts"],
                    sessions_delivered=form.cleaned_data["sessions_delivered"],
                    new_starts=form.cleaned_data["new_starts"],
                    completions=form.cleaned_data["completions"],
                    outcomes_achieved=form.cleaned_data["outcomes_achieved"],
                    spend_to_date=form.cleaned_data["spend_to_date"],
                    case_study=form.cleaned_data["case_study"],
                )
            except ValidationError as error:
                doors.add_errors(form, error)
            else:
                doors.flash(request, "Return sent. Thank you.")
                return redirect(item.award)
    return render(
        request,
        "grants/monitoring_return.html",
        {
            "item": item,
            "award": item.award,
            "form": form,
            "is_staff": is_staff,
            "can_approve": is_staff and item.status == MonitoringReturn.Status.SUBMITTED,
        },
    )
