"""Importing referrals from a custody spreadsheet: validate every row, then load.

All or nothing by default: a file with any bad row imports nothing and every bad row is
listed. With skip_invalid_rows exactly the valid rows are imported and the others listed.
Validation runs outside the loading transaction (so a job's progress is visible); the load
locks the programme, checks once more for referrals already on record (a concurrent import
of the same file), then writes everything in one transaction, audited once.

Web and command-line imports run as a Celery job (vru's ImportJob, kind "referrals"), checked
first and imported once confirmed, then undoable (programmes.services.imports.review): the
page polls the job's progress.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from programmes import permissions
from programmes.models import Programme
from programmes.services.imports import loading, validation
from vru.models import AuditEvent, ImportJob, User
from vru.services import (
    RowError,
    audit_record,
    outbox,
    queue,
    reviewed_import_job_run,
    workbooks,
)


@dataclass
class ReferralImportOutcome:
    total_rows: int
    imported_rows: int = 0
    possible_duplicates: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def rows_with_errors(self) -> int:
        return len({e.row for e in self.errors})


def referral_rows_judge(
    *,
    programme: Programme,
    rows: list[dict],
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[dict], list[RowError]]:
    """(the rows the referral's input judged without a problem; every row error). Reads
    only: the file's shape first (rows, columns), then every row."""
    if not rows:
        return [], [RowError(1, "", "The file has no rows below its header.")]
    missing = validation.missing_columns(rows)
    if missing:
        return [], missing
    return validation.validate(programme=programme, rows=rows, now=now, progress=progress)


def referral_rows_on_record(
    *, programme: Programme, clean: list[dict]
) -> tuple[list[RowError], dict[str, list[int]]]:
    """(the judged rows whose referral is already on record, as row errors; the young people
    already known, by blind index, whom the others would be flagged as possible duplicates
    of). Reads only."""
    on_record, known = validation.matches(
        partnership_id=programme.partnership_id,
        programme_id=programme.pk,
        keys=list({r["match_index"] for r in clean}),
    )
    duplicate_of: dict[str, list[int]] = {}
    for key, person in known:
        duplicate_of.setdefault(key, []).append(person)
    return validation.on_record_errors(on_record, clean), duplicate_of


def possible_duplicates_count(clean: list[dict], duplicate_of: dict[str, list[int]]) -> int:
    """Rows whose young person is already known, or on another row of the file."""
    in_file = Counter(r["match_index"] for r in clean)
    return sum(
        1 for r in clean if r["match_index"] in duplicate_of or in_file[r["match_index"]] > 1
    )


def referral_rows_load(
    *,
    actor: User | None,
    programme: Programme,
    clean: list[dict],
    duplicate_of: dict[str, list[int]],
    now: datetime,
    rows_with_errors: int,
    import_job: ImportJob | None = None,
) -> list[tuple[int, int]]:
    """Store judged rows (COPY on PostgreSQL), audited once. Call inside a transaction that
    holds the programme's lock. Returns (referral id, young person id) of each referral."""
    load = loading.load_postgresql if connection.vendor == "postgresql" else loading.load_orm
    stored = load(
        programme=programme,
        clean=clean,
        actor_id=actor.pk if actor else None,
        now=now,
        duplicate_of=duplicate_of,
    )
    changes = {
        "rows": len(clean),
        "rows_with_errors": rows_with_errors,
        "possible_duplicates": possible_duplicates_count(clean, duplicate_of),
    }
    if import_job is not None:
        changes |= {"import_job": import_job.pk, "file": import_job.file_name}
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        verb="referral.imported",
        target=programme,
        partnership=programme.partnership,
        changes=changes,
    )
    return stored


def referrals_import(
    *,
    actor: User | None,
    programme: Programme,
    rows: list[dict],
    skip_invalid_rows: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ReferralImportOutcome:
    """Validate every row; import all of them, none (any error), or exactly the valid ones
    (skip_invalid_rows), at once. The pages check first and import once confirmed (an
    ImportJob: programmes.services.imports.review); this is for code that already holds the
    rows (tests, benchmarks). `progress(rows_checked)` is called as validation goes."""
    if actor is not None and not permissions.can_import_referrals(actor, programme):
        raise PermissionDenied
    outcome = ReferralImportOutcome(total_rows=len(rows))
    now = timezone.now()
    clean, outcome.errors = referral_rows_judge(
        programme=programme, rows=rows, now=now, progress=progress
    )
    if outcome.errors and not skip_invalid_rows:
        # nothing will be imported: still list the rows already on record
        taken, _ = referral_rows_on_record(programme=programme, clean=clean)
        outcome.errors = sorted([*outcome.errors, *taken], key=lambda e: e.row)
        return outcome
    if not clean:
        return outcome
    with transaction.atomic():
        # one import at a time per programme: the rows on record are checked under the lock
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        taken, duplicate_of = referral_rows_on_record(programme=programme, clean=clean)
        if taken:
            outcome.errors = sorted([*outcome.errors, *taken], key=lambda e: e.row)
            if not skip_invalid_rows:
                return outcome
            rows_taken = {e.row for e in taken}
            clean = [r for r in clean if r["row"] not in rows_taken]
            if not clean:
                return outcome
        outcome.possible_duplicates = possible_duplicates_count(clean, duplicate_of)
        referral_rows_load(
            actor=actor,
            programme=programme,
            clean=clean,
            duplicate_of=duplicate_of,
            now=now,
            rows_with_errors=outcome.rows_with_errors,
        )
        outcome.imported_rows = len(clean)
    return outcome


REFERRAL_IMPORT_RUN = "programmes.referral_import_run"


@transaction.atomic
def referral_import_job_create(
    *,
    actor: User | None,
    programme: Programme,
    file_name: str,
    content: bytes,
    skip_invalid_rows: bool = False,
) -> ImportJob:
    """Queue a custody spreadsheet to be checked (a Celery task, once this commits); nothing
    is imported until someone confirms the check (vru.services.import_job_confirm)."""
    if actor is not None and not permissions.can_import_referrals(actor, programme):
        raise PermissionDenied
    workbooks.check_upload(file_name=file_name, content=content)
    job = ImportJob(
        partnership=programme.partnership,
        created_by=actor,
        kind=ImportJob.Kind.REFERRALS,
        target_id=programme.pk,
        file_name=file_name[:255],
        content=content,
        skip_invalid_rows=skip_invalid_rows,
    )
    job.full_clean(exclude=["content"])
    job.save()
    # Through the outbox: a spreadsheet queued while the broker is down runs when it returns.
    outbox.enqueue(kind=REFERRAL_IMPORT_RUN, target_id=job.pk, partnership=programme.partnership)
    return job


def referral_import_job_hand_over(*, job_id: int) -> None:
    """The outbox handler's work: give the job to its Celery task (id only)."""
    queue.run_later("programmes.tasks.referral_import_run", job_id)


def referral_import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued referral import: the check (a new job) or the import (a confirmed one),
    through the core's machinery for reviewed imports. Idempotent."""
    return reviewed_import_job_run(job_id=job_id)
