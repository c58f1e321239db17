"""The police.uk street-level import.

**2011 -> 2021 LSOA codes (police.uk).** police.uk files carry 2011 LSOA codes. Each 2021
LSOA records its 2011 parent (`LSOA.lsoa11_code`, from the ONS exact-fit lookup). An
unchanged LSOA maps to itself. A 2011 LSOA that was **split** into several 2021 LSOAs has its
count per month and crime type **apportioned by the children's population share** (mid-2022),
with whole crimes handed out by the largest-remainder method (ties to the lower code), so the
partnership total is never inflated and every count stays a whole number. The lookup for our
17 authorities has no merges (M) or irregular (X) changes; a 2011 code we cannot map is
skipped as "outside the partnership".
"""

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from vru import permissions
from vru.models import (
    LSOA,
    AuditEvent,
    CrimeCount,
    CrimeImport,
    Partnership,
    User,
)
from vru.services import imports
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


@transaction.atomic
def crime_file_import(
    *, actor: User | None, partnership: Partnership, file_name: str, content: bytes
) -> CrimeImport:
    """Import one police.uk street-level CSV: counts per 2021 LSOA, month and crime type.

    Every month in the file replaces what was stored for that month (never doubles it).
    Skipped rows are reported by reason: no LSOA, outside the partnership, bad month,
    no crime type. ASB rows (empty Crime ID) are counted and noted.
    """
    _require(actor, permissions.can_import_area_data, partnership, "You cannot import area data.")
    rows = imports.csv_rows(imports.decode_csv(content))
    reader = iter(rows)
    header = next(reader, None)
    if header is None or [h.strip() for h in header[: len(POLICE_UK_COLUMNS)]] != POLICE_UK_COLUMNS:
        raise ValidationError(
            "This is not a police.uk street-level crime file: the columns should be "
            + ", ".join(POLICE_UK_COLUMNS)
            + ".",
            code="columns",
        )
    imports.check_cells(header=header, rows=rows[1:])
    i_id, i_month, i_lsoa, i_type = 0, 1, 7, 9
    children: dict[str, dict[str, int | None]] = defaultdict(dict)
    pk_by_code: dict[str, int] = {}
    for pk, code, lsoa11, population in LSOA.objects.filter(partnership=partnership).values_list(
        "pk", "code", "lsoa11_code", "population"
    ):
        children[lsoa11 or code][code] = population
        pk_by_code[code] = pk
    raw_counts: Counter = Counter()
    skipped: Counter = Counter()
    notes: Counter = Counter()
    rows_read = 0
    for row in reader:
        if not row or not any(row):
            continue
        rows_read += 1
        if len(row) < 10:
            skipped["malformed row"] += 1
            continue
        month = _month(row[i_month])
        if month is None:
            skipped["no valid month"] += 1
            continue
        code = row[i_lsoa].strip()
        if not code:
            skipped["no LSOA (no location)"] += 1
            continue
        if code not in children:
            skipped["LSOA outside the partnership"] += 1
            continue
        crime_type = row[i_type].strip()
        if not crime_type:
            skipped["no crime type"] += 1
            continue
        if not row[i_id].strip():
            notes["counted without a Crime ID (anti-social behaviour)"] += 1
        if len(children[code]) > 1:
            notes["apportioned from a split 2011 LSOA"] += 1
        raw_counts[(code, month, crime_type)] += 1
    counts: Counter = Counter()
    for (code11, month, crime_type), n in raw_counts.items():
        kids = children[code11]
        if len(kids) == 1:
            counts[(next(iter(kids)), month, crime_type)] += n
        else:
            for child, share in apportion(n, kids).items():
                if share:
                    counts[(child, month, crime_type)] += share
    months = sorted({month for _, month, _ in raw_counts})
    CrimeCount.objects.filter(partnership=partnership, month__in=months).delete()
    copied = copy_rows(
        CrimeCount,
        ["partnership_id", "lsoa_id", "month", "crime_type", "count"],
        (
            (partnership.pk, pk_by_code[code], month, crime_type, n)
            for (code, month, crime_type), n in counts.items()
        ),
    )
    if not copied:
        CrimeCount.objects.bulk_create(
            [
                CrimeCount(
                    partnership=partnership,
                    lsoa_id=pk_by_code[code],
                    month=month,
                    crime_type=crime_type,
                    count=n,
                )
                for (code, month, crime_type), n in counts.items()
            ],
            batch_size=5000,
        )
    record = CrimeImport.objects.create(
        partnership=partnership,
        file_name=file_name[:255],
        months=[m.isoformat() for m in months],
        rows_read=rows_read,
        rows_counted=sum(raw_counts.values()),
        skipped=dict(skipped),
        notes=dict(notes),
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
            "rows_read": rows_read,
            "rows_counted": record.rows_counted,
            "skipped": dict(skipped),
        },
    )
    return record
