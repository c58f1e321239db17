"""Neighbourhoods (LSOAs): the list with filters and exports, and one neighbourhood's page."""

from html import escape
from urllib.parse import quote

from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
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
    # the page's neighbourhoods as plain rows of the columns shown: no model instances
    shown = slice(page.start_index() - 1, page.end_index())
    page.object_list = list(lsoas.values(*_ROW_FIELDS)[shown]) if page.paginator.count else []
    local_authorities = selectors.local_authority_list(viewer=request.user)
    csps = selectors.community_safety_partnership_list(viewer=request.user)
    return render(
        request,
        "vru/lsoa_list.html",
        {
            "filterset": filterset,
            "filter_form": filterset.form,
            "page_obj": page,
            "rows_html": _table_rows(page.object_list),
            "local_authority_options": _options(
                [(la.code, la.name) for la in local_authorities],
                request.GET.get("local_authority"),
            ),
            "csp_options": _options([(c.pk, c.name) for c in csps], request.GET.get("csp")),
            "decile_checkboxes": _decile_checkboxes(request.GET.getlist("imd_decile")),
            "current_sort": request.GET.get("sort", ""),
            "selected_deciles": request.GET.getlist("imd_decile"),
        },
    )


# The rows and the filter panel are written here in one pass, every value from a record
# escaped: the template engine's loops, with a reverse() per row, were most of the page's
# time (docs/performance.md, "The core's lists"; the caseload's rows are written the same
# way).

_CODE = "E01999999"  # stands for each row's code in the address reversed once a page
_ROW_FIELDS = ("code", "name", "local_authority__name", "population", "imd_decile")


def _shown(value) -> str:
    return "–" if value is None else escape(str(value))


def _table_rows(rows: list[dict]) -> str:
    """The <tr> of each neighbourhood of the page."""
    detail = reverse("vru:lsoa_detail", kwargs={"code": _CODE})
    cell = '<td class="govuk-table__cell">'
    number = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    return mark_safe(  # each value escaped
        "\n".join(
            f'<tr class="govuk-table__row">{cell}<a class="govuk-link"'
            f' href="{escape(detail.replace(_CODE, quote(row["code"])))}">{escape(row["code"])}'
            f"</a></td>{cell}{escape(row['name'])}</td>"
            f"{cell}{escape(row['local_authority__name'])}</td>"
            f"{number}{_shown(row['population'])}</td>{number}{_shown(row['imd_decile'])}</td></tr>"
            for row in rows
        )
    )


def _options(choices, chosen) -> str:
    """<option>s of a filter's <select>, the chosen one selected."""
    return mark_safe(  # each value escaped
        "".join(
            f'<option value="{escape(str(value))}"{" selected" if str(value) == chosen else ""}>'
            f"{escape(label)}</option>"
            for value, label in choices
        )
    )


_DECILE_NOTES = {1: " (most deprived)", 10: " (least deprived)"}


def _decile_checkboxes(chosen: list[str]) -> str:
    return mark_safe(  # no value from a record or the request
        "".join(
            f'<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input"'
            f' id="imd_decile_{d}" name="imd_decile" type="checkbox" value="{d}"'
            f'{" checked" if str(d) in chosen else ""}><label class="govuk-label'
            f' govuk-checkboxes__label" for="imd_decile_{d}">{d}{_DECILE_NOTES.get(d, "")}'
            "</label></div>"
            for d in range(1, 11)
        )
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
