"""The police.uk street-level import.

**2011 -> 2021 LSOA codes (police.uk).** police.uk files carry 2011 LSOA codes. Each 2021
LSOA records its 2011 parent (`LSOA.lsoa11_code`, from the ONS exact-fit lookup). An
unchanged LSOA maps to itself. A 2011 LSOA that was **split** into several 2021 LSOAs has its
count per month and crime type **apportioned by the children's population share** (mid-2022),
with whole crimes handed out by the largest-remainder method (ties to the lower code), so the
partnership total is never inflated and every count stays a whole number. The lookup for our
17 authorities has no merges (M) or irregular (X) changes; a 2011 code we cannot map is
skipped as "outside the partnership".

**A file for another area is refused, and nothing replaces stored data unasked.** Every
door (the page, which checks first and imports once confirmed; the command; the demo) goes
through `crime_file_plan` (reads only) and `_plan_apply` (writes): a file whose rows mostly
lie outside the partnership, or mostly come from a police force that does not serve it
(`selectors.police_forces_of`), changes nothing; a month already stored is replaced only
when the replacement is confirmed, and what it replaced is kept (`ImportSnapshot`) so that
the import can be undone.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from vru import permissions, selectors
from vru.models import (
    LSOA,
    AuditEvent,
    CrimeCount,
    CrimeImport,
    ImportJob,
    ImportSnapshot,
    Partnership,
    User,
)
from vru.services import imports, workbooks
from vru.services.areas._common import POLICE_UK_COLUMNS, _require, copy_rows
from vru.services.audit import audit_record

# --- police.uk --------------------------------------------------------------------------


def apportion(total: int, shares: Mapping[str, int | None]) -> dict[str, int]:
    """Split `total` whole crimes over the children by population (largest remainder).

    Children without a population share equally with weight 1 when none has one.
    """
    codes = sorted(shares)
    weights = {c: shares[c] or 0 for c in codes}
    weight_sum = sum(weights.values())
    if weight_sum == 0:
        weights = dict.fromkeys(codes, 1)
        weight_sum = len(codes)
    exact = {c: total * weights[c] / weight_sum for c in codes}
    result = {c: math.floor(exact[c]) for c in codes}
    left = total - sum(result.values())
    by_remainder = sorted(codes, key=lambda c: (-(exact[c] - result[c]), c))
    for c in by_remainder[:left]:
        result[c] += 1
    return result


def _month(raw: str) -> date | None:
    raw = raw.strip()
    try:
        return date(int(raw[:4]), int(raw[5:7]), 1) if len(raw) == 7 and raw[4] == "-" else None
    except ValueError:
        return None


# More than this share of a file's rows outside the partnership (by LSOA, or by police
# force) and the file is for another area: it is refused whole.
MAX_SHARE_OUTSIDE = imports.MAX_SHARE_OUTSIDE
PROGRESS_EVERY = 2_000
I_ID, I_MONTH, I_REPORTED_BY, I_FALLS_WITHIN, I_LSOA, I_TYPE = 0, 1, 2, 3, 7, 9


def _month_label(month: date) -> str:
    return month.strftime("%B %Y")


def _and_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


@dataclass
class CrimePlan:
    """What a police.uk file would change, found without writing anything."""

    partnership: Partnership
    rows_read: int = 0
    raw_counts: Counter = field(default_factory=Counter)  # (2011 code, month, type) -> rows
    counts: Counter = field(default_factory=Counter)  # (LSOA id, month, type) -> crimes
    skipped: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)
    file_forces: Counter = field(default_factory=Counter)
    partnership_forces: set[str] = field(default_factory=set)
    rows_outside: int = 0
    rows_other_force: int = 0
    stored: dict[date, int] = field(default_factory=dict)  # month -> crimes stored now

    @property
    def months(self) -> list[date]:
        return sorted({month for _, month, _ in self.raw_counts})

    @property
    def rows_counted(self) -> int:
        return sum(self.raw_counts.values())

    def after(self, month: date) -> int:
        return sum(n for (_, m, _), n in self.counts.items() if m == month)

    @property
    def replaced_months(self) -> list[date]:
        return [m for m in self.months if self.stored.get(m)]

    @property
    def refusal(self) -> str:
        """Why the file is for another area ("" when it is not)."""
        name = self.partnership.short_name or self.partnership.name
        if self.partnership_forces and self.rows_other_force > self.rows_read * MAX_SHARE_OUTSIDE:
            main = self.file_forces.most_common(1)[0][0] if self.file_forces else "no force"
            served = _and_list(sorted(self.partnership_forces))
            return (
                f"This file is from {main}, which does not serve {name} ({served} does): "
                f"{self.rows_other_force:,} of {self.rows_read:,} rows are another force's. "
                "Nothing was changed. Check that you chose your own force's file."
            )
        if self.rows_outside > self.rows_read * MAX_SHARE_OUTSIDE:
            return (
                f"{self.rows_outside:,} of {self.rows_read:,} rows are in neighbourhoods "
                f"(LSOAs) outside {name}: this file is for another area. Nothing was "
                "changed. Check that you chose your own force's file."
            )
        return ""

    def as_preview(self) -> dict:
        return {
            "rows_read": self.rows_read,
            "rows_counted": self.rows_counted,
            "skipped": dict(self.skipped),
            "notes": dict(self.notes),
            "file_forces": dict(self.file_forces.most_common()),
            "partnership_forces": sorted(self.partnership_forces),
            "rows_outside": self.rows_outside,
            "rows_other_force": self.rows_other_force,
            "months": [
                {
                    "month": month.isoformat(),
                    "label": _month_label(month),
                    "before": self.stored.get(month, 0),
                    "after": self.after(month),
                }
                for month in self.months
            ],
            "refusal": self.refusal,
        }


def replace_unconfirmed_message(months: Iterable[dict]) -> str:
    """The refusal when stored months would be replaced without a confirmation."""
    months = list(months)
    crimes = sum(m["before"] for m in months)
    labels = _and_list([m["label"] for m in months])
    return (
        f"{labels} already {'has' if len(months) == 1 else 'have'} {crimes:,} crime counts "
        "stored: confirm that this file replaces them."
    )


def crime_file_plan(
    *,
    partnership: Partnership,
    content: bytes,
    progress: Callable[[int, int], None] | None = None,
) -> CrimePlan:
    """Read a police.uk street-level CSV and work out what importing it would change:
    counts per 2021 LSOA, month and crime type, skipped rows by reason, the months it would
    replace (with the counts stored now), and whether it is for another area. Writes nothing.
    """
    rows = imports.csv_rows(imports.decode_csv(content))
    header = rows[0] if rows else None
    if header is None or [h.strip() for h in header[: len(POLICE_UK_COLUMNS)]] != POLICE_UK_COLUMNS:
        raise ValidationError(
            "This is not a police.uk street-level crime file: the columns should be "
            + ", ".join(POLICE_UK_COLUMNS)
            + ".",
            code="columns",
        )
    imports.check_cells(header=header, rows=rows[1:])
    workbooks.require_data_rows(sum(1 for row in rows[1:] if imports.has_values(row)))
    plan = CrimePlan(
        partnership=partnership,
        partnership_forces=selectors.police_forces_of(partnership=partnership),
    )
    ours = {force.casefold() for force in plan.partnership_forces}
    children: dict[str, dict[str, int | None]] = defaultdict(dict)
    pk_by_code: dict[str, int] = {}
    for pk, code, lsoa11, population in LSOA.objects.filter(partnership=partnership).values_list(
        "pk", "code", "lsoa11_code", "population"
    ):
        children[lsoa11 or code][code] = population
        pk_by_code[code] = pk
    total = len(rows) - 1
    raw_counts, skipped, notes = plan.raw_counts, plan.skipped, plan.notes
    for row in rows[1:]:
        if not row or not any(row):
            continue
        plan.rows_read += 1
        if progress is not None and plan.rows_read % PROGRESS_EVERY == 0:
            progress(plan.rows_read, total)
        if len(row) < 10:
            skipped["malformed row"] += 1
            continue
        reported, falls = row[I_REPORTED_BY].strip(), row[I_FALLS_WITHIN].strip()
        plan.file_forces[falls or reported or "no force named"] += 1
        if reported.casefold() not in ours and falls.casefold() not in ours:
            plan.rows_other_force += 1
        month = _month(row[I_MONTH])
        if month is None:
            skipped["no valid month"] += 1
            continue
        code = row[I_LSOA].strip()
        if not code:
            skipped["no LSOA (no location)"] += 1
            continue
        if code not in children:
            skipped["LSOA outside the partnership"] += 1
            plan.rows_outside += 1
            continue
        crime_type = row[I_TYPE].strip()
        if not crime_type:
            skipped["no crime type"] += 1
            continue
        if not row[I_ID].strip():
            notes["counted without a Crime ID (anti-social behaviour)"] += 1
        if len(children[code]) > 1:
            notes["apportioned from a split 2011 LSOA"] += 1
        raw_counts[(code, month, crime_type)] += 1
    for (code11, month, crime_type), n in raw_counts.items():
        kids = children[code11]
        if len(kids) == 1:
            plan.counts[(pk_by_code[next(iter(kids))], month, crime_type)] += n
        else:
            for child, share in apportion(n, kids).items():
                if share:
                    plan.counts[(pk_by_code[child], month, crime_type)] += share
    plan.stored = dict(
        CrimeCount.objects.filter(partnership=partnership, month__in=plan.months)
        .order_by()
        .values_list("month")
        .annotate(n=Sum("count"))
    )
    if progress is not None:
        progress(plan.rows_read, total)
    return plan


def _write_counts(partnership: Partnership, rows: list[tuple[int, date, str, int]]) -> None:
    """Insert counts (LSOA id, month, crime type, count): COPY on PostgreSQL."""
    copied = copy_rows(
        CrimeCount,
        ["partnership_id", "lsoa_id", "month", "crime_type", "count"],
        ((partnership.pk, lsoa_id, month, crime_type, n) for lsoa_id, month, crime_type, n in rows),
    )
    if not copied:
        CrimeCount.objects.bulk_create(
            [
                CrimeCount(
                    partnership=partnership,
                    lsoa_id=lsoa_id,
                    month=month,
                    crime_type=crime_type,
                    count=n,
                )
                for lsoa_id, month, crime_type, n in rows
            ],
            batch_size=5000,
        )


def _stored_rows(partnership: Partnership, months: list[date]) -> list[list]:
    return [
        [lsoa_id, month.isoformat(), crime_type, n]
        for lsoa_id, month, crime_type, n in CrimeCount.objects.filter(
            partnership=partnership, month__in=months
        )
        .order_by("month", "lsoa_id", "crime_type")
        .values_list("lsoa_id", "month", "crime_type", "count")
    ]


def _plan_apply(
    *,
    actor: User | None,
    plan: CrimePlan,
    job: ImportJob,
    replace: bool,
) -> CrimeImport:
    """Write a checked plan: refused for another area's file, and for stored months unless
    `replace`; what it replaces is kept in the job's snapshot first. Call inside a
    transaction."""
    partnership = plan.partnership
    if plan.refusal:
        raise ValidationError(plan.refusal, code="another_area")
    preview = plan.as_preview()
    replaced = [m for m in preview["months"] if m["before"]]
    if replaced and not replace:
        raise ValidationError(replace_unconfirmed_message(replaced), code="replace_unconfirmed")
    months = plan.months
    ImportSnapshot.objects.create(
        job=job,
        scope={"months": [m.isoformat() for m in months]},
        rows=_stored_rows(partnership, months),
    )
    CrimeCount.objects.filter(partnership=partnership, month__in=months).delete()
    _write_counts(
        partnership,
        [
            (lsoa_id, month, crime_type, n)
            for (lsoa_id, month, crime_type), n in plan.counts.items()
        ],
    )
    record = CrimeImport.objects.create(
        partnership=partnership,
        file_name=job.file_name,
        months=[m.isoformat() for m in months],
        rows_read=plan.rows_read,
        rows_counted=plan.rows_counted,
        skipped=dict(plan.skipped),
        notes=dict(plan.notes),
        created_by=actor if actor is not None and actor.pk else None,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        verb="crime.imported",
        target=record,
        partnership=partnership,
        changes={
            "months": record.months,
            "rows_read": plan.rows_read,
            "rows_counted": record.rows_counted,
            "skipped": dict(plan.skipped),
            "replaced": [
                {"month": m["month"], "before": m["before"], "after": m["after"]} for m in replaced
            ],
            "import_job": job.pk,
        },
    )
    return record


@transaction.atomic
def crime_file_import(
    *,
    actor: User | None,
    partnership: Partnership,
    file_name: str,
    content: bytes,
    replace: bool = False,
) -> CrimeImport:
    """Import one police.uk street-level CSV at once (the command and the demo; the page
    checks first and imports once confirmed, through an ImportJob).

    Counts per 2021 LSOA, month and crime type. A file for another area is refused; a month
    already stored is replaced (never doubled) only with `replace`, and what it replaced is
    kept so that the import can be undone. Skipped rows are reported by reason: no LSOA,
    outside the partnership, bad month, no crime type. ASB rows (empty Crime ID) are counted
    and noted.
    """
    _require(actor, permissions.can_import_area_data, partnership, "You cannot import area data.")
    plan = crime_file_plan(partnership=partnership, content=content)
    now = timezone.now()
    job = ImportJob.objects.create(
        partnership=partnership,
        created_by=actor if actor is not None and actor.pk else None,
        kind=ImportJob.Kind.POLICE_UK,
        file_name=file_name[:255],
        content=b"",
        status=ImportJob.Status.RUNNING,
        preview=plan.as_preview(),
        replace_confirmed=replace,
        confirmed_by=actor if actor is not None and actor.pk else None,
        confirmed_at=now,
    )
    record = _plan_apply(actor=actor, plan=plan, job=job, replace=replace)
    job.crime_import = record
    job.status = ImportJob.Status.SUCCEEDED
    job.total_rows = job.processed_rows = plan.rows_read
    job.imported_rows = plan.rows_counted
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "crime_import",
            "status",
            "total_rows",
            "processed_rows",
            "imported_rows",
            "finished_at",
        ]
    )
    return record
