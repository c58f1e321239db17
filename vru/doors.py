"""What every door (page, API view, export) shares, written once.

- ``require(allowed)``: a page or record a role may not open does not exist for it (404, never
  403), so the answer never confirms what is there.
- ``found(obj)``: a selector's ``None`` becomes that same 404.
- ``add_errors(form, error)``: a service's ValidationError onto a form, by field where the form
  has it, so a rule checked in the service reads like the form's own errors.
- ``download(...)``: an import-export resource as an audited CSV/XLSX (``vru.exports``).
- ``flash`` / ``flash_error``: the GOV.UK notification banner after a redirect.
- ``posted(request)`` / ``posted_files(request)``: what a form page binds its form to: the
  POST (and its files) whenever the method is POST, even an empty one, so a submission with
  nothing filled in (or only unticked boxes) is checked and answered like any other, never
  taken for a first visit. ``None`` on GET (an unbound form).
- ``checked_filters(request, filterset_class)``: a list page's filters as given, checked the
  way its selector applies them (``vru.filters``), for the page's error summary.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse

from vru import exports
from vru.filters import names_a_filter

PAGE_SIZE = 50


def require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def found(obj):
    if obj is None:
        raise Http404
    return obj


def add_errors(form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """``aliases`` maps a model field to the form field that carries it (e.g. "starts_on" to
    "period"), so the message lands beside what the user typed."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, errors in error.message_dict.items():
        name = (aliases or {}).get(name, name)
        form.add_error(name if name in form.fields else None, errors)


def download(
    request, *, resource, queryset, name: str, export_format: str, verb: str, **audit
) -> HttpResponse:
    """``resource`` is an instance (some need the partnership); ``audit`` takes the optional
    ``target`` and ``partnership`` of the audit event."""
    dataset = resource.export(queryset=queryset)
    return exports.audited_download(
        request, dataset, file_stem=name, file_format=export_format, verb=verb, **audit
    )


def posted(request):
    return request.POST if request.method == "POST" else None


def posted_files(request):
    return request.FILES if request.method == "POST" else None


def checked_filters(request, filterset_class):
    """The list's filters as the query string gives them, checked as its selector applies
    them: the form's errors are the page's error summary (``filter_form`` in its context,
    shown by base.html), and a list given a filter it cannot take lists nothing
    (``vru.filters.GovukFilterSet``). Ids are the filters' names, as the pages' inputs."""
    if not names_a_filter(request.GET, filterset_class):
        return NO_FILTERS
    model = filterset_class._meta.model
    return filterset_class(request.GET, queryset=model._default_manager.none()).form


class _NoFilters:
    """checked_filters of a query string naming none of the list's filters: valid, with
    nothing to say (false, so base.html shows no error summary)."""

    errors: dict = {}

    def is_valid(self) -> bool:
        return True

    def __bool__(self) -> bool:
        return False


NO_FILTERS = _NoFilters()


def flash(request, text: str) -> None:
    messages.success(request, text)


def flash_error(request, text: str) -> None:
    """A failure: shown as an error banner, never as a success."""
    messages.error(request, text)
