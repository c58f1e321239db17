"""Impact report pages: list, request, progress / the report, and the PDF. Thin."""

import tablib
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluation import permissions, selectors, services
from evaluation.filters import ImpactReportFilter
from evaluation.forms import ImpactReportForm
from evaluation.models import ImpactReport
from programmes import permissions as programmes_permissions
from vru import doors, exports
from vru.models import LSOA
from vru.selectors import maps

REPORT_PAGE_SIZE = 20


def _report(request, pk: int) -> ImpactReport:
    return doors.found(selectors.impact_report_get(viewer=request.user, pk=pk))


@require_GET
def report_list(request):
    doors.require(permissions.can_view_impact_reports(request.user))
    filters = request.GET.dict()
    reports = selectors.impact_report_list(viewer=request.user, filters=filters)
    checked = doors.checked_filters(request, ImpactReportFilter)
    page = Paginator(reports, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/reports/report_list.html",
        {
            "filter_form": checked,
            "page_obj": page,
            "current_sort": filters.get("sort", ""),
            "statuses": ImpactReport.Status.choices,
            "scopes": ImpactReport.Scope.choices,
            "can_request": permissions.can_request_impact_report(request.user),
            "can_use_custom_periods": permissions.can_use_custom_report_periods(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def report_request(request):
    doors.require(permissions.can_request_impact_report(request.user))
    form = ImpactReportForm(
        doors.posted(request),
        choices=selectors.report_scope_choices(viewer=request.user),
        viewer=request.user,
        today=timezone.localdate(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.request_impact_report(
                actor=request.user,
                period_start=data["period_start"],
                period_end=data["period_end"],
                scope=data["scope"],
                programme=data["programme"],
                csp=data["csp"],
                local_authority=data["local_authority"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            _say_how_the_request_went(request, report)
            return redirect(report)
    return render(request, "evaluation/reports/report_request.html", {"form": form})


def _say_how_the_request_went(request, report: ImpactReport) -> None:
    """The banner after a request tells the truth: the build may already have finished
    (or failed) by the time the page opens. A failed build has no banner: its page shows
    the error and what to do."""
    report.refresh_from_db(fields=["status"])
    if report.status == ImpactReport.Status.READY:
        messages.success(request, "Your report is ready.")
    elif report.in_progress:
        messages.success(request, "Your report is being built. This page shows its progress.")


@require_POST
def report_request_again(request, pk: int):
    """The "Try again" button of a report that could not be built: the same report is
    requested once more (a new request; the failed one stays in the list)."""
    doors.require(permissions.can_request_impact_report(request.user))
    failed = _report(request, pk)
    try:
        report = services.request_impact_report_again(actor=request.user, report=failed)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(failed)
    _say_how_the_request_went(request, report)
    return redirect(report)


def _map_for(block: dict) -> dict:
    """The map block with its shapes: the boundaries are read now (not stored in the
    snapshot); colours come from the stored bands, which never separate small counts."""
    boundaries = dict(
        LSOA.objects.filter(code__in=[a["code"] for a in block["areas"]]).values_list(
            "code", "boundary"
        )
    )
    rows = [
        {**area, "boundary": boundaries.get(area["code"]), "value": None, "rank": None}
        for area in block["areas"]
    ]
    drawn = maps.choropleth_svg(rows)
    if drawn is None:
        return {**block, "svg": None}
    by_code = {a["code"]: a for a in block["areas"]}
    shapes = [
        {
            "code": shape.code,
            "name": shape.name,
            "path": shape.path,
            "colour": block["legend"][by_code[shape.code]["band"]][0],
            "shown": by_code[shape.code]["shown"],
            "is_priority": shape.is_priority,
        }
        for shape in drawn.areas
    ]
    return {**block, "svg": {"view_box": drawn.view_box, "shapes": shapes}}


def _chart_for(block: dict) -> dict:
    """Bar geometry for the SVG chart. A hidden value (None in `values`) has no bar, never a
    zero one: its place is a gap with its label (`shown`, e.g. "<5" or "[c]")."""
    width, height, top, bottom = 480, 240, 24, 36
    values = [v for v in block["values"] if v is not None]
    highest = max(values, default=0) or 1
    slot = width / max(len(block["labels"]), 1)
    baseline = height - bottom
    bars = []
    for index, (label, value, shown) in enumerate(
        zip(block["labels"], block["values"], block["shown"], strict=True)
    ):
        h = 0 if value is None else (baseline - top) * value / highest
        x = index * slot + slot * 0.15
        bars.append(
            {
                "x": round(x, 1),
                "w": round(slot * 0.7, 1),
                "y": round(baseline - h, 1),
                "h": round(h, 1),
                "cx": round(x + slot * 0.35, 1),
                "value_y": round(baseline - h - 6, 1),
                "gap_y": round(baseline - 6, 1),
                "label": label,
                "shown": shown,
                "hidden": value is None,
            }
        )
    chart = {"width": width, "height": height, "baseline": baseline, "label_y": height - 16}
    return {**block, "chart": {**chart, "bars": bars}}


DRAWN_ON_THE_PAGE = {"map": _map_for, "bar_chart": _chart_for}

SESSION_KINDS = {"detached": "detached", "group_work": "group"}
CASELOAD_FIGURES = {"referrals", "compliance", "diverted", "eet"}


def _records_link(key: str, report: ImpactReport, viewer) -> dict | None:
    """For staff who may open casework: the list a headline figure was counted from,
    filtered as far as the list's filters go (and saying what they cannot narrow)."""
    if not programmes_permissions.can_use_caseload(viewer):
        return None
    programme = report.scope_programme
    of = f" of {programme.name}" if programme else ""
    by_area = report.scope in {ImpactReport.Scope.CSP, ImpactReport.Scope.LOCAL_AUTHORITY}
    if key in SESSION_KINDS:
        query = {
            "kind": SESSION_KINDS[key],
            "held_from": report.period_start.isoformat(),
            "held_to": report.period_end.isoformat(),
        }
        if programme:
            query["programme"] = programme.pk
        caveat = " (every area: the list cannot be narrowed to one)" if by_area else ""
        return {
            "url": f"{reverse('programmes:session_list')}?{urlencode(query)}",
            "text": f"the sessions held in the period{of}{caveat}",
        }
    if key in CASELOAD_FIGURES:
        query = f"?{urlencode({'programme': programme.pk})}" if programme else ""
        caveat = "every date" + (" and area" if by_area else "")
        return {
            "url": f"{reverse('programmes:caseload')}{query}",
            "text": f"the referrals in the caseload{of} ({caveat}: the caseload cannot be "
            "narrowed to the report's period)",
        }
    return None


def _headlines_for(block: dict, *, report: ImpactReport, viewer, captions: dict) -> dict:
    """Each headline with the table it was computed from (for everyone) and the records it
    was counted from (for staff who may open them)."""
    items = []
    for item in block["items"]:
        table_id = item.get("link", "").lstrip("#")
        items.append(
            {
                **item,
                "table_caption": captions.get(table_id),
                "records": _records_link(item["key"], report, viewer),
            }
        )
    return {**block, "items": items}


def _figures_dataset(report: ImpactReport) -> tablib.Dataset:
    """Every published figure of the snapshot, one per row (already suppressed)."""
    data = tablib.Dataset(headers=["Section", "Table", "Row", "Column", "Value"])
    for section in report.content.get("sections", []):
        for block in section["blocks"]:
            if block["type"] == "headlines":
                for item in block["items"]:
                    data.append(
                        [section["title"], "Headline outputs", item["text"], "", item["figure"]]
                    )
            elif block["type"] == "table":
                rows = [*block["rows"], *([block["foot"]] if block.get("foot") else [])]
                for row in rows:
                    for header, cell in zip(block["headers"][1:], row[1:], strict=False):
                        data.append([section["title"], block["caption"], row[0], header, cell])
            elif block["type"] == "bar_chart":
                for label, shown in zip(block["labels"], block["shown"], strict=True):
                    data.append([section["title"], block["caption"], label, block["unit"], shown])
    return data


@require_GET
def report_detail(request, pk: int):
    """While the report is built: its progress (the page updates itself). Then: the
    report, or with ?format=csv|xlsx every figure of it as a spreadsheet (audited)."""
    report = _report(request, pk)
    if report.status != ImpactReport.Status.READY:
        return render(
            request,
            "evaluation/reports/report_progress.html",
            {
                "report": report,
                "can_request_again": report.status == ImpactReport.Status.FAILED
                and permissions.can_request_impact_report(request.user),
            },
        )
    file_format = request.GET.get("format")
    if file_format in exports.CONTENT_TYPES:
        return exports.audited_download(
            request,
            _figures_dataset(report),
            file_stem=f"impact-report-{report.pk}-figures",
            file_format=file_format,
            verb="impact_report.figures_exported",
            target=report,
            partnership=report.partnership,
        )
    captions: dict[str, str] = {}
    for section in report.content.get("sections", []):
        for block in section["blocks"]:
            if block["type"] == "table":
                captions.setdefault(block["id"], block["caption"])
    sections = []
    for section in report.content.get("sections", []):
        blocks = [
            _headlines_for(b, report=report, viewer=request.user, captions=captions)
            if b["type"] == "headlines"
            else DRAWN_ON_THE_PAGE.get(b["type"], dict)(b)
            for b in section["blocks"]
        ]
        sections.append({**section, "blocks": blocks})
    return render(
        request,
        "evaluation/reports/report_detail.html",
        {"report": report, "meta": report.content.get("meta", {}), "sections": sections},
    )


@require_GET
def report_pdf(request, pk: int):
    report = _report(request, pk)
    if report.status != ImpactReport.Status.READY or not report.pdf:
        raise Http404
    services.impact_report_pdf_opened(actor=request.user, report=report)
    response = FileResponse(
        report.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"impact-report-{report.pk}.pdf",
    )
    response["Cache-Control"] = "no-store"
    return response
