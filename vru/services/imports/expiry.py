"""What an import keeps of its file once it has finished, cleared after a stated period
(VRU_IMPORT_DETAILS_DAYS); the daily retention per kind (rights.services.retention) calls
``import_details_expire``.

An import's row errors name a row, a column and a reason, and a reason may quote the cell
(an unknown value, a place that is not the partnership's): in a custody spreadsheet or a
listening file that can be a young person's details. The name the file was uploaded under
may be a young person's too ("Ann One custody.csv"). The uploaded file is dropped as soon
as a job finishes, but a job whose worker was lost before it finished still holds it. All
three go at the period after the job finished (or, for a job that never finished, after it
was made), a committed batch of jobs at a time (vru.services.batches: a job's row errors may
be thousands of rows long): the row errors are emptied, the file's bytes cleared and
the file name replaced by FILE_NAME_REMOVED, on the job, on the police.uk import record it
made (CrimeImport), and in the audit trail's entries about the job (its name in the entry's
changes and in how the entry names its target). The job's kind, status, dates, counts and
preview (which counts rows skipped by reason without quoting them) stay, and so does what an
undo needs (its snapshot keeps only ids). Every kind of import is treated alike. Audited per
partnership with counts, never a value, once the batches are done: what was cleared, even
when a later batch failed (then raised; the next run carries on with the jobs not cleared).
"""

import datetime
from collections import Counter
from collections.abc import Sequence

from django.conf import settings
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from vru.models import AuditEvent, CrimeImport, ImportJob, Partnership
from vru.models.imports import FILE_NAME_REMOVED
from vru.services.audit import audit_record
from vru.services.batches import changed_in_batches
from vru.services.imports.rows import in_chunks


def import_details_expire(*, now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Clear the file name, the row errors and any file still held of every import finished
    (or, never finished, made) more than ``days`` ago. Returns how many jobs were cleared."""
    now = now or timezone.now()
    days = settings.VRU_IMPORT_DETAILS_DAYS if days is None else days
    cutoff = now - datetime.timedelta(days=days)
    due = (
        ImportJob.objects.filter(
            Q(finished_at__lte=cutoff) | Q(finished_at__isnull=True, created_at__lte=cutoff)
        )
        # every job has a file name, so every job past its period is cleared once; a job
        # cleared before file names went (details_cleared_at set) loses its name now
        .filter(Q(details_cleared_at__isnull=True) | ~Q(file_name=FILE_NAME_REMOVED))
    )
    totals: list[Counter] = [Counter(), Counter(), Counter(), Counter()]
    batch_counts: list[Counter] = []

    def clear(batch) -> int:
        found = list(batch.values_list("pk", "partnership_id", "row_errors", "crime_import_id"))
        jobs, errors, files, entries = Counter(), Counter(), Counter(), Counter()
        for _pk, partnership_id, row_errors, _crime in found:
            jobs[partnership_id] += 1
            errors[partnership_id] += len(row_errors or [])
        crime_import_of = {pk: crime for pk, _p, _e, crime in found if crime is not None}
        cleared = 0
        for pks in in_chunks([pk for pk, _p, _e, _c in found]):
            chunk = ImportJob.objects.filter(pk__in=pks)
            files.update(chunk.exclude(content=b"").values_list("partnership_id", flat=True))
            cleared += chunk.update(
                row_errors=[],
                content=b"",
                file_name=FILE_NAME_REMOVED,
                details_cleared_at=Coalesce(F("details_cleared_at"), Value(now)),
            )
            crime_imports = [crime_import_of[pk] for pk in pks if pk in crime_import_of]
            CrimeImport.objects.filter(pk__in=crime_imports).update(file_name=FILE_NAME_REMOVED)
            entries.update(_audit_entries_clear(jobs=pks, crime_imports=crime_imports))
        batch_counts[:] = [jobs, errors, files, entries]
        return cleared

    cleared = 0
    try:
        for done in changed_in_batches(due, clear):
            # counted once its batch has committed
            cleared += done
            for total, counted in zip(totals, batch_counts, strict=True):
                total.update(counted)
    finally:
        # the batches before a failure have committed: they are audited all the same
        _audit(*totals, cutoff=cutoff)
    return cleared


def _audit(
    jobs: Counter, errors: Counter, files: Counter, entries: Counter, *, cutoff: datetime.datetime
) -> None:
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
                "audit_entries": entries[partnership_id],
                "before": cutoff.isoformat(),
            },
        )


def _audit_entries_clear(*, jobs: Sequence[int], crime_imports: list[int]) -> Counter:
    """The file name in the audit trail's entries about these jobs and the police.uk import
    records they made: in the entry's changes ("file") and in how it names its target.
    Returns the entries changed per partnership."""
    job_type, crime_type = ImportJob._meta.label_lower, CrimeImport._meta.label_lower
    # one query each, so each holds no more ids than a chunk (rows.in_chunks)
    about = [
        Q(target_type=job_type, target_id__in=[str(pk) for pk in jobs]),
        Q(target_type=crime_type, target_id__in=[str(pk) for pk in crime_imports]),
        # a referral import's entry names its programme, and the job only in its changes
        Q(verb="referral.imported", changes__import_job__in=list(jobs)),
    ]
    targets = {
        job_type: ImportJob.objects.in_bulk(list(jobs)),
        crime_type: CrimeImport.objects.in_bulk(crime_imports),
    }
    changed: Counter = Counter()
    for query in about:
        for entry in AuditEvent.objects.filter(query).order_by("pk"):
            target = targets.get(entry.target_type, {}).get(int(entry.target_id or 0))
            if target is not None:
                entry.target_repr = str(target)[:200]
            if "file" in entry.changes:
                entry.changes["file"] = FILE_NAME_REMOVED
            entry.save(update_fields=["target_repr", "changes"])
            changed[entry.partnership_id] += 1
    return changed
