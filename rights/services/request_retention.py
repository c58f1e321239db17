"""Retention of subject access (and correction, erasure) requests themselves; the daily
retention per kind (rights.services.retention) calls both.

- The gathered copy: each item of a young person's records gathered to answer an access
  request (GatheredItem, with its redactions) is a copy, and would otherwise outlive the
  records it was copied from once their own retention cleared them. It is needed while the
  request is answered, not after: it goes VRU_SAR_COPY_DAYS after the request was answered
  (sent, refused or closed: `closed_at`). The bundle is never stored (it is built when it is
  downloaded, once), so there is no file to delete; the request keeps when the copy went.
  A request still open keeps its copy.
- The request's own details (vru.data_kinds RIGHTS_REQUEST): who asked, what they asked for
  in their words, how their identity was checked, and the reasons written on the request
  (why it was extended, refused or closed, and why each thing was redacted) go at the
  kind's period after the answer. A redaction's reason may name the third party it protects
  ("her brother Kai's name"): the redaction itself goes with the gathered copy, but the audit
  trail's entry of it (`subject_access.redacted`) keeps the reason, to show why something was
  withheld should the answer be questioned, until the same period; it then reads CLEARED. The
  young person's pseudonymous reference, the kind of request, the requester's relationship
  and the kind of identity check, the dates (received, due, extended by, gathered, sent,
  closed) and the status stay, so the partnership can still show each request was answered
  within its deadline.

Both are audited per partnership with counts, never a name or a word of what went.
"""

import datetime
from collections import Counter

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from rights.models import GatheredItem, SubjectAccessRequest
from rights.models.requests import CLEARED
from vru.models import AuditEvent, Partnership
from vru.services import audit_record
from vru.services.imports.rows import in_chunks

ANSWERED = SubjectAccessRequest.ANSWERED_STATUSES


def _audit(verb: str, counts: dict[int, dict], cutoff: datetime.datetime) -> None:
    partnerships = Partnership.objects.in_bulk(list(counts))
    for partnership_id in sorted(counts):
        audit_record(
            actor=None,
            action=AuditEvent.Action.DELETE,
            verb=verb,
            partnership=partnerships[partnership_id],
            changes={**counts[partnership_id], "before": cutoff.isoformat()},
        )


@transaction.atomic
def request_copies_expire(*, now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Delete the records gathered for every request answered more than ``days`` ago (see
    above). Returns how many items went."""
    now = now or timezone.now()
    days = settings.VRU_SAR_COPY_DAYS if days is None else days
    cutoff = now - datetime.timedelta(days=days)
    due = SubjectAccessRequest.objects.filter(
        status__in=ANSWERED, closed_at__lte=cutoff, copy_deleted_at__isnull=True
    )
    per_request = dict(
        due.annotate(n=Count("items")).filter(n__gt=0).values_list("pk", "n").order_by()
    )
    if not per_request:
        return 0
    requests = dict(
        SubjectAccessRequest.objects.filter(pk__in=per_request).values_list("pk", "partnership_id")
    )
    items = GatheredItem.objects.filter(request_id__in=per_request)
    redactions = Counter(
        dict(
            items.values("request__partnership")
            .annotate(n=Count("redactions"))
            .values_list("request__partnership", "n")
            .order_by()
        )
    )
    removed = items.count()
    items.delete()  # their redactions go with them (CASCADE)
    SubjectAccessRequest.objects.filter(pk__in=per_request).update(copy_deleted_at=now)
    counts: dict[int, dict] = {}
    for pk, n in per_request.items():
        entry = counts.setdefault(requests[pk], {"requests": 0, "items": 0, "redactions": 0})
        entry["requests"] += 1
        entry["items"] += n
    for partnership_id, entry in counts.items():
        entry["redactions"] = redactions[partnership_id]
    _audit("subject_access.copies_expired", counts, cutoff)
    return removed


@transaction.atomic
def requests_expire(*, now: datetime.datetime | None = None, months: int) -> int:
    """Clear who asked, their words, the identity check's notes and the reasons written on
    every request answered more than ``months`` ago (see above). Returns how many requests
    and redaction reasons were cleared."""
    now = now or timezone.now()
    cutoff = now - relativedelta(months=months)
    reasons = _redaction_reasons_clear(cutoff)
    due = SubjectAccessRequest.objects.filter(
        status__in=ANSWERED, closed_at__lte=cutoff, details_cleared_at__isnull=True
    )
    per_partnership = Counter(due.values_list("partnership_id", flat=True))
    if not per_partnership and not reasons:
        return 0
    cleared = 0
    for sar in due.only("pk", "extended_months"):
        # an extended request must keep a reason (a database rule): it reads CLEARED
        sar.requester_name, sar.details, sar.identity_check_notes = "", "", ""
        sar.outcome_reason, sar.gather_error = "", ""
        sar.extension_reason = CLEARED if sar.extended_months else ""
        sar.details_cleared_at = now
        sar.save(
            update_fields=[
                "requester_name",
                "details",
                "identity_check_notes",
                "outcome_reason",
                "gather_error",
                "extension_reason",
                "details_cleared_at",
            ]
        )
        cleared += 1
    _audit(
        "subject_access.requests_expired",
        {
            pk: {"requests": per_partnership[pk], "redaction_reasons": reasons[pk]}
            for pk in per_partnership | reasons
        },
        cutoff,
    )
    return cleared + reasons.total()


def _redaction_reasons_clear(cutoff: datetime.datetime) -> Counter:
    """The reasons in the audit trail's entries of redactions on requests answered by the
    cutoff (see above), one already cleared not counted again. Returns them per partnership."""
    answered = SubjectAccessRequest.objects.filter(status__in=ANSWERED, closed_at__lte=cutoff)
    ids = list(answered.values_list("pk", flat=True).order_by("pk"))
    cleared: Counter = Counter()
    for chunk in in_chunks(ids):
        entries = AuditEvent.objects.filter(
            target_type=SubjectAccessRequest._meta.label_lower,
            target_id__in=[str(pk) for pk in chunk],
            verb="subject_access.redacted",
        ).exclude(changes__reason=CLEARED)
        for entry in entries:
            entry.changes["reason"] = CLEARED
            entry.save(update_fields=["changes"])
            cleared[entry.partnership_id] += 1
    return cleared
