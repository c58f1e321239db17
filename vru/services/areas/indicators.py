"""Area indicators from a file: checked first (what would be stored, skipped and replaced),
written once confirmed, with what they replaced kept so that the import can be undone.

The job's life (check, confirmation, cancel, undo) is the one every reviewed import shares
(`vru.services.areas.crime_jobs`); this module holds what is particular to indicators.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vru import permissions
from vru.models import (
    LSOA,
    AreaIndicator,
    AuditEvent,
    Factor,
    ImportJob,
    ImportSnapshot,
    Partnership,
    User,
)
from vru.services.areas._common import _require
from vru.services.audit import audit_record

REPEATED = "Repeated in the file (the later row is kept)"
REQUIRED = {"lsoa_code", "factor", "period_start", "value"}
# the check records its progress on the job every this many rows
PROGRESS_EVERY = 2_000


@dataclass
class IndicatorImportOutcome:
    total_rows: int
    imported_rows: int = 0
    errors: list[dict] = field(default_factory=list)


def _parse_period_start(raw: str, period: str) -> date:
    raw = raw.strip()
    if period == AreaIndicator.Period.YEAR and len(raw) == 4 and raw.isdigit():
        return date(int(raw), 1, 1)
    if len(raw) == 7:
        return date(int(raw[:4]), int(raw[5:7]), 1)
    return date.fromisoformat(raw)


def _period_label(period: str, start: date) -> str:
    return f"{start:%Y}" if period == AreaIndicator.Period.YEAR else f"{start:%B %Y}"


# a stored value's key: (LSOA id, factor id, period, period start)
Key = tuple[int, int, str, date]


@dataclass
class IndicatorPlan:
    """What an indicator file would change, found without writing anything."""

    partnership: Partnership
    rows_read: int
    values: dict[Key, tuple[float, str]] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    groups: list[dict] = field(default_factory=list)

    @property
    def replaced(self) -> list[dict]:
        return [g for g in self.groups if g["replaced"]]

    def as_preview(self) -> dict:
        return {
            "rows_read": self.rows_read,
            "rows_stored": len(self.values),
            "skipped": dict(self.skipped),
            "errors": len(self.errors),
            "groups": self.groups,
            "replaced": sum(g["replaced"] for g in self.groups),
        }


def indicator_file_plan(
    *,
    partnership: Partnership,
    dataset: tablib.Dataset,
    progress: Callable[[int, int], None] | None = None,
) -> IndicatorPlan:
    """Read indicator rows (lsoa_code, factor, period, period_start, value, source) and work
    out what importing them would do, per factor and period: values added, values replaced
    (stored, and different) and values unchanged. Any bad row is an error (listed with its
    row and column): such a file imports nothing. Writes nothing. `progress(rows done,
    rows)` is called as it goes."""
    headers = [str(h or "").strip().lower() for h in dataset.headers or []]
    plan = IndicatorPlan(partnership=partnership, rows_read=len(dataset))
    missing = REQUIRED - set(headers)
    if missing:
        plan.errors.append(
            {"row": 1, "column": ", ".join(sorted(missing)), "message": "Missing column."}
        )
        return plan
    lsoas = dict(LSOA.objects.filter(partnership=partnership).values_list("code", "pk"))
    factors = {f.key: f for f in Factor.objects.filter(partnership=partnership)}
    for number, values in enumerate(dataset, start=2):
        if progress is not None and (number - 1) % PROGRESS_EVERY == 0:
            progress(number - 1, plan.rows_read)
        row = dict(
            zip(headers, [str(v if v is not None else "").strip() for v in values], strict=False)
        )
        code, key = row["lsoa_code"].upper(), row["factor"]
        period = (row.get("period") or AreaIndicator.Period.YEAR).lower()
        error = None
        if code not in lsoas:
            error = ("lsoa_code", f"{code or 'Blank'} is not an LSOA of this partnership.")
        elif key not in factors:
            error = ("factor", f"No factor “{key}”.")
        elif period not in AreaIndicator.Period.values:
            error = ("period", "Enter year or month.")
        if error is None:
            try:
                start = _parse_period_start(row["period_start"], period)
            except ValueError:
                error = ("period_start", "Enter YYYY, YYYY-MM or a date YYYY-MM-DD.")
        if error is None:
            try:
                value = float(Decimal(row["value"]))
                if not math.isfinite(value):
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                error = ("value", "Enter a number.")
        if error is not None:
            plan.errors.append({"row": number, "column": error[0], "message": error[1]})
            continue
        stored_key = (lsoas[code], factors[key].pk, period, start)
        if stored_key in plan.values:
            plan.skipped[REPEATED] += 1
        plan.values[stored_key] = (value, row.get("source", "")[:300])
    if not plan.errors:
        plan.groups = _groups(plan, {f.pk: f for f in factors.values()})
    return plan


def _stored(partnership_id: int, keys) -> dict[Key, tuple[float, str]]:
    """The values stored now at these keys (one query per factor and period)."""
    by_group: dict[tuple, set[int]] = defaultdict(set)
    for lsoa_id, factor_id, period, start in keys:
        by_group[(factor_id, period, start)].add(lsoa_id)
    stored = {}
    for (factor_id, period, start), lsoa_ids in by_group.items():
        for lsoa_id, value, source in AreaIndicator.objects.filter(
            partnership_id=partnership_id,
            factor_id=factor_id,
            period=period,
            period_start=start,
            lsoa_id__in=lsoa_ids,
        ).values_list("lsoa_id", "value", "source"):
            stored[(lsoa_id, factor_id, period, start)] = (value, source)
    return stored


def _groups(plan: IndicatorPlan, factors: dict[int, Factor]) -> list[dict]:
    stored = _stored(plan.partnership.pk, plan.values)
    counts: dict[tuple, Counter] = defaultdict(Counter)
    for key, new in plan.values.items():
        before = stored.get(key)
        what = "added" if before is None else "unchanged" if before == new else "replaced"
        counts[key[1:]][what] += 1
    groups = []
    for (factor_id, period, start), n in sorted(
        counts.items(), key=lambda item: (factors[item[0][0]].key, item[0][1], item[0][2])
    ):
        factor = factors[factor_id]
        groups.append(
            {
                "factor": factor.key,
                "factor_name": factor.name,
                "period": period,
                "period_start": start.isoformat(),
                "label": f"{factor.name}, {_period_label(period, start)}",
                "added": n["added"],
                "replaced": n["replaced"],
                "unchanged": n["unchanged"],
            }
        )
    return groups


def replace_unconfirmed_message(groups: list[dict]) -> str:
    """The refusal when stored values would be replaced without a confirmation."""
    values = sum(g["replaced"] for g in groups)
    return (
        f"This file replaces {values:,} stored indicator value{'s' if values != 1 else ''} ("
        + "; ".join(g["label"] for g in groups)
        + "): confirm that it replaces them."
    )


def _snapshot_rows(partnership_id: int, keys) -> list[list]:
    return [
        [lsoa_id, factor_id, period, start.isoformat(), value, source]
        for (lsoa_id, factor_id, period, start), (value, source) in sorted(
            _stored(partnership_id, keys).items()
        )
    ]


def _write(partnership: Partnership, values: dict[Key, tuple[float, str]]) -> None:
    AreaIndicator.objects.bulk_create(
        [
            AreaIndicator(
                partnership=partnership,
                lsoa_id=lsoa_id,
                factor_id=factor_id,
                period=period,
                period_start=start,
                value=value,
                source=source,
            )
            for (lsoa_id, factor_id, period, start), (value, source) in values.items()
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["lsoa", "factor", "period", "period_start"],
        update_fields=["value", "source"],
    )


def indicator_plan_apply(
    *, actor: User | None, plan: IndicatorPlan, job: ImportJob, replace: bool
) -> int:
    """Write a checked plan: refused with any bad row, and when it replaces stored values
    unless `replace`; the values at every key it writes are kept in the job's snapshot first.
    Call inside a transaction. Returns the number of values written."""
    if plan.errors:
        raise ValidationError(
            f"{len(plan.errors)} row{'s' if len(plan.errors) != 1 else ''} had errors: "
            "nothing was imported.",
            code="row_errors",
        )
    replaced = plan.replaced
    if replaced and not replace:
        raise ValidationError(replace_unconfirmed_message(replaced), code="replace_unconfirmed")
    partnership = plan.partnership
    ImportSnapshot.objects.create(
        job=job,
        scope={
            "keys": [[k[0], k[1], k[2], k[3].isoformat()] for k in sorted(plan.values)],
            "groups": [g["label"] for g in plan.groups],
        },
        rows=_snapshot_rows(partnership.pk, plan.values),
    )
    _write(partnership, plan.values)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        verb="indicators.imported",
        target=job,
        partnership=partnership,
        changes={
            "file": job.file_name,
            "rows": len(plan.values),
            "rows_read": plan.rows_read,
            "skipped": dict(plan.skipped),
            "replaced": [{"indicator": g["label"], "values": g["replaced"]} for g in plan.replaced],
            "import_job": job.pk,
        },
    )
    return len(plan.values)


def snapshot_keys(snapshot: ImportSnapshot) -> set[Key]:
    return {
        (lsoa_id, factor_id, period, date.fromisoformat(start))
        for lsoa_id, factor_id, period, start in snapshot.scope.get("keys", [])
    }


def overlap_labels(snapshot: ImportSnapshot, later: ImportSnapshot) -> list[str]:
    """The factors and periods a later import wrote again (by their labels)."""
    again = {key[1:] for key in snapshot_keys(snapshot) & snapshot_keys(later)}
    if not again:
        return []
    factors = dict(Factor.objects.filter(pk__in={g[0] for g in again}).values_list("pk", "name"))
    return sorted(
        f"{factors.get(factor_id, 'A removed factor')}, {_period_label(period, start)}"
        for factor_id, period, start in again
    )


def indicator_snapshot_restore(snapshot: ImportSnapshot) -> dict:
    """Put back exactly the values an import replaced: the values at its keys now are kept in
    `rows_removed_on_restore`, removed, and the snapshot's rows written back (for LSOAs and
    factors that still exist). Returns what the audit records. Call inside a transaction."""
    partnership_id = snapshot.job.partnership_id
    keys = snapshot_keys(snapshot)
    snapshot.rows_removed_on_restore = _snapshot_rows(partnership_id, keys)
    snapshot.save(update_fields=["rows_removed_on_restore"])
    by_group: dict[tuple, set[int]] = defaultdict(set)
    for lsoa_id, factor_id, period, start in keys:
        by_group[(factor_id, period, start)].add(lsoa_id)
    for (factor_id, period, start), lsoa_ids in by_group.items():
        AreaIndicator.objects.filter(
            partnership_id=partnership_id,
            factor_id=factor_id,
            period=period,
            period_start=start,
            lsoa_id__in=lsoa_ids,
        ).delete()
    lsoas = set(
        LSOA.objects.filter(
            partnership_id=partnership_id, pk__in={row[0] for row in snapshot.rows}
        ).values_list("pk", flat=True)
    )
    factors = set(
        Factor.objects.filter(
            partnership_id=partnership_id, pk__in={row[1] for row in snapshot.rows}
        ).values_list("pk", flat=True)
    )
    back = {
        (lsoa_id, factor_id, period, date.fromisoformat(start)): (value, source)
        for lsoa_id, factor_id, period, start, value, source in snapshot.rows
        if lsoa_id in lsoas and factor_id in factors
    }
    _write(snapshot.job.partnership, back)
    return {
        "indicators": snapshot.scope.get("groups", []),
        "values_put_back": len(back),
        "values_removed": len(snapshot.rows_removed_on_restore),
    }


@transaction.atomic
def indicators_import(
    *,
    actor: User | None,
    partnership: Partnership,
    dataset: tablib.Dataset,
    file_name: str = "",
    replace: bool = False,
) -> IndicatorImportOutcome:
    """Import indicator rows at once (the command and the demo; the page checks first and
    imports once confirmed, through an ImportJob).

    All or nothing: any row error saves nothing. Stored values that would change are replaced
    only with `replace` (otherwise the outcome says which), and what they held is kept so the
    import can be undone from its page. Re-importing the same rows changes nothing.
    """
    _require(actor, permissions.can_import_area_data, partnership, "You cannot import area data.")
    plan = indicator_file_plan(partnership=partnership, dataset=dataset)
    outcome = IndicatorImportOutcome(total_rows=plan.rows_read, errors=list(plan.errors))
    if outcome.errors:
        return outcome
    if plan.replaced and not replace:
        outcome.errors = [
            {"row": 1, "column": "", "message": replace_unconfirmed_message(plan.replaced)}
        ]
        return outcome
    if not any(g["added"] or g["replaced"] for g in plan.groups):
        return outcome  # nothing would change: no job, no trace
    someone = actor if actor is not None and actor.pk else None
    now = timezone.now()
    job = ImportJob.objects.create(
        partnership=partnership,
        created_by=someone,
        kind=ImportJob.Kind.AREA_INDICATORS,
        file_name=(file_name or "indicators")[:255],
        content=b"",
        status=ImportJob.Status.RUNNING,
        preview=plan.as_preview(),
        replace_confirmed=bool(plan.replaced),
        confirmed_by=someone,
        confirmed_at=now,
    )
    outcome.imported_rows = indicator_plan_apply(actor=actor, plan=plan, job=job, replace=replace)
    job.status = ImportJob.Status.SUCCEEDED
    job.total_rows = job.processed_rows = plan.rows_read
    job.imported_rows = outcome.imported_rows
    job.finished_at = timezone.now()
    job.save(
        update_fields=["status", "total_rows", "processed_rows", "imported_rows", "finished_at"]
    )
    return outcome
