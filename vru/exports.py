"""Spreadsheet downloads that are safe to open: no cell can run as a formula."""

import re

import tablib
from django.http import HttpResponse

# Text a spreadsheet would treat as a formula (OWASP CSV injection); plain numbers such as
# "-9" or "+3.5" stay numbers.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would run this text as a formula: the one rule that imports
    refuse at the door (vru.services.imports.check_cells) and exports escape."""
    return text.startswith(_FORMULA_START) and not _NUMBER.match(text)


def safe_cell(value):
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def safe_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    safe = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        safe.append([safe_cell(value) for value in row])
    return safe


def spreadsheet_response(
    dataset: tablib.Dataset, *, file_stem: str, file_format: str
) -> HttpResponse:
    """A CSV or XLSX download of `dataset`, with formula-like cells escaped."""
    if file_format not in CONTENT_TYPES:
        raise ValueError(f"Unknown spreadsheet format {file_format!r}")
    response = HttpResponse(
        safe_dataset(dataset).export(file_format), content_type=CONTENT_TYPES[file_format]
    )
    response["Content-Disposition"] = f'attachment; filename="{file_stem}.{file_format}"'
    return response


def audited_download(
    request,
    dataset: tablib.Dataset,
    *,
    file_stem: str,
    file_format: str,
    verb: str,
    target=None,
    partnership=None,
) -> HttpResponse:
    """Record who exported what (rows, format, filters), then send the safe spreadsheet.
    Every export door of every app goes through here. A download needs a recent password or
    second factor: otherwise the user confirms it is them and comes back to the download."""
    from vru import accounts, services
    from vru.models import AuditEvent

    if not accounts.recently_authenticated(request):
        return accounts.reauthenticate(request)

    services.audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        verb=verb,
        target=target,
        partnership=partnership,
        changes={"rows": len(dataset), "format": file_format, "query": request.GET.urlencode()},
    )
    return spreadsheet_response(dataset, file_stem=file_stem, file_format=file_format)
