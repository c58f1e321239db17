"""Reads of rights requests: only for those who handle them (rights.permissions), only in
their own partnership."""

from django.db.models import QuerySet

from programmes.models import YoungPerson
from rights import permissions
from rights.models import GatheredItem, SubjectAccessRequest
from vru.models import User

SORTS = {
    "due": ("due_on", "pk"),
    "-due": ("-due_on", "-pk"),
    "received": ("received_on", "pk"),
    "-received": ("-received_on", "-pk"),
    "status": ("status", "due_on"),
}


def request_list(
    *, viewer: User, status: str = "", kind: str = "", open_only: bool = False, sort: str = "due"
) -> QuerySet[SubjectAccessRequest]:
    if not permissions.can_handle_requests(viewer):
        return SubjectAccessRequest.objects.none()
    requests = SubjectAccessRequest.objects.for_viewer(viewer).select_related("young_person")
    if status in SubjectAccessRequest.Status.values:
        requests = requests.filter(status=status)
    if kind in SubjectAccessRequest.Kind.values:
        requests = requests.filter(kind=kind)
    if open_only:
        requests = requests.filter(status__in=SubjectAccessRequest.OPEN_STATUSES)
    return requests.order_by(*SORTS.get(sort, SORTS["due"]))


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
