"""The ONS postcode directory (NSPL or ONSPD, a public CSV of every UK postcode with its
neighbourhood), kept for the postcodes in the neighbourhoods the product holds, so that the
place picker can take a postcode. All or nothing: a file with a missing column or a badly
formed postcode changes nothing and says which row and column."""

import csv
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from vru.models import LSOA, AuditEvent, Postcode, User
from vru.services.audit import audit_record
from vru.validators import POSTCODE, postcode_key

# What the directory's editions call their columns: the postcode, and the 2021 (or, in
# older editions, 2011) neighbourhood
POSTCODE_COLUMNS = ("pcds", "pcd", "pcd2", "postcode")
LSOA_COLUMNS = ("lsoa21cd", "lsoa21", "lsoa11cd", "lsoa11")
BATCH = 5_000


def _column(header: list[str], names: Iterable[str]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((lowered.index(n) for n in names if n in lowered), None)


@transaction.atomic
def postcodes_import(*, actor: User | None, lines: Iterable[str]) -> dict:
    """Replace the directory with the file's postcodes that lie in a held neighbourhood
    (by 2021 code, or by 2011 code for older editions). Returns counts for the audit."""
    rows = csv.reader(lines)
    header = next(rows, None)
    if not header:
        raise ValidationError("Row 1: the file is empty; expected a header row.")
    postcode_at, lsoa_at = _column(header, POSTCODE_COLUMNS), _column(header, LSOA_COLUMNS)
    missing = [
        f"a postcode column ({', '.join(POSTCODE_COLUMNS)})" if postcode_at is None else "",
        f"a neighbourhood column ({', '.join(LSOA_COLUMNS)})" if lsoa_at is None else "",
    ]
    if any(missing):
        raise ValidationError(
            f"Row 1: the header has no {' and no '.join(m for m in missing if m)}."
        )
    by_code = dict(LSOA.objects.values_list("code", "pk"))
    by_code_2011 = dict(LSOA.objects.exclude(lsoa11_code="").values_list("lsoa11_code", "pk"))
    kept: dict[str, int] = {}
    read = 0
    for number, row in enumerate(rows, start=2):
        if len(row) <= max(postcode_at, lsoa_at):
            raise ValidationError(f"Row {number}: too few columns.")
        read += 1
        code = row[lsoa_at].strip().upper()
        lsoa_id = by_code.get(code) or by_code_2011.get(code)
        if lsoa_id is None:
            continue  # outside every partnership: not kept
        postcode = postcode_key(row[postcode_at])
        if not POSTCODE.match(postcode):
            raise ValidationError(
                f"Row {number}, column {header[postcode_at]}: ‘{row[postcode_at]}’ is not a "
                "postcode."
            )
        kept[postcode] = lsoa_id
    removed, _ = Postcode.objects.all().delete()
    items = list(kept.items())
    for start in range(0, len(items), BATCH):
        Postcode.objects.bulk_create(
            [Postcode(postcode=p, lsoa_id=lsoa) for p, lsoa in items[start : start + BATCH]]
        )
    result = {"read": read, "kept": len(kept), "replaced": removed}
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        verb="postcodes.imported",
        target=None,
        partnership=None,
        changes=result,
    )
    return result


def postcodes_import_file(*, actor: User | None, path: str) -> dict:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return postcodes_import(actor=actor, lines=handle)
