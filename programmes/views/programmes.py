"""Programme pages: the list of a partnership's programmes and a programme's page with its
dashboard. Thin: parse, call a selector, render."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from programmes import permissions, selectors
from programmes.filters import ProgrammeFilter
from programmes.models import Programme
from programmes.resources import ProgrammeResource
from vru import doors


@require_GET
def programme_list(request):
    doors.require(permissions.can_view_programmes(request.user))
    filterset = ProgrammeFilter(request.GET, queryset=selectors.programme_list(viewer=request.user))
    if request.GET.get("format") in {"csv", "xlsx"}:
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
    dashboard = selectors.programme_dashboard(viewer=request.user, programme=programme)
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "dashboard": dashboard,
            "staff": programme.memberships.select_related("user"),
            "recommendations": programme.recommendations.all(),
            "can_manage": permissions.can_manage_programme(request.user, programme),
            "target_lsoa_count": programme.target_lsoas.count(),
        },
    )
