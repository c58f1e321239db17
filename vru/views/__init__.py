"""Web pages of the core. Thin: each reads through a selector and renders."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from vru import exports, extensions, permissions, selectors, uploads
from vru.filters import LSOAFilter
from vru.models import PreventionStage
from vru.resources import LSOAResource
from vru.selectors import maps

PAGE_SIZE = 50


def _require(allowed: bool) -> None:
    # A page a role may not open does not exist for that role (404, as for other
    # partnerships' records), so the response never confirms what is there.
    if not allowed:
        raise Http404


@require_GET
def home(request):
    user = request.user
    context = {
        "roles": sorted(user.role_names),
        "can_view_areas": permissions.can_view_areas(user),
        "can_view_strategy": permissions.can_view_strategy(user),
        "is_commissioner_view": permissions.sees_suppressed_figures(user),
    }
    if context["can_view_areas"]:
        context["areas"] = selectors.area_summary(viewer=user)
        context["risk"] = selectors.risk_summary(viewer=user)
    if context["can_view_strategy"]:
        context["strategy"] = selectors.strategy_summary(viewer=user)
        # each measure's latest comparison the needs assessment makes, naming both periods
        context["headline_measures"] = [
            figures
            for measure in selectors.success_measure_list(viewer=user)
            if (figures := selectors.success_measure_figures(viewer=user, measure=measure)).rows
        ]
    context["users"] = selectors.user_summary(viewer=user)
    context["app_sections"] = extensions.home_sections(request)
    if permissions.can_view_audit(user):
        context["recent_events"] = selectors.audit_event_list(viewer=user)[:5]
    return render(request, "vru/home.html", context)


@require_GET
def lsoa_list(request):
    _require(permissions.can_view_areas(request.user))
    filterset = LSOAFilter(request.GET, queryset=selectors.lsoa_list(viewer=request.user))
    lsoas = filterset.qs
    export_format = request.GET.get("format")
    if export_format in {"csv", "xlsx"}:
        _require(permissions.can_export_areas(request.user))
        return _export_lsoas(request, lsoas, export_format)
    page = Paginator(lsoas, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "vru/lsoa_list.html",
        {
            "filterset": filterset,
            "page_obj": page,
            "local_authorities": selectors.local_authority_list(viewer=request.user),
            "csps": selectors.community_safety_partnership_list(viewer=request.user),
            "deciles": range(1, 11),
            "current_sort": request.GET.get("sort", ""),
            "selected_deciles": request.GET.getlist("imd_decile"),
        },
    )


def _export_lsoas(request, lsoas, export_format: str) -> HttpResponse:
    dataset = LSOAResource(partnership=request.user.partnership).export(queryset=lsoas)
    return exports.audited_download(
        request, dataset, file_stem="lsoas", file_format=export_format, verb="lsoa.exported"
    )


@require_GET
def lsoa_detail(request, code: str):
    lsoa = selectors.lsoa_get(viewer=request.user, code=code)
    if lsoa is None:
        raise Http404
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
def sna_list(request):
    _require(permissions.can_view_strategy(request.user))
    return render(
        request,
        "vru/sna_list.html",
        {"needs_assessments": selectors.needs_assessment_list(viewer=request.user)},
    )


@require_GET
def sna_detail(request, pk: int):
    sna = get_object_or_404(selectors.needs_assessment_list(viewer=request.user), pk=pk)
    return render(
        request,
        "vru/sna_detail.html",
        {
            "sna": sna,
            "groups": selectors.recommendations_by_theme_and_stage(needs_assessment=sna),
            "stages": PreventionStage,
        },
    )


@require_GET
def sna_document(request, pk: int):
    """The SNA's uploaded document, only to those who may see the SNA (never a public URL)."""
    sna = get_object_or_404(selectors.needs_assessment_list(viewer=request.user), pk=pk)
    if not sna.document:
        raise Http404
    return uploads.download(sna.document, name=sna.title)


@require_GET
def success_measures(request):
    _require(permissions.can_view_strategy(request.user))
    measures = [
        selectors.success_measure_figures(viewer=request.user, measure=measure)
        for measure in selectors.success_measure_list(viewer=request.user)
    ]
    return render(
        request,
        "vru/success_measures.html",
        {
            "measures": measures,
            "suppressed_view": permissions.sees_suppressed_figures(request.user),
        },
    )


@login_not_required
@require_GET
def accessibility(request):
    return render(request, "vru/accessibility.html")


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Database and broker status for load balancers and monitoring: no data, no login."""
    from django.conf import settings

    status = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        status["database"] = "unavailable"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        status["broker"] = "not configured (tasks run in-process)"
    else:
        from vru.celery import app

        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
        except Exception:
            status["broker"] = "unavailable"
    healthy = status["database"] == "ok" and status["broker"] != "unavailable"
    return JsonResponse(status, status=200 if healthy else 503)
