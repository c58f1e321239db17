"""A gathering whose worker died stays "gathering" with no progress: after
VRU_SAR_GATHER_STALL_MINUTES it is stalled. The request's page says so and offers the data
protection lead (or an administrator) Gather again; a beat task (rights.tasks.
request_gathers_resume) hands every stalled gathering over again. Either way the hand-over is
a new attempt (SubjectAccessRequest.gather_attempt): the gathering starts afresh, and an
earlier attempt still running stops at its next step (services.gather)."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from rights import permissions
from rights.models import SubjectAccessRequest
from vru.models import AuditEvent, User
from vru.services import audit_record, queue

NOT_STALLED = (
    "The records are still being gathered: gathering again is offered once it has made no "
    "progress for {minutes} minutes."
)


def _hand_over(sar: SubjectAccessRequest, now: datetime, *, actor: User | None) -> None:
    sar.gather_attempt += 1
    sar.progress, sar.progress_step, sar.progress_at = 0, "Waiting to start again", now
    sar.save(update_fields=["gather_attempt", "progress", "progress_step", "progress_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="subject_access.gather_resumed",
        target=sar,
        changes={"attempt": sar.gather_attempt},
    )
    queue.run_after_commit("rights.tasks.request_gather", sar.pk)


@transaction.atomic
def request_gather_again(
    *, actor: User, request: SubjectAccessRequest, now: datetime | None = None
) -> SubjectAccessRequest:
    """The lead's Gather again on a stalled gathering (refused while it still moves)."""
    if not permissions.can_handle_requests(actor):
        raise PermissionDenied("Only an administrator or the data protection lead may do this.")
    now = now or timezone.now()
    sar = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    if not sar.stalled(now):
        raise ValidationError(
            NOT_STALLED.format(minutes=settings.VRU_SAR_GATHER_STALL_MINUTES), code="not_stalled"
        )
    _hand_over(sar, now, actor=actor)
    return sar


def request_gathers_resume(*, now: datetime | None = None) -> int:
    """The beat task's work: hand every stalled gathering over again. Returns how many."""
    now = now or timezone.now()
    resumed = 0
    gathering = SubjectAccessRequest.objects.filter(status=SubjectAccessRequest.Status.GATHERING)
    for pk in gathering.values_list("pk", flat=True):
        with transaction.atomic():
            sar = SubjectAccessRequest.objects.select_for_update().get(pk=pk)
            if sar.stalled(now):  # checked again under the lock
                _hand_over(sar, now, actor=None)
                resumed += 1
    return resumed
