"""Spend from the finance system's spreadsheet as a reviewed import: checked first (nothing
written), imported once confirmed, undone from its page. The life of the job (queue, check,
confirmation, cancel, undo, expiry) is the core's (vru.services.areas.crime_jobs, registered
through vru.import_kinds in FinanceConfig.ready); the file is read through the core's tables
(vru.services.imports.read_table), which asks vru.services.workbooks before any parser sees it.

All or nothing: one bad row refuses the whole file, and every bad row is listed by its row
number (the header is row 1), its column and the reason.

Columns (docs/finance.md): programme, financial_year (2024/25 or 2024), quarter (1-4 or
Q1-Q4; April to June is Q1), amount (pounds, 0 or more), note (optional). A row for a
programme and quarter already recorded replaces that figure; undoing the import puts the
figures before it back.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from finance import permissions
from finance.models import QuarterlySpend, financial_year_label
from programmes.models import Programme
from vru.import_kinds import Checked, ImportKind
from vru.models import ImportJob, ImportSnapshot, Partnership, User
from vru.services import imports as core_imports
from vru.services import outbox, workbooks

COLUMNS = ("programme", "financial_year", "quarter", "amount", "note")
REQUIRED = ("programme", "financial_year", "quarter", "amount")


@transaction.atomic
def spend_import_job_create(
    *, actor: User | None, partnership: Partnership, file_name: str, content: bytes
) -> ImportJob:
    """Queue a spreadsheet of spend to be checked; nothing changes until someone confirms."""
    if actor is not None and not (
        permissions.can_import_spend(actor) and actor.partnership_id == partnership.pk
    ):
        raise PermissionDenied("You cannot import spend for this partnership.")
    workbooks.check_upload(file_name=file_name, content=content)
    job = ImportJob(
        partnership=partnership,
        created_by=actor,
        kind=ImportJob.Kind.FINANCE_SPEND,
        file_name=file_name[:255],
        content=content,
    )
    job.full_clean(exclude=["content"])
    job.save()
    outbox.enqueue(kind=core_imports.IMPORT_JOB_RUN, target_id=job.pk, partnership=partnership)
    return job


def may_review(user: User, job: ImportJob) -> bool:
    return permissions.can_import_spend(user)


def _year(value) -> int | None:
    text = str(value if value is not None else "").strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    head = text.split("/", 1)[0]
    if not head.isdigit() or len(head) != 4:
        return None
    year = int(head)
    if "/" in text:
        tail = text.split("/", 1)[1]
        if tail not in {f"{(year + 1) % 100:02d}", str(year + 1)}:
            return None
    return year


def _quarter(value) -> int | None:
    text = str(value if value is not None else "").strip().upper().removeprefix("Q")
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text in {"1", "2", "3", "4"} else None


def _amount(value) -> Decimal | None:
    text = str(value if value is not None else "").strip().replace(",", "").removeprefix("£")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        return None
    return amount.quantize(Decimal("0.01"))


def parse_rows(job: ImportJob) -> tuple[list[tuple], list[dict]]:
    """(rows, errors): each good row as (programme id, year, quarter, amount, note); each
    error as {"row", "column", "message"}. Reads only."""
    dataset = core_imports.read_table(file_name=job.file_name, content=bytes(job.content))
    headers = list(dataset.headers or [])
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        return [], [
            {
                "row": 1,
                "column": name,
                "message": f"The header has no {name} column (columns: {', '.join(COLUMNS)}).",
            }
            for name in missing
        ]
    programmes = {
        p.name.strip().lower(): p.pk
        for p in Programme.objects.filter(partnership_id=job.partnership_id)
    }
    rows, errors, seen = [], [], {}
    for number, raw in enumerate(dataset, start=2):
        if not core_imports.has_values(raw):
            continue
        cell = dict(zip(headers, raw, strict=False))
        row_errors = []
        name = str(cell.get("programme") or "").strip()
        programme_id = programmes.get(name.lower())
        if programme_id is None:
            row_errors.append(
                (
                    "programme",
                    f"No programme of this partnership is called {name!r}."
                    if name
                    else "Enter the programme's name.",
                )
            )
        year = _year(cell.get("financial_year"))
        if year is None:
            row_errors.append(("financial_year", "Enter the financial year as 2024/25 or 2024."))
        quarter = _quarter(cell.get("quarter"))
        if quarter is None:
            row_errors.append(("quarter", "Enter the quarter as 1 to 4 (April to June is 1)."))
        amount = _amount(cell.get("amount"))
        if amount is None:
            row_errors.append(("amount", "Enter the amount in pounds, 0 or more (e.g. 12500.00)."))
        note = str(cell.get("note") or "").strip()
        if len(note) > 300:
            row_errors.append(("note", "The note is longer than 300 characters."))
        if not row_errors:
            key = (programme_id, year, quarter)
            if key in seen:
                row_errors.append(
                    (
                        "quarter",
                        f"Row {seen[key]} already gives this programme's spend for "
                        f"{financial_year_label(year)} Q{quarter}.",
                    )
                )
            else:
                seen[key] = number
        if row_errors:
            errors += [{"row": number, "column": c, "message": m} for c, m in row_errors]
        else:
            rows.append((programme_id, year, quarter, amount, note))
    return rows, errors


def _digest(rows: list[tuple]) -> str:
    return core_imports.digest("|".join(str(v) for v in row) for row in rows)


def spend_import_check(job: ImportJob) -> Checked:
    rows, errors = parse_rows(job)
    existing = _existing(rows)
    preview = {
        "rows_read": len(rows) + len({e["row"] for e in errors}),
        "rows_to_add": sum(1 for row in rows if row[:3] not in existing),
        "rows_replaced": sum(1 for row in rows if row[:3] in existing),
        "total": str(sum((row[3] for row in rows), Decimal(0))),
        "digest": _digest(rows),
    }
    if errors:
        return Checked(preview, errors)  # all or nothing: one bad row refuses the file
    return Checked(preview)


def _existing(rows: list[tuple]) -> dict[tuple, QuarterlySpend]:
    found = {}
    for programme_id in {row[0] for row in rows}:
        for spend in QuarterlySpend.objects.filter(programme_id=programme_id):
            found[(spend.programme_id, spend.financial_year, spend.quarter)] = spend
    return found


STALE = "The file or the programmes changed after it was checked: nothing was imported."


def spend_import_apply(job: ImportJob, actor: User | None, prepared: None) -> int:
    """Write every row (inside the machinery's transaction) and keep what each replaced."""
    rows, errors = parse_rows(job)
    if errors or _digest(rows) != job.preview.get("digest"):
        raise ValidationError(STALE, code="stale_check")
    existing = _existing(rows)
    kept = []
    for programme_id, year, quarter, amount, note in rows:
        spend = existing.get((programme_id, year, quarter))
        before = None if spend is None else [str(spend.amount), spend.note]
        if spend is None:
            spend = QuarterlySpend(programme_id=programme_id, financial_year=year, quarter=quarter)
        spend.amount, spend.note, spend.recorded_by = amount, note, actor
        spend.full_clean()
        spend.save()
        kept.append([programme_id, year, quarter, str(amount), before])
    ImportSnapshot.objects.create(job=job, scope={"rows": len(kept)}, rows=kept)
    return len(kept)


def _labels(snapshot: ImportSnapshot) -> set[tuple]:
    return {(row[0], row[1], row[2]) for row in snapshot.rows}


def spend_import_overlap(snapshot: ImportSnapshot, later: ImportSnapshot) -> list[str]:
    both = _labels(snapshot) & _labels(later)
    return [f"programme {p} {financial_year_label(y)} Q{q}" for p, y, q in sorted(both)]


def spend_import_restore_problem(snapshot: ImportSnapshot) -> str:
    changed = 0
    for programme_id, year, quarter, amount, _before in snapshot.rows:
        now = QuarterlySpend.objects.filter(
            programme_id=programme_id, financial_year=year, quarter=quarter
        ).first()
        if now is None or str(now.amount) != amount:
            changed += 1
    if changed:
        return (
            f"{changed:,} of the figures this import wrote have been changed since, so undoing "
            "it would lose them."
        )
    return ""


def spend_import_restore(snapshot: ImportSnapshot) -> dict:
    put_back = removed = 0
    for programme_id, year, quarter, _amount_written, before in snapshot.rows:
        spend = QuarterlySpend.objects.get(
            programme_id=programme_id, financial_year=year, quarter=quarter
        )
        if before is None:
            spend.delete()
            removed += 1
        else:
            spend.amount, spend.note = Decimal(before[0]), before[1]
            spend.save(update_fields=["amount", "note", "recorded_at"])
            put_back += 1
    return {"figures_removed": removed, "figures_put_back": put_back}


SPEND_IMPORTS = ImportKind(
    verb="spend_import",
    check=spend_import_check,
    apply=spend_import_apply,
    restore=spend_import_restore,
    restore_problem=spend_import_restore_problem,
    overlap=spend_import_overlap,
    may_review=may_review,
)
