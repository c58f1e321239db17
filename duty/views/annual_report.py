"""The Duty's annual report for the board: the page, its PDF and its tables as a spreadsheet.
All three read the one content built by duty.selectors.annual_report."""

import tablib
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from duty import selectors
from evaluation.services.report_pdf import render_pdf
from vru import doors, exports

FORMATS = ("pdf", "csv", "xlsx")


@require_GET
def annual_report(request):
    report = doors.found(selectors.annual_report(viewer=request.user))
    file_format = request.GET.get("format", "")
    stem = f"serious-violence-duty-annual-report-{report.start:%Y}"
    if file_format == "pdf":
        response = HttpResponse(render_pdf(report.content()), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
        return response
    if file_format in ("csv", "xlsx"):
        return exports.audited_download(
            request,
            _tables(report),
            file_stem=stem,
            file_format=file_format,
            verb="duty.annual_report.exported",
            partnership=request.user.partnership,
        )
    if file_format:
        doors.require(False)
    sections = [s for s in report.sections if s["key"] != "readiness"]
    return render(
        request,
        "duty/annual_report.html",
        {"report": report, "comparison": report.readiness, "sections": sections},
    )


def _tables(report) -> tablib.Dataset:
    """Every table of the report, one after another, each row naming its table."""
    data = tablib.Dataset(headers=["Table", "Row", "Column", "Value"])
    for section in report.sections:
        for block in section["blocks"]:
            if block["type"] != "table":
                continue
            for row in block["rows"]:
                for header, cell in zip(block["headers"][1:], row[1:], strict=True):
                    data.append([block["caption"], row[0], header, cell])
    return data
