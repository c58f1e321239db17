"""Importing referrals from a custody spreadsheet: validate every row, then load.

All or nothing by default: a file with any bad row imports nothing and every bad row is
listed. With skip_invalid_rows exactly the valid rows are imported and the others listed.
Validation runs outside the loading transaction (so a job's progress is visible); the load
locks the programme, checks once more for referrals already on record (a concurrent import
of the same file), then writes everything in one transaction, audited once.

Web and command-line imports run as a Celery job (vru's ImportJob, kind "referrals"): the
page polls the job's progress.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from programmes import permissions
from programmes.models import Programme
from programmes.services.imports import loading, validation
from programmes.services.imports.reading import read_rows
from vru.models import AuditEvent, ImportJob, User
from vru.services import RowError, audit_record, outbox, queue


@dataclass
class ReferralImportOutcome:
    total_rows: int
    imported_rows: int = 0
    possible_duplicates: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def rows_with_errors(self) -> int:
        return len({e.row for e in self.errors})


def referrals_import(
    *,
    actor: User | None,
    programme: Programme,
    rows: list[dict],
    skip_invalid_rows: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ReferralImportOutcome:
    """Validate every row; import all of them, none (any error), or exactly the valid ones
    (skip_invalid_rows). `progress(rows_checked)` is called as validation goes."""
    if actor is not None and not permissions.can_import_referrals(actor, programme):
        raise PermissionDenied
    outcome = ReferralImportOutcome(total_rows=len(rows))
    if not rows:
        outcome.errors = [RowError(1, "", "The file has no rows below its header.")]
        return outcome
    outcome.errors = validation.missing_columns(rows)
    if outcome.errors:
        return outcome
    now = timezone.now()
    clean, outcome.errors = validation.validate(
        programme=programme, rows=rows, now=now, progress=progress
    )

    def look_up(rows_checked: list[dict]) -> tuple[list[RowError], list[tuple[str, int]]]:
        on_record, known = validation.matches(
            partnership_id=programme.partnership_id,
            programme_id=programme.pk,
            keys=list({r["match_index"] for r in rows_checked}),
        )
        return validation.on_record_errors(on_record, rows_checked), known

    if outcome.errors and not skip_invalid_rows:
        # nothing will be imported: still list the rows already on record
        taken, _ = look_up(clean)
        outcome.errors = sorted([*outcome.errors, *taken], key=lambda e: e.row)
        return outcome
    if not clean:
        return outcome
    with transaction.atomic():
        # one import at a time per programme: the rows on record are checked under the lock
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        taken, known = look_up(clean)
        if taken:
            outcome.errors = sorted([*outcome.errors, *taken], key=lambda e: e.row)
            if not skip_invalid_rows:
                return outcome
            rows_taken = {e.row for e in taken}
            clean = [r for r in clean if r["row"] not in rows_taken]
            if not clean:
                return outcome
        duplicate_of: dict[str, list[int]] = {}
        for key, person in known:
            duplicate_of.setdefault(key, []).append(person)
        in_file: dict[str, int] = {}
        for r in clean:
            in_file[r["match_index"]] = in_file.get(r["match_index"], 0) + 1
        outcome.possible_duplicates = sum(
            1 for r in clean if r["match_index"] in duplicate_of or in_file[r["match_index"]] > 1
        )
        load = loading.load_postgresql if connection.vendor == "postgresql" else loading.load_orm
        load(
            programme=programme,
            clean=clean,
            actor_id=actor.pk if actor else None,
            now=now,
            duplicate_of=duplicate_of,
        )
        outcome.imported_rows = len(clean)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            verb="referral.imported",
            target=programme,
            partnership=programme.partnership,
            changes={
                "rows": len(clean),
                "rows_with_errors": outcome.rows_with_errors,
                "possible_duplicates": outcome.possible_duplicates,
            },
        )
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
    """Queue a custody spreadsheet for import; a Celery task runs it once this commits."""
    if actor is not None and not permissions.can_import_referrals(actor, programme):
        raise PermissionDenied
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
    """Run a queued referral import. Idempotent: a finished job is left as it is."""
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",))
            .select_related("created_by")
            .get(pk=job_id, kind=ImportJob.Kind.REFERRALS)
        )
        if job.status in {ImportJob.Status.SUCCEEDED, ImportJob.Status.FAILED}:
            return job
        job.status = ImportJob.Status.RUNNING
        job.save(update_fields=["status"])

    def progress(checked: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=checked)

    programme = Programme.objects.filter(pk=job.target_id).first()
    try:
        if programme is None:
            raise ValidationError("The programme no longer exists.")
        rows = read_rows(file_name=job.file_name, content=bytes(job.content))
        job.total_rows = len(rows)
        job.save(update_fields=["total_rows"])
        outcome = referrals_import(
            actor=job.created_by,
            programme=programme,
            rows=rows,
            skip_invalid_rows=job.skip_invalid_rows,
            progress=progress,
        )
    except ValidationError as exc:
        outcome = ReferralImportOutcome(
            total_rows=job.total_rows, errors=[RowError(1, "", m) for m in exc.messages]
        )
    except PermissionDenied:
        outcome = ReferralImportOutcome(
            total_rows=job.total_rows,
            errors=[RowError(1, "", "You may no longer import into this programme.")],
        )
    job.processed_rows = outcome.total_rows
    job.imported_rows = outcome.imported_rows
    job.row_errors = [e.as_dict() for e in outcome.errors]
    failed = bool(outcome.errors) and not outcome.imported_rows
    job.status = ImportJob.Status.FAILED if failed else ImportJob.Status.SUCCEEDED
    job.finished_at = timezone.now()
    job.content = b""  # the file (names, dates of birth) is not kept once it has been read
    job.save(
        update_fields=[
            "processed_rows",
            "imported_rows",
            "row_errors",
            "status",
            "finished_at",
            "content",
        ]
    )
    return job
