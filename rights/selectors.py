"""Reads of rights requests: only for those who handle them (rights.permissions), only in
their own partnership."""

from django.db.models import QuerySet

from programmes.models import YoungPerson
from rights import permissions
from rights.filters import SORTS, RequestFilter
from rights.models import GatheredItem, SubjectAccessRequest
from vru.models import User


def request_list(
    *, viewer: User, filters: dict | None = None, open_only: bool = False
) -> QuerySet[SubjectAccessRequest]:
    """Filtered by status and kind, sorted by one of SORTS (``sort``; by due date unless another is chosen)."""
    if not permissions.can_handle_requests(viewer):
        return SubjectAccessRequest.objects.none()
    requests = SubjectAccessRequest.objects.for_viewer(viewer).select_related("young_person")
    if open_only:
        requests = requests.filter(status__in=SubjectAccessRequest.OPEN_STATUSES)
    requests = requests.order_by(*SORTS["due"])
    return RequestFilter(filters, queryset=requests).qs if filters else requests


def request_get(*, viewer: User, pk: int) -> SubjectAccessRequest | None:
    return (
        request_list(viewer=viewer)
        .select_related("gathered_by", "downloaded_by", "created_by")
        .filter(pk=pk)
        .first()
    )


def items_for(*, viewer: User, request: SubjectAccessRequest) -> QuerySet[GatheredItem]:
    if request_get(viewer=viewer, pk=request.pk) is None:
        return GatheredItem.objects.none()
    return GatheredItem.objects.filter(request=request).prefetch_related("redactions")


def young_person_by_reference(*, viewer: User, reference: str) -> YoungPerson | None:
    """The young person a request is about, picked by their pseudonymous reference."""
    if not permissions.can_handle_requests(viewer):
        return None
    return YoungPerson.objects.filter(
        partnership_id=viewer.partnership_id, reference=reference.strip().upper()
    ).first()
