"""Neighbourhoods (LSOAs): the list with filters and exports, and one neighbourhood's page."""

from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vru import doors, permissions, selectors
from vru.filters import LSOAFilter
from vru.resources import LSOAResource
from vru.selectors import maps


@require_GET
def lsoa_list(request):
    doors.require(permissions.can_view_areas(request.user))
    filterset = LSOAFilter(request.GET, queryset=selectors.lsoa_list(viewer=request.user))
    lsoas = filterset.qs
    export_format = request.GET.get("format")
    if export_format in {"csv", "xlsx"} and filterset.is_valid():
        doors.require(permissions.can_export_areas(request.user))
        return _export_lsoas(request, lsoas, export_format)
    page = Paginator(lsoas, doors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "vru/lsoa_list.html",
        {
            "filterset": filterset,
            "filter_form": filterset.form,
            "page_obj": page,
            "local_authorities": selectors.local_authority_list(viewer=request.user),
            "csps": selectors.community_safety_partnership_list(viewer=request.user),
            "deciles": range(1, 11),
            "current_sort": request.GET.get("sort", ""),
            "selected_deciles": request.GET.getlist("imd_decile"),
        },
    )


def _export_lsoas(request, lsoas, export_format: str) -> HttpResponse:
    return doors.download(
        request,
        resource=LSOAResource(partnership=request.user.partnership),
        queryset=lsoas,
        name="lsoas",
        export_format=export_format,
        verb="lsoa.exported",
    )


@require_GET
def lsoa_detail(request, code: str):
    lsoa = doors.found(selectors.lsoa_get(viewer=request.user, code=code))
    return render(
        request,
        "vru/lsoa_detail.html",
        {
            "lsoa": lsoa,
            "shape": maps.boundary_svg(lsoa.boundary),
            "risk": selectors.lsoa_risk_profile(viewer=request.user, lsoa=lsoa),
        },
    )


@require_GET
def place_suggest(request):
    """Neighbourhoods of the user's partnership for what they have typed (the place picker's
    suggestions): up to ten {code, name, local_authority}; none without a partnership."""
    results = selectors.place_suggestions(viewer=request.user, text=request.GET.get("q", ""))
    return JsonResponse({"results": results})


@require_GET
def place_map(request):
    """The place picker's map (fetched by static/vru/place-picker.js into the page): the
    partnership's local authorities to choose from, then the chosen one's neighbourhoods,
    each a link that puts its code in the box. Names and codes of LSOAs are public."""
    authorities, drawn = selectors.place_map(
        viewer=request.user, local_authority_code=request.GET.get("local_authority", "")
    )
    return render(
        request,
        "vru/_place_map.html",
        {"authorities": authorities, "drawn": drawn, "chosen": request.GET.get("local_authority")},
    )
