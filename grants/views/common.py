from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse

from vru import exports

PAGE_SIZE = 50


def require(allowed: bool) -> None:
    """A page a role may not open does not exist for it (404, never 403)."""
    if not allowed:
        raise Http404


def export(request, *, resource, queryset, name: str, export_format: str) -> HttpResponse:
    """A CSV/XLSX download of an import-export resource, audited, with every cell that a
    spreadsheet would run as a formula escaped (vru.exports)."""
    dataset = resource().export(queryset=queryset)
    return exports.audited_download(
        request, dataset, file_stem=name, file_format=export_format, verb=f"{name}.exported"
    )


def add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (by field where the form has it)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def flash(request, text: str) -> None:
    messages.success(request, text)


def flash_error(request, text: str) -> None:
    """A failure: shown as an error banner, never as a success."""
    messages.error(request, text)
