"""Programme pages: the list of a partnership's programmes and a programme's page with its
dashboard. Thin: parse, call a selector, render."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from programmes import permissions, selectors
from programmes.filters import ProgrammeFilter
from programmes.models import Programme
from programmes.resources import ProgrammeResource
from vru import doors, periods
from vru.forms import PeriodFilterForm
from vru.permissions import sees_suppressed_figures


@require_GET
def programme_list(request):
    doors.require(permissions.can_view_programmes(request.user))
    filterset = ProgrammeFilter(request.GET, queryset=selectors.programme_list(viewer=request.user))
    if request.GET.get("format") in {"csv", "xlsx"} and filterset.is_valid():
        return doors.download(
            request,
            resource=ProgrammeResource(),
            queryset=filterset.qs,
            name="programmes",
            export_format=request.GET["format"],
            verb="programme.exported",
        )
    page = Paginator(filterset.qs, doors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/programme_list.html",
        {
            "filter_form": filterset.form,
            "page_obj": page,
            "kinds": Programme.Kind.choices,
            "current_sort": request.GET.get("sort", ""),
            "can_use_caseload": permissions.can_use_caseload(request.user),
        },
    )


@require_GET
def programme_detail(request, pk: int):
    programme = selectors.programme_list(viewer=request.user).filter(pk=pk).first()
    doors.require(programme is not None)
    # the dashboard's period: dates typed, or a preset's; whole periods only for anyone who
    # sees protected figures (the selector refuses other dates for them too)
    period_form = PeriodFilterForm(
        request.GET or None,
        labels=("Start date", "End date"),
        whole_only=sees_suppressed_figures(request.user),
    )
    start, end = period_form.period()
    dashboard = selectors.programme_dashboard(
        viewer=request.user, programme=programme, start=start, end=end
    )
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "dashboard": dashboard,
            "can_view_dashboard": permissions.can_view_programme_dashboard(request.user, programme),
            "period_form": period_form,
            "period_name": _period_name(start, end),
            "presets": _preset_links(request),
            "staff": programme.memberships.select_related("user"),
            "recommendations": programme.recommendations.all(),
            "can_manage": permissions.can_manage_programme(request.user, programme),
            "target_lsoa_count": programme.target_lsoas.count(),
        },
    )


def _period_name(start, end) -> str:
    if start is None and end is None:
        return "All time"
    if start is None or end is None:
        return f"From {start:%-d %B %Y}" if start else f"Up to {end:%-d %B %Y}"
    return periods.period_name(periods.period_kind_of(start, end), start, end)


def _preset_links(request) -> list[dict]:
    """The preset periods as links filling the date boxes (each a whole period)."""
    links = []
    for preset in periods.presets(today=timezone.localdate()):
        query = {}
        for name, day in (("start", preset["start"]), ("end", preset["end"])):
            query |= {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}
        links.append({**preset, "query": urlencode(query)})
    return links
