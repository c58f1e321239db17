"""Shared API plumbing: the error mapping and the pagination every list uses."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, pagination, throttling
from rest_framework.fields import get_error_detail
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(get_error_detail(exc))
    return exception_handler(exc, context)


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
