"""Gathering starts, redaction, and the bundle's one download.

A reviewer redacts a span of an item (every occurrence of it in that item, e.g. a third
party's name in a note) or a whole item, giving a reason each time; the bundle is built from
the gathered rows with their redactions applied, so a redacted name reaches neither the PDF
nor the archive. The bundle is downloaded once (the view asks for the password again first);
a second download is refused.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from rights import permissions
from rights.models import GatheredItem, Redaction, SubjectAccessRequest
from rights.services import bundle
from rights.services.requests import _move
from vru.models import AuditEvent, User
from vru.services import audit_record, queue

Status = SubjectAccessRequest.Status
ALREADY_DOWNLOADED = (
    "This bundle was downloaded on {when} by {who}. It can be downloaded only once, so that "
    "no second copy of a young person's records is made. If it was lost, log a new request "
    "and gather the records again."
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Only an administrator or the data protection lead may do this.")


@transaction.atomic
def request_gather_start(*, actor: User, request: SubjectAccessRequest) -> SubjectAccessRequest:
    """Hand the gathering to the task; the request's page shows its progress. Gathering
    again (from review) replaces the items and their redactions."""
    _require(permissions.can_handle_requests(actor))
    sar = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    if sar.kind != SubjectAccessRequest.Kind.ACCESS:
        raise ValidationError("Only a subject access request gathers records.")
    _move(sar, Status.GATHERING)
    sar.gathered_by = actor
    sar.progress, sar.progress_step, sar.gather_error = 0, "Waiting to start", ""
    sar.progress_at, sar.gather_attempt = timezone.now(), sar.gather_attempt + 1
    sar.downloaded_at = sar.downloaded_by = None
    sar.save(
        update_fields=[
            "status",
            "gathered_by",
            "progress",
            "progress_step",
            "progress_at",
            "gather_attempt",
            "gather_error",
            "downloaded_at",
            "downloaded_by",
        ]
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="subject_access.gather_started",
        target=sar,
    )
    queue.run_after_commit("rights.tasks.request_gather", sar.pk)
    return sar


def items_viewed(*, actor: User, request: SubjectAccessRequest) -> None:
    """The gathered records hold the young person's identity: every read of them is
    audited like any identity read."""
    _require(permissions.can_handle_requests(actor))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        verb="subject_access.records_viewed",
        target=request,
        changes={"young_person": request.young_person.reference},
    )


def _reviewable(actor: User, item: GatheredItem) -> SubjectAccessRequest:
    _require(permissions.can_handle_requests(actor))
    sar = item.request
    if sar.partnership_id != actor.partnership_id:
        raise PermissionDenied("That request is not in your partnership.")
    if sar.status != Status.IN_REVIEW:
        raise ValidationError("Items are redacted while the request is in review.")
    return sar


@transaction.atomic
def item_redact(*, actor: User, item: GatheredItem, span: str = "", reason: str) -> Redaction:
    """Redact ``span`` wherever it appears in the item (or the whole item, with no span)."""
    sar = _reviewable(actor, item)
    span, reason = span.strip(), reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why this is redacted."})
    if span and span.lower() not in item.text.lower():
        raise ValidationError({"span": "The words to redact must appear in the item."})
    redaction = Redaction(item=item, span=span, reason=reason, redacted_by=actor)
    redaction.full_clean()
    redaction.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="subject_access.redacted",
        target=sar,
        # never the words redacted: they are someone else's personal data
        changes={"item": item.pk, "whole_item": not span, "reason": reason[:200]},
    )
    return redaction


@transaction.atomic
def redaction_remove(*, actor: User, redaction: Redaction) -> None:
    sar = _reviewable(actor, redaction.item)
    item_id = redaction.item_id
    redaction.delete()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="subject_access.redaction_removed",
        target=sar,
        changes={"item": item_id},
    )


@transaction.atomic
def bundle_download(*, actor: User, request: SubjectAccessRequest) -> tuple[str, bytes]:
    """The bundle (a zip of the accessible PDF, JSON and CSV), once: the request is then
    sent. Returns (file name, bytes). A second call is refused with ALREADY_DOWNLOADED."""
    _require(permissions.can_handle_requests(actor))
    sar = (
        SubjectAccessRequest.objects.select_for_update()
        .select_related("young_person", "partnership")
        .get(pk=request.pk)
    )
    if sar.downloaded_at is not None:
        who = sar.downloaded_by.get_full_name() or sar.downloaded_by.username
        raise ValidationError(
            ALREADY_DOWNLOADED.format(
                when=f"{timezone.localtime(sar.downloaded_at):%-d %B %Y %H:%M}", who=who
            ),
            code="already_downloaded",
        )
    if sar.status != Status.IN_REVIEW:
        raise ValidationError("The bundle is ready once the records are gathered and reviewed.")
    content = bundle.bundle_content(sar)
    data = bundle.render_archive(content)
    _move(sar, Status.SENT)
    sar.downloaded_at = sar.closed_at = timezone.now()
    sar.downloaded_by = actor
    sar.save(update_fields=["status", "downloaded_at", "downloaded_by", "closed_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        verb="subject_access.bundle_downloaded",
        target=sar,
        changes={"items": len(content["items"]), "redactions": content["meta"]["redactions"]},
    )
    return f"subject-access-{sar.young_person.reference}-{sar.pk}.zip", data
