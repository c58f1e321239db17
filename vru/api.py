"""Shared API plumbing: the error mapping, the filter backend and the pagination every list
uses."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Page
from django_filters import BooleanFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, filters, pagination, throttling
from rest_framework.fields import get_error_detail
from rest_framework.views import exception_handler

from vru import compiled
from vru.filters import BOOLEAN_VALUES, names_a_filter


def api_exception_handler(exc, context):
    """DRF's handler, with a Django ValidationError as a 400, and every error an object:
    ``{"detail": ...}`` or, for a 400, each field with its messages (a bare list of messages
    goes under ``non_field_errors``). What DRF leaves unhandled is a 500, answered in JSON
    by vru.views.errors.server_error."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(get_error_detail(exc))
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {"non_field_errors": response.data}
    return response


# Query parameters are strict: a value of the wrong type is a 400 naming the parameter,
# never ignored (the page's first page, the default size or order, every row instead).


def query_int(request, name: str, *, minimum: int | None = None) -> int | None:
    """A whole-number query parameter, or None when it is absent or empty."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise exceptions.ValidationError({name: ["Enter a whole number."]}) from None
    if minimum is not None and value < minimum:
        raise exceptions.ValidationError({name: [f"Enter {minimum} or more."]})
    return value


def query_bool(request, name: str) -> bool | None:
    """A true/false query parameter (true, false, 1 or 0), or None when absent or empty."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return BOOLEAN_VALUES[raw.lower()]
    except KeyError:
        raise exceptions.ValidationError({name: ["Enter true or false."]}) from None


def query_choice(request, name: str, choices) -> str | None:
    """One of ``choices``, or None when absent or empty."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if raw not in choices:
        raise exceptions.ValidationError({name: [f"Choose one of: {', '.join(choices)}."]})
    return raw


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, which builds the view's filterset (its form, about a
    millisecond) only when the request names one of its filters: with none named, every
    filter is empty and the filterset would return the queryset as it is. A value its form
    refuses is a 400 (django-filter's own); so is a true/false filter given anything but
    true, false, 1 or 0, which django-filter would read as "no filter"."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not names_a_filter(request.query_params, filterset_class):
            return queryset
        for name, declared in filterset_class.base_filters.items():
            if isinstance(declared, BooleanFilter):
                query_bool(request, name)
        return super().filter_queryset(request, queryset, view)


class OrderingFilter(filters.OrderingFilter):
    """DRF's ?ordering=, refusing a field it cannot order by (DRF drops it silently)."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if not params:
            return self.get_default_ordering(view)
        fields = [param.strip() for param in params.split(",") if param.strip()]
        ordering = self.remove_invalid_fields(queryset, fields, view, request)
        if len(ordering) != len(fields):
            valid = sorted(
                name for name, _ in self.get_valid_fields(queryset, view, {"request": request})
            )
            raise exceptions.ValidationError(
                {self.ordering_param: [f"Order by {', '.join(valid)} (a leading - reverses)."]}
            )
        return ordering


class StandardPagination(pagination.PageNumberPagination):
    """?page= (a number from 1, or "last") and ?page_size= (from 1; more than 200 is 200).
    Anything else is a 400; a page past the last is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        size = query_int(request, self.page_size_query_param, minimum=1)
        return self.page_size if size is None else min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        if request.query_params.get(self.page_query_param) not in self.last_page_strings:
            query_int(request, self.page_query_param, minimum=1)
        return super().paginate_queryset(queryset, request, view)


class CountedPagination(StandardPagination):
    """StandardPagination in one query: the page's records and, beside them, the count of
    the whole list (a scalar subquery the database runs once), where Django's paginator
    counts in a query of its own first; an empty first page counts nothing. A page past the
    end and ?page=last (whose number is the count) go through StandardPagination."""

    def records(self, queryset, view):
        """What a page is read from: the records themselves."""
        return queryset

    def fetch(self, queryset, start: int, size: int, view) -> list:
        """The page's records, each with the count of them all (under _TOTAL)."""
        counted = self.records(queryset, view).annotate(
            **{_TOTAL: compiled.count_expression(queryset)}
        )
        return list(counted[start : start + size])

    def paginate_queryset(self, queryset, request, view=None):
        if request.query_params.get(self.page_query_param) in self.last_page_strings:
            return super().paginate_queryset(self.records(queryset, view), request, view)
        number = query_int(request, self.page_query_param, minimum=1) or 1
        size = self.get_page_size(request)
        start = (number - 1) * size
        found = self.fetch(queryset, start, size, view)
        if not found and number > 1:  # past the end: the 404 StandardPagination answers
            return super().paginate_queryset(self.records(queryset, view), request, view)
        paginator = self.django_paginator_class(found, size)  # the page is read: not sliced
        # read, not counted again (Django's Paginator.count)
        paginator.count = _total_of(found[0]) if found else 0
        self.request = request
        self.page = Page(found, number, paginator)
        return found


class RowsPagination(CountedPagination):
    """CountedPagination of plain rows: the fields the view's row serializer reads
    (``row_fields``, vru.rows). A view may give the page itself (``rows_page``: from its
    list's query compiled once per shape, vru.compiled, when nothing is filtered); else the
    page's query is planned once per connection (vru.compiled.prepared_rows)."""

    def records(self, queryset, view):
        return queryset.values(*view.get_serializer_class().row_fields())

    def fetch(self, queryset, start: int, size: int, view) -> list:
        rows_page = getattr(view, "rows_page", None)
        if rows_page is not None:
            # the order the filter backends chose, else the model's
            order_by = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
            found = rows_page(order_by=order_by, start=start, size=size, count_as=_TOTAL)
            if found is not None:
                return found
        counted = self.records(queryset, view).annotate(
            **{_TOTAL: compiled.count_expression(queryset)}
        )
        return compiled.prepared_rows(counted[start : start + size])


_TOTAL = "_counted_page_total"


def _total_of(record) -> int:
    return record[_TOTAL] if isinstance(record, dict) else getattr(record, _TOTAL)


class UserRateThrottle(throttling.UserRateThrottle):
    """Per-user (or, signed out, per-address) request rate; 429 with Retry-After past it.
    Counted in a sliding window by one atomic step (vru.ratelimit), so requests arriving
    together cannot all slip under the limit. The rate is read from settings per request,
    so it can be changed without a restart."""

    def get_rate(self):
        from django.conf import settings

        return settings.VRU_API_RATE

    def allow_request(self, request, view):
        from vru import ratelimit

        self._retry_after = None
        key = self.get_cache_key(request, view)
        if self.rate is None or key is None:
            return True
        decision = ratelimit.hit(key, limit=self.num_requests, window=self.duration)
        self._retry_after = decision.retry_after
        return decision.allowed

    def wait(self):
        # at least a second: DRF sends no Retry-After for 0
        return None if self._retry_after is None else max(self._retry_after, 1.0)


_ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_VALIDATION_ERRORS = {
    "type": "object",
    "description": "Each field (or non_field_errors) with its messages.",
    "additionalProperties": {},
}
_ERROR_RESPONSES = {
    "401": "Not signed in (token authentication).",
    "403": "Not signed in (session authentication), or this role may not do this.",
    "404": "Not found: it does not exist, is outside the caller's scope, or no such page.",
    "429": "Too many requests: wait for the number of seconds in Retry-After.",
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation documents the errors every
    endpoint can answer (401/403 signed out or refused, 404 invisible or no such page, 429
    throttled with Retry-After, and 400 when it takes query parameters or a body), so
    clients and schemathesis see them as part of the contract."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", _ERROR)
    components.setdefault("ValidationErrors", _VALIDATION_ERRORS)
    error_ref = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in _ERROR_RESPONSES.items():
                response = {
                    "description": description,
                    "content": {"application/json": {"schema": error_ref}},
                }
                if code == "429":
                    response["headers"] = {
                        "Retry-After": {"schema": {"type": "integer"}, "required": True}
                    }
                responses.setdefault(code, response)
            takes_input = "requestBody" in operation or any(
                p.get("in") == "query" for p in operation.get("parameters", [])
            )
            if takes_input:
                responses.setdefault(
                    "400",
                    {
                        "description": "Invalid input: what was wrong with each field.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ValidationErrors"}
                            }
                        },
                    },
                )
    return result
