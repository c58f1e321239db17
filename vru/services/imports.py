"""Imports of reference data: validate every row, then save all or none."""

import csv
import hashlib
import io
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from vru import import_kinds, permissions
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
    new_ids: list = field(default_factory=list)  # the records the import created


# More than this share of a file's rows outside the partnership (by the places its rows
# name) and the file is for another area: it is refused whole, changing nothing. One share
# for every import that names places (police.uk, custody referrals, listening responses).
MAX_SHARE_OUTSIDE = 0.5


def another_area_refusal(
    *, rows_outside: int, rows_read: int, partnership: Partnership, places: str
) -> str:
    """The refusal of a file most of whose rows name `places` outside the partnership ("" when
    it is not such a file)."""
    if rows_outside <= rows_read * MAX_SHARE_OUTSIDE:
        return ""
    name = partnership.short_name or partnership.name
    return (
        f"{rows_outside:,} of {rows_read:,} rows name {places} outside {name}: this file is "
        "for another area. Nothing was changed. Check that you chose your own area's file."
    )


def skipped_by_reason(errors: Iterable[RowError]) -> dict[str, int]:
    """Rows left out, by reason, most frequent first: a row counts once for each reason, and a
    reason does not say what the row held (quoted values and row numbers vary)."""
    reasons: dict[int, set[str]] = {}
    for error in errors:
        reason = re.sub(r"\brow \d+", "an earlier row", re.sub(r"“[^”]*”", "“…”", error.message))
        reasons.setdefault(error.row, set()).add(reason)
    counts: Counter = Counter()
    for found in reasons.values():
        counts.update(found)
    return dict(counts.most_common())


def digest(lines: Iterable[str]) -> str:
    """A fingerprint of what a check found would change (its lines in any order): an import
    whose fingerprint differs from its check's does not do what the person confirmed."""
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


def in_chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    """Ids in lists a query's parameters can hold on every database."""
    size = 900 if connection.vendor == "sqlite" else 20_000
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def records_pointing_at(
    model: type[models.Model], ids: Sequence[int], *, written_with_them: Iterable[str] = ()
) -> Counter:
    """How many records of any app point at these rows (by the plural name of their kind),
    other than the relations `written_with_them` (written by the import with the rows). Found
    from the model's relations, hidden ones too, so that an app the caller cannot name (the
    core names none) still counts: what an undo that deletes the rows would delete too."""
    skipped = set(written_with_them)
    found: Counter = Counter()
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete):
            continue
        related = relation.related_model
        if relation.name in skipped or related._meta.auto_created:
            continue  # the import's own, or a many-to-many's link table (seen as the m2m)
        if relation.many_to_many and related is model:
            continue  # a symmetrical many-to-many, seen from the other side
        lookup = f"{relation.field.name}__in"
        for chunk in in_chunks(ids):
            n = related._default_manager.filter(**{lookup: chunk}).count()
            if n:
                found[str(related._meta.verbose_name_plural)] += n
    return found


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
    outcome = check_with_resource(make_resource=make_resource, dataset=dataset)
    if outcome.errors and not skip_invalid_rows:
        return outcome
    if any(error.row == 1 for error in outcome.errors):
        return outcome  # the file itself (its columns), not a row: nothing to import
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
        outcome.new_ids = [
            row.object_id for row in result.rows if row.import_type == row.IMPORT_TYPE_NEW
        ]
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


def check_with_resource(
    *, make_resource: Callable[[], Any], dataset: tablib.Dataset
) -> ImportOutcome:
    """Every row's errors, found by a dry run of the resource: nothing is saved. Errors in
    row 1 are the file's own (no header, missing columns)."""
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
    if ImportJob.objects.filter(pk=job_id, kind__in=import_kinds.registered()).exists():
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
