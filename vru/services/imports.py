"""Imports of reference data: validate every row, then save all or none."""

import csv
import io
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from vru import permissions
from vru.exports import looks_like_formula
from vru.models import (
    AuditEvent,
    ImportJob,
    Partnership,
    StrategicNeedsAssessment,
    User,
)
from vru.resources import (
    LSOAResource,
    RecommendationResource,
    SuccessMeasureComparisonResource,
    SuccessMeasureValueResource,
)
from vru.services import queue
from vru.services.audit import audit_record
from vru.services.outbox import enqueue


@dataclass(frozen=True)
class RowError:
    """One problem in one row. `row` counts as a spreadsheet does: the header is row 1."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportOutcome:
    total_rows: int
    imported_rows: int = 0
    errors: list[RowError] = field(default_factory=list)


FILE_FORMATS = {"csv": "csv", "xlsx": "xlsx"}
# Excel's own limit for one cell; anything longer is not a spreadsheet someone typed.
MAX_CELL_CHARS = 32_767
# A cell a spreadsheet would run as a formula (vru.exports.looks_like_formula, the rule
# exports escape by) is refused at the door, with where it is.
MAX_LISTED = 10


# a cell (after a line break: cells are joined with them below) that may start a formula
_MAYBE_FORMULA = re.compile(r"(?:\A|\n)[=+\-@\t\r]")


def _surely_clean(header: Sequence, rows: Iterable[Sequence]) -> bool:
    """True when no cell can be a problem, decided in C over the whole table joined by line
    breaks (a table of text only; a cell with a line break of its own can only add false
    alarms, which check_cells then examines cell by cell)."""
    try:
        cells = [*header, *itertools.chain.from_iterable(rows)]
        text = "\n".join(cells)
    except TypeError:  # not all text (XLSX numbers, dates, empty cells)
        return False
    return (
        "\x00" not in text
        and not _MAYBE_FORMULA.search(text)
        and (len(text) <= MAX_CELL_CHARS or max(map(len, cells)) <= MAX_CELL_CHARS)
    )


def check_cells(*, header: Sequence, rows: Iterable[Sequence]) -> None:
    """Refuse a table with NUL bytes, cells longer than a spreadsheet holds, or cells that
    start like a formula (a negative number is not one). The error names each cell as a
    spreadsheet would: row (the header is row 1) and column."""
    rows = list(rows)
    if _surely_clean(header, rows):
        return  # most files: the whole table at once, not cell by cell
    names = [str(h or "") for h in header]
    problems = []
    for number, row in enumerate([header, *rows], start=1):
        for position, cell in enumerate(row):
            if cell is None or not isinstance(cell, str) or not cell:
                continue
            column = names[position] if position < len(names) else f"column {position + 1}"
            where = f"Row {number}, column “{column}”"
            if "\x00" in cell:
                problems.append(f"{where} contains a NUL byte.")
            elif len(cell) > MAX_CELL_CHARS:
                problems.append(f"{where} is longer than {MAX_CELL_CHARS:,} characters.")
            elif looks_like_formula(cell):
                shown = cell[0].replace("\t", "a tab").replace("\r", "a carriage return")
                problems.append(
                    f"{where} starts with {shown}, which spreadsheets run as a formula: "
                    "remove it or reword the cell."
                )
            if len(problems) >= MAX_LISTED:
                break
        if len(problems) >= MAX_LISTED:
            break
    if problems:
        raise ValidationError(problems, code="unsafe_cells")


def check_headers(headers: Sequence[str]) -> None:
    duplicates = {h for h in headers if h and list(headers).count(h) > 1}
    if duplicates:
        raise ValidationError(
            "These columns appear more than once: " + ", ".join(sorted(duplicates)) + ".",
            code="duplicate_columns",
        )


def decode_csv(content: bytes) -> str:
    """UTF-8 text (a byte-order mark is dropped) without NUL bytes, or a clear error."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            "The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.",
            code="encoding",
        ) from exc
    if "\x00" in text:
        raise ValidationError(
            "The file contains NUL bytes: it is not a CSV file.", code="nul_bytes"
        )
    return text


def csv_rows(text: str) -> list[list[str]]:
    """Every row of a CSV text, or a clear error for a file the csv module cannot read (a
    cell larger than it allows, a quote left open)."""
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ValidationError(
            f"The file is not a CSV file we can read ({exc}).", code="malformed_csv"
        ) from exc


def padded_rows(rows: list[list[str]]) -> list[list[str]]:
    """CSV rows as tablib reads them (blank lines skipped, short rows padded to the header),
    except that a row with more cells than the header is a clear error: an unquoted comma
    would otherwise shift every later column of that row."""
    rows = [row for row in rows if row]
    if not rows:
        return []
    width = len(rows[0])
    padded = [rows[0]]
    for number, row in enumerate(rows[1:], start=2):
        if len(row) == width:
            padded.append(row)
            continue
        while len(row) > width and not row[-1].strip():
            row = row[:-1]
        if len(row) > width:
            raise ValidationError(
                f"Row {number} has more cells ({len(row)}) than the header has columns ({width}).",
                code="ragged_row",
            )
        padded.append(row + [""] * (width - len(row)))
    return padded


def _dataset_from_rows(rows: list[list[str]]) -> tablib.Dataset:
    dataset = tablib.Dataset()
    rows = padded_rows(rows)
    if rows:
        dataset.headers = rows[0]
        for row in rows[1:]:
            dataset.append(row)
    return dataset


def read_table(*, file_name: str, content: bytes) -> tablib.Dataset:
    """Read a CSV (UTF-8, with or without a byte-order mark) or XLSX file into rows."""
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension not in FILE_FORMATS:
        raise ValidationError("Upload a .csv or .xlsx file.", code="file_type")
    if extension == "csv":
        dataset = _dataset_from_rows(csv_rows(decode_csv(content)))
    else:
        if not content.startswith(b"PK"):
            raise ValidationError("The file is not an XLSX workbook.", code="file_type")
        try:
            dataset = tablib.Dataset().load(content, format="xlsx")
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
            raise ValidationError(
                "The file could not be read as an XLSX workbook.", code="file_type"
            ) from exc
    if dataset.headers:
        check_cells(header=dataset.headers, rows=dataset)
        dataset.headers = [str(h or "").strip().lower() for h in dataset.headers]
        check_headers(dataset.headers)
    return dataset


def _resource_for(
    *, kind: str, partnership: Partnership, needs_assessment: StrategicNeedsAssessment | None
):
    if kind == ImportJob.Kind.LSOAS:
        return LSOAResource(partnership=partnership)
    if kind == ImportJob.Kind.RECOMMENDATIONS:
        if needs_assessment is None:
            raise ValidationError("Choose the needs assessment to import into.", code="no_sna")
        return RecommendationResource(partnership=partnership, needs_assessment=needs_assessment)
    if kind == ImportJob.Kind.SUCCESS_MEASURE_VALUES:
        return SuccessMeasureValueResource(partnership=partnership)
    if kind == ImportJob.Kind.SUCCESS_MEASURE_COMPARISONS:
        return SuccessMeasureComparisonResource(partnership=partnership)
    raise ValidationError(f"Unknown import kind {kind!r}.", code="kind")


def _row_errors(result) -> list[RowError]:
    errors = []
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            for message in messages:
                errors.append(
                    RowError(invalid.number + 1, "" if column == "__all__" else column, message)
                )
    for error in result.base_errors:
        errors.append(RowError(1, "", str(error.error)))
    for number, row_errors in result.row_errors():
        for error in row_errors:
            errors.append(RowError(number + 1, "", str(error.error)))
    return sorted(errors, key=lambda e: (e.row, e.column))


def import_rows(
    *,
    actor: User | None,
    partnership: Partnership,
    kind: str,
    dataset: tablib.Dataset,
    needs_assessment: StrategicNeedsAssessment | None = None,
    skip_invalid_rows: bool = False,
) -> ImportOutcome:
    """Import the core's reference data (LSOAs, recommendations, success-measure values
    and the comparisons between them)."""
    if actor is not None and not (
        permissions.can_import_area_data(actor) and actor.partnership_id == partnership.pk
    ):
        raise PermissionDenied("You cannot import data into this partnership.")
    return import_with_resource(
        actor=actor,
        partnership=partnership,
        make_resource=lambda: _resource_for(
            kind=kind, partnership=partnership, needs_assessment=needs_assessment
        ),
        dataset=dataset,
        verb=f"import.{kind}",
        target=needs_assessment,
        skip_invalid_rows=skip_invalid_rows,
    )


def import_with_resource(
    *,
    actor: User | None,
    partnership: Partnership,
    make_resource: Callable[[], Any],
    dataset: tablib.Dataset,
    verb: str,
    target: models.Model | None = None,
    skip_invalid_rows: bool = False,
) -> ImportOutcome:
    """Validate every row, then save all of them, or none if any is bad.

    The one import pipeline of the product: any app passes a factory for its
    django-import-export resource (which declares `required_headers`). With
    skip_invalid_rows the valid rows are saved and the bad ones reported. Either way the
    whole import is one transaction, audited once. The caller checks permissions.
    """
    resource = make_resource()
    outcome = ImportOutcome(total_rows=len(dataset))
    if not dataset.headers:
        outcome.errors = [
            RowError(1, "", "The file is empty: the first row must name the columns.")
        ]
        return outcome
    missing = [name for name in resource.required_headers if name not in dataset.headers]
    if missing:
        outcome.errors = [
            RowError(
                1,
                "",
                "The file is missing these columns: "
                + ", ".join(missing)
                + ". The first row must name the columns.",
            )
        ]
        return outcome
    try:
        checked = resource.import_data(
            dataset, dry_run=True, raise_errors=False, use_transactions=True
        )
    except ValidationError as exc:
        outcome.errors = [RowError(1, "", message) for message in exc.messages]
        return outcome
    outcome.errors = _row_errors(checked)
    if outcome.errors and not skip_invalid_rows:
        return outcome
    bad_rows = {error.row for error in outcome.errors}
    to_save = tablib.Dataset(headers=dataset.headers)
    for index, row in enumerate(dataset, start=2):
        if index not in bad_rows:
            to_save.append(row)
    with transaction.atomic():
        result = make_resource().import_data(
            to_save, dry_run=False, raise_errors=True, use_transactions=True
        )
        totals = result.totals
        outcome.imported_rows = totals.get("new", 0) + totals.get("update", 0)
        if not outcome.imported_rows:
            return outcome  # nothing changed: re-importing the same file leaves no trace
        audit_record(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            verb=verb,
            target=target,
            partnership=partnership,
            changes={
                "new": totals.get("new", 0),
                "updated": totals.get("update", 0),
                "unchanged": totals.get("skip", 0),
                "rows_with_errors": len(bad_rows),
            },
        )
    return outcome


IMPORT_JOB_RUN = "vru.import_job_run"


@transaction.atomic
def import_job_create(
    *,
    actor: User | None,
    partnership: Partnership,
    kind: str,
    file_name: str,
    content: bytes,
    needs_assessment: StrategicNeedsAssessment | None = None,
    skip_invalid_rows: bool = False,
) -> ImportJob:
    """Queue a file for import; the work runs in Celery once this transaction commits."""
    if actor is not None and not (
        permissions.can_import_area_data(actor) and actor.partnership_id == partnership.pk
    ):
        raise PermissionDenied("You cannot import data into this partnership.")
    job = ImportJob(
        partnership=partnership,
        created_by=actor,
        kind=kind,
        file_name=file_name[:255],
        content=content,
        needs_assessment=needs_assessment,
        skip_invalid_rows=skip_invalid_rows,
    )
    job.full_clean(exclude=["content"])
    job.save()
    # Through the outbox: a job queued while the broker is down runs when it returns.
    enqueue(kind=IMPORT_JOB_RUN, target_id=job.pk, partnership=partnership)
    return job


def import_job_hand_over(*, job_id: int) -> None:
    """The outbox handler's work: give the job to its Celery task (id only); if the broker
    refuses, this raises and the outbox tries again later."""
    queue.run_later("vru.tasks.import_job_run", job_id)


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued import. Idempotent: a job that has finished is left as it is."""
    if ImportJob.objects.filter(pk=job_id, kind__in=ImportJob.REVIEWED).exists():
        from vru.services.areas.crime_jobs import reviewed_import_job_run

        return reviewed_import_job_run(job_id=job_id)  # checked, then imported once confirmed
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",))
            .select_related("partnership", "created_by", "needs_assessment")
            .get(pk=job_id)
        )
        if job.status in {ImportJob.Status.SUCCEEDED, ImportJob.Status.FAILED}:
            return job
        job.status = ImportJob.Status.RUNNING
        job.save(update_fields=["status"])
    try:
        dataset = read_table(file_name=job.file_name, content=bytes(job.content))
        job.total_rows = len(dataset)
        job.save(update_fields=["total_rows"])
        outcome = import_rows(
            actor=job.created_by,
            partnership=job.partnership,
            kind=job.kind,
            dataset=dataset,
            needs_assessment=job.needs_assessment,
            skip_invalid_rows=job.skip_invalid_rows,
        )
    except ValidationError as exc:
        outcome = ImportOutcome(
            total_rows=job.total_rows, errors=[RowError(1, "", m) for m in exc.messages]
        )
    job.processed_rows = outcome.total_rows
    job.imported_rows = outcome.imported_rows
    job.row_errors = [e.as_dict() for e in outcome.errors]
    failed = bool(outcome.errors) and not (job.skip_invalid_rows and outcome.imported_rows)
    job.status = ImportJob.Status.FAILED if failed else ImportJob.Status.SUCCEEDED
    job.finished_at = timezone.now()
    job.content = b""  # the file is not kept once it has been read
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
