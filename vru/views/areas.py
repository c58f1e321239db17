"""Pages of the risk index, hotspots and area profiles (imports: vru.views.crime_imports and
vru.views.indicator_imports). Thin: selectors to read, services to write, templates to show."""

from datetime import date

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_http_methods

from vru import doors, permissions, selectors, services, tasks
from vru.filters import AreaProfileFilter, HotspotFilter, RiskRunFilter, RiskScoreFilter
from vru.models import AreaProfile, AuditEvent, RiskRun
from vru.resources import (
    AreaProfileResource,
    HotspotResource,
    RiskRunResource,
    RiskScoreResource,
)
from vru.selectors import maps
from vru.views.area_forms import (
    HotspotThresholdForm,
    ProfileMonthForm,
    RiskRunForm,
)

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _export(
    request, *, resource, queryset, name: str, verb: str, filters=None
) -> HttpResponse | None:
    """The list as a file, unless one of its ``filters`` was refused (the page says which)."""
    export_format = request.GET.get("format")
    if export_format not in {"csv", "xlsx"} or (filters is not None and not filters.is_valid()):
        return None
    doors.require(permissions.can_export_areas(request.user))
    return doors.download(
        request,
        resource=resource,
        queryset=queryset,
        name=name,
        export_format=export_format,
        verb=verb,
    )


def _run_or_404(request, pk: int) -> RiskRun:
    return get_object_or_404(selectors.risk_run_list(viewer=request.user), pk=pk)


@require_GET
@gzip_page
def risk_map(request):
    """The current run (or ?run=) as a choropleth, with the ranked table and a text summary.
    The map (a path per neighbourhood: most of the page) is drawn once per run and factor and
    kept in the cache; the page around it reads no boundaries, and is sent compressed."""
    user = request.user
    doors.require(permissions.can_view_areas(user))
    runs, run = _shown_run(request)
    context = {"run": run, "runs": runs, "can_run": permissions.can_run_risk_index(user)}
    if run is not None:
        factor = _shown_factor(request, run)
        factor_key = factor["key"] if factor else ""
        rows = selectors.map_areas(viewer=user, run=run, factor_key=factor_key, boundaries=False)
        drawn = [r for r in rows if r["has_boundary"]]
        values = [r["value"] for r in drawn if r["value"] is not None]
        scores = selectors.risk_score_list(viewer=user, run=run, filters=request.GET)
        page = Paginator(scores, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            {
                "filter_form": doors.checked_filters(request, RiskScoreFilter),
                "factor": factor,
                "map_html": _risk_map_html(user, run, factor) if drawn else "",
                "legend": maps.choropleth_legend(
                    values, no_data=any(r["value"] is None for r in drawn)
                ),
                "page_obj": page,
                "priority_rows": [r for r in rows if r["is_priority"]],
                "current_sort": request.GET.get("sort", ""),
            }
        )
    return render(request, "vru/risk_map.html", context)


# How long a drawn map is kept. A finished run's scores never change, and a map is named by
# the version of its partnership's outlines, which moves on whenever one is drawn again
# (vru.services.areas.maps): a map of older outlines is never served, only left to expire.
RISK_MAP_CACHE_SECONDS = 60 * 60


def _shown_run(request):
    """The run the risk page shows: ?run= among the finished runs the viewer may see, else
    the current one (None when there is none)."""
    runs = selectors.risk_run_list(viewer=request.user).filter(status=RiskRun.Status.DONE)
    run_id = request.GET.get("run", "")
    if run_id.isdigit():
        return runs, get_object_or_404(runs, pk=run_id)
    return runs, selectors.risk_run_current(partnership=request.user.partnership_id)


def _shown_factor(request, run) -> dict | None:
    factor_key = request.GET.get("factor", "")
    return next((f for f in run.factors if f["key"] == factor_key), None)


def _risk_map_html(user, run, factor) -> str:
    """The map of a run (and factor) as HTML, from the cache or drawn now. A run belongs to
    one partnership and the map holds only its areas, so every reader of it shares it."""
    factor_key = factor["key"] if factor else ""
    key = f"vru:risk-map:v4:{run.pk}:{factor_key}:{run.partnership.map_version}"
    html = cache.get(key)
    if html is None:
        choropleth = _risk_choropleth(user, run, factor_key)
        html = (
            render_to_string(
                "vru/_risk_map_figure.html",
                {
                    "choropleth": choropleth,
                    "factor": factor,
                    "areas": SafeString(
                        maps.linked_areas_markup(
                            choropleth,
                            href_template=reverse("vru:lsoa_detail", args=["CODE"]).replace(
                                "CODE", "{code}"
                            ),
                        )
                    ),
                },
            )
            if choropleth
            else ""
        )
        cache.set(key, html, RISK_MAP_CACHE_SECONDS)
    return SafeString(html)


def _risk_choropleth(user, run, factor_key: str):
    """The run's areas joined from the outlines drawn when the boundaries were loaded, in
    the partnership's frame; projected from the boundaries now only if some are not drawn."""
    rows = selectors.map_areas(
        viewer=user, run=run, factor_key=factor_key, boundaries=False, paths=True
    )
    drawn = [row for row in rows if row["has_boundary"]]
    view_box = run.partnership.map_view_box
    if view_box and all(row["path"] for row in drawn):
        return maps.choropleth_of_paths(drawn, view_box=view_box)
    return maps.choropleth_svg(selectors.map_areas(viewer=user, run=run, factor_key=factor_key))


@require_GET
def risk_run_list(request):
    doors.require(permissions.can_view_areas(request.user))
    filters = doors.checked_filters(request, RiskRunFilter)
    runs = selectors.risk_run_list(viewer=request.user, filters=request.GET)
    response = _export(
        request,
        filters=filters,
        resource=RiskRunResource(),
        queryset=runs,
        name="risk-runs",
        verb="risk_run.exported",
    )
    if response:
        return response
    return render(
        request,
        "vru/risk_run_list.html",
        {
            "filter_form": filters,
            "page_obj": Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page")),
            "statuses": RiskRun.Status.choices,
            "current_sort": request.GET.get("sort", ""),
            "can_run": permissions.can_run_risk_index(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def risk_run_create(request):
    user = request.user
    doors.require(permissions.can_run_risk_index(user))
    factors = list(selectors.factor_list(viewer=user))
    months = selectors.crime_months(viewer=user)
    initial = {}
    if months:
        last = months[-1]
        initial = {
            "period_start": date(last.year - 1, last.month, 1)
            if months[0] <= date(last.year - 1, last.month, 1)
            else months[0],
            "period_end": last.replace(day=28),
        }
    form = RiskRunForm(doors.posted(request), factors=factors, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.risk_run_create(
                actor=user,
                partnership=user.partnership,
                label=form.cleaned_data["label"],
                weights=form.weights(),
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                top_percent=form.cleaned_data["top_percent"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "The run has started. This page shows its progress.")
            return redirect(run)
    return render(request, "vru/risk_run_form.html", {"form": form, "factors": factors})


@require_GET
def risk_run_detail(request, pk: int):
    run = _run_or_404(request, pk)
    filters = doors.checked_filters(request, RiskScoreFilter)
    scores = selectors.risk_score_list(viewer=request.user, run=run, filters=request.GET)
    response = _export(
        request,
        filters=filters,
        resource=RiskScoreResource(),
        queryset=scores,
        name=f"risk-run-{run.pk}-scores",
        verb="risk_score.exported",
    )
    if response:
        return response
    return render(
        request,
        "vru/risk_run_detail.html",
        {
            "filter_form": filters,
            "run": run,
            "page_obj": Paginator(scores, PAGE_SIZE).get_page(request.GET.get("page")),
            "current_sort": request.GET.get("sort", ""),
            "other_runs": selectors.risk_run_list(viewer=request.user)
            .filter(status=RiskRun.Status.DONE)
            .exclude(pk=run.pk),
            "can_run": permissions.can_run_risk_index(request.user),
            "in_progress": run.status in {RiskRun.Status.PENDING, RiskRun.Status.RUNNING},
        },
    )


@require_http_methods(["GET", "POST"])
def risk_run_make_current(request, pk: int):
    """Confirm first (GET), then make the run the one "priority LSOA" means (POST)."""
    doors.require(permissions.can_run_risk_index(request.user))
    run = _run_or_404(request, pk)
    if request.method == "POST":
        try:
            services.risk_run_make_current(actor=request.user, run=run)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"“{run.label}” is now the current risk run.")
        return redirect(run)
    current = selectors.risk_run_current(partnership=request.user.partnership_id)
    comparison = (
        selectors.risk_run_compare(viewer=request.user, run=run, other=current)
        if current is not None and current.pk != run.pk
        else None
    )
    return render(
        request,
        "vru/risk_run_make_current.html",
        {"run": run, "current": current, "comparison": comparison},
    )


@require_GET
def risk_run_compare(request, pk: int):
    run = _run_or_404(request, pk)
    other_id = request.GET.get("other", "")
    if not other_id.isdigit():
        raise Http404
    other = _run_or_404(request, int(other_id))
    return render(
        request,
        "vru/risk_run_compare.html",
        {
            "run": run,
            "other": other,
            "comparison": selectors.risk_run_compare(viewer=request.user, run=run, other=other),
        },
    )


@require_http_methods(["GET", "POST"])
def hotspot_list(request):
    user = request.user
    doors.require(permissions.can_view_areas(user))
    form = None
    if permissions.can_run_risk_index(user):
        form = HotspotThresholdForm(doors.posted(request))
        if request.method == "POST" and form.is_valid():
            alpha = form.cleaned_data["alpha"]
            transaction.on_commit(
                lambda: tasks.hotspots_compute_all.delay(user.partnership_id, alpha)
            )
            messages.success(request, f"Hotspots are being recomputed with α = {alpha:g}.")
            return redirect("vru:hotspot_list")
    elif request.method == "POST":
        raise Http404
    filters = doors.checked_filters(request, HotspotFilter)
    found = selectors.hotspot_list(viewer=request.user, filters=request.GET)
    response = _export(
        request,
        filters=filters,
        resource=HotspotResource(),
        queryset=found,
        name="hotspots",
        verb="hotspot.exported",
    )
    if response:
        return response
    factors = [f for f in selectors.factor_list(viewer=request.user) if f.source == f.Source.CRIME]
    return render(
        request,
        "vru/hotspot_list.html",
        {
            "filter_form": filters,
            "form": form,
            "page_obj": Paginator(found, PAGE_SIZE).get_page(request.GET.get("page")),
            "factors": factors,
            "years": sorted({m.year for m in selectors.crime_months(viewer=request.user)}),
            "current_sort": request.GET.get("sort", ""),
        },
    )


@require_http_methods(["GET", "POST"])
def area_profile_list(request):
    user = request.user
    doors.require(permissions.can_view_areas(user))
    form = None
    if permissions.can_run_risk_index(user):
        form = ProfileMonthForm(doors.posted(request))
        if request.method == "POST" and form.is_valid():
            month = form.cleaned_data["month"]
            transaction.on_commit(
                lambda: tasks.area_profiles_generate.delay(user.partnership_id, month.isoformat())
            )
            services.audit_record(
                actor=user,
                action=AuditEvent.Action.CREATE,
                verb="area_profiles.requested",
                changes={"month": month.isoformat()},
            )
            messages.success(request, f"Profiles for {month:%B %Y} are being generated.")
            return redirect("vru:area_profile_list")
    elif request.method == "POST":
        raise Http404
    filters = doors.checked_filters(request, AreaProfileFilter)
    profiles = selectors.area_profile_list(viewer=user, filters=request.GET)
    response = _export(
        request,
        filters=filters,
        resource=AreaProfileResource(),
        queryset=profiles,
        name="area-profiles",
        verb="area_profile.exported",
    )
    if response:
        return response
    return render(
        request,
        "vru/area_profile_list.html",
        {
            "filter_form": filters,
            "form": form,
            "page_obj": Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page")),
            "kinds": AreaProfile.Kind.choices,
            "months": selectors.crime_months(viewer=user),
            "harm_weights": selectors.harm_weight_list(viewer=user),
            "current_sort": request.GET.get("sort", ""),
        },
    )
