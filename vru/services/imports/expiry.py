"""What an import keeps of its file once it has finished, cleared after a stated period
(VRU_IMPORT_DETAILS_DAYS); the daily retention per kind (rights.services.retention) calls
``import_details_expire``.

An import's row errors name a row, a column and a reason, and a reason may quote the cell
(an unknown value, a place that is not the partnership's): in a custody spreadsheet or a
listening file that can be a young person's details. The uploaded file is dropped as soon as
a job finishes, but a job whose worker was lost before it finished still holds it. Both go
at the period after the job finished (or, for a job that never finished, after it was made):
the row errors are emptied and the file's bytes cleared, in the run's transaction. The
job's kind, file name, status, dates, counts and preview (which counts rows skipped by
reason without quoting them) stay, and so does what an undo needs (its snapshot keeps only
ids). Every kind of import is treated alike. Audited per partnership with counts, never a
value.
"""

import datetime
from collections import Counter

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from vru.models import AuditEvent, ImportJob, Partnership
from vru.services.audit import audit_record
from vru.services.imports.rows import in_chunks


def import_details_expire(*, now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Clear the row errors and any file still held of every import finished (or, never
    finished, made) more than ``days`` ago. Returns how many jobs were cleared."""
    now = now or timezone.now()
    days = settings.VRU_IMPORT_DETAILS_DAYS if days is None else days
    cutoff = now - datetime.timedelta(days=days)
    due = (
        ImportJob.objects.filter(details_cleared_at__isnull=True)
        .filter(Q(finished_at__lte=cutoff) | Q(finished_at__isnull=True, created_at__lte=cutoff))
        .filter(~Q(row_errors=[]) | ~Q(content=b""))
    )
    found = list(due.values_list("pk", "partnership_id", "row_errors"))
    if not found:
        return 0
    jobs, errors, files = Counter(), Counter(), Counter()
    for _pk, partnership_id, row_errors in found:
        jobs[partnership_id] += 1
        errors[partnership_id] += len(row_errors or [])
    cleared = 0
    for pks in in_chunks([pk for pk, _p, _e in found]):
        chunk = ImportJob.objects.filter(pk__in=pks)
        files.update(chunk.exclude(content=b"").values_list("partnership_id", flat=True))
        cleared += chunk.update(row_errors=[], content=b"", details_cleared_at=now)
    partnerships = Partnership.objects.in_bulk(list(jobs))
    for partnership_id in sorted(jobs):
        audit_record(
            actor=None,
            action=AuditEvent.Action.DELETE,
            verb="import_details.expired",
            partnership=partnerships[partnership_id],
            changes={
                "jobs": jobs[partnership_id],
                "row_errors": errors[partnership_id],
                "files": files[partnership_id],
                "before": cutoff.isoformat(),
            },
        )
    return cleared
