"""Shared API plumbing: the error mapping, the filter backend and the pagination every list
uses."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, pagination, throttling
from rest_framework.fields import get_error_detail
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(get_error_detail(exc))
    return exception_handler(exc, context)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, which builds the view's filterset (its form, about a
    millisecond) only when the request names one of its filters: with none named, every
    filter is empty and the filterset would return the queryset as it is."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not any(
            name in request.query_params for name in filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


class StandardPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class UserRateThrottle(throttling.UserRateThrottle):
    """Per-user (or, signed out, per-address) request rate; 429 with Retry-After past it.
    The rate is read from settings per request, so it can be changed without a restart."""

    def get_rate(self):
        from django.conf import settings

        return settings.VRU_API_RATE


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
