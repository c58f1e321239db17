"""The ONS postcode directory (NSPL or ONSPD, a public CSV of every UK postcode with its
neighbourhood), kept for the postcodes in the neighbourhoods the product holds, so that the
place picker can take a postcode. All or nothing: a file with a missing column or a badly
formed postcode changes nothing and says which row, column and why.

One rule for both doors: `manage.py import_postcodes` (every partnership's neighbourhoods, or
one's) and the reviewed upload page (its partnership's: vru.services.postcode_jobs) read the
file with `postcode_directory_plan` and write it with `postcode_plan_apply`."""

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from vru.models import LSOA, AuditEvent, ImportJob, ImportSnapshot, Partnership, Postcode, User
from vru.services.audit import audit_record
from vru.services.imports.rows import in_chunks
from vru.validators import POSTCODE, postcode_key

# What the directory's editions call their columns: the postcode, and the 2021 (or, in
# older editions, 2011) neighbourhood
POSTCODE_COLUMNS = ("pcds", "pcd", "pcd2", "postcode")
LSOA_COLUMNS = ("lsoa21cd", "lsoa21", "lsoa11cd", "lsoa11")
BATCH = 5_000
PROGRESS_EVERY = 50_000
MAX_LISTED_ERRORS = 1_000  # a file with more bad rows lists the first ones and counts all


@dataclass
class PostcodePlan:
    """What a directory file holds for the neighbourhoods in scope; writes nothing."""

    read: int = 0
    kept: dict[str, int] = field(default_factory=dict)  # postcode -> LSOA id
    errors: list[dict] = field(default_factory=list)  # row, column, message (the first ones)
    error_rows: int = 0  # every bad row, listed or not
    outside: int = 0  # rows of neighbourhoods out of scope

    def refuse(self, number: int, column: str, message: str) -> None:
        self.error_rows += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append({"row": number, "column": column, "message": message})

    def messages(self) -> list[str]:
        return [
            f"Row {e['row']}, column {e['column']}: {e['message']}"
            if e["column"]
            else f"Row {e['row']}: {e['message']}"
            for e in self.errors
        ]


def _column(header: list[str], names: Iterable[str]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((lowered.index(n) for n in names if n in lowered), None)


def _lsoas(partnership: Partnership | None) -> QuerySet[LSOA]:
    return LSOA.objects.filter(partnership=partnership) if partnership else LSOA.objects.all()


def postcodes_in_scope(partnership: Partnership | None) -> QuerySet[Postcode]:
    """The stored postcodes an import for `partnership` (None: every one) replaces."""
    return (
        Postcode.objects.filter(lsoa__in=_lsoas(partnership))
        if partnership
        else Postcode.objects.all()
    )


def postcode_directory_plan(
    *,
    rows: Iterable[list[str]],
    partnership: Partnership | None,
    progress: Callable[[int], None] | None = None,
) -> PostcodePlan:
    """Read the directory's rows (the header first): keep the postcodes that lie in a
    neighbourhood of `partnership` (None: of any partnership), by 2021 code or, for older
    editions, by 2011 code; list every bad row by row, column and reason. Rows of other
    neighbourhoods are read and left out, unchecked: the directory covers the whole UK."""
    plan = PostcodePlan()
    rows = iter(rows)
    header = next(rows, None)
    if not header:
        plan.refuse(1, "", "the file is empty; expected a header row.")
        return plan
    postcode_at, lsoa_at = _column(header, POSTCODE_COLUMNS), _column(header, LSOA_COLUMNS)
    missing = [
        f"a postcode column ({', '.join(POSTCODE_COLUMNS)})" if postcode_at is None else "",
        f"a neighbourhood column ({', '.join(LSOA_COLUMNS)})" if lsoa_at is None else "",
    ]
    if any(missing):
        message = f"the header has no {' and no '.join(m for m in missing if m)}."
        plan.refuse(1, "", message)
        return plan
    lsoas = _lsoas(partnership)
    by_code = dict(lsoas.values_list("code", "pk"))
    by_code_2011 = dict(lsoas.exclude(lsoa11_code="").values_list("lsoa11_code", "pk"))
    for number, row in enumerate(rows, start=2):
        plan.read += 1
        if progress and plan.read % PROGRESS_EVERY == 0:
            progress(plan.read)
        if len(row) <= max(postcode_at, lsoa_at):
            plan.refuse(number, "", "too few columns.")
            continue
        code = row[lsoa_at].strip().upper()
        lsoa_id = by_code.get(code) or by_code_2011.get(code)
        if lsoa_id is None:
            plan.outside += 1  # outside the neighbourhoods in scope: not kept
            continue
        postcode = postcode_key(row[postcode_at])
        if not POSTCODE.match(postcode):
            plan.refuse(number, header[postcode_at], f"‘{row[postcode_at]}’ is not a postcode.")
            continue
        plan.kept[postcode] = lsoa_id
    return plan


def postcode_plan_apply(
    *,
    actor: User | None,
    plan: PostcodePlan,
    partnership: Partnership | None,
    job: ImportJob | None = None,
) -> dict:
    """Replace the stored postcodes in scope with the plan's (a postcode stored in another
    neighbourhood moves). With a job, keep what was replaced so that the import can be undone.
    Call inside a transaction; returns counts for the audit."""
    if plan.errors:
        raise ValidationError(plan.messages())
    in_scope = postcodes_in_scope(partnership)
    removed = list(in_scope.values_list("postcode", "lsoa_id"))
    items = list(plan.kept.items())
    if partnership is not None:
        # a postcode the file puts here that is stored in another partnership's neighbourhood
        for chunk in in_chunks(list(plan.kept)):
            elsewhere = Postcode.objects.filter(postcode__in=chunk).exclude(
                lsoa__partnership=partnership
            )
            removed += list(elsewhere.values_list("postcode", "lsoa_id"))
            elsewhere.delete()
    in_scope.delete()
    for start in range(0, len(items), BATCH):
        Postcode.objects.bulk_create(
            [Postcode(postcode=p, lsoa_id=lsoa) for p, lsoa in items[start : start + BATCH]]
        )
    result = {"read": plan.read, "kept": len(plan.kept), "replaced": len(removed)}
    if job is not None:
        ImportSnapshot.objects.create(
            job=job, scope={"written": len(items)}, rows=[list(row) for row in removed]
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        verb="postcodes.imported",
        target=job,
        partnership=partnership,
        changes=result,
    )
    return result


@transaction.atomic
def postcodes_import(
    *, actor: User | None, lines: Iterable[str], partnership: Partnership | None = None
) -> dict:
    """Replace the directory (of every partnership, or of `partnership`) with the file's
    postcodes that lie in a held neighbourhood. Raises ValidationError naming every bad row."""
    plan = postcode_directory_plan(rows=csv.reader(lines), partnership=partnership)
    return postcode_plan_apply(actor=actor, plan=plan, partnership=partnership)


def postcodes_import_file(
    *, actor: User | None, path: str, partnership: Partnership | None = None
) -> dict:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return postcodes_import(actor=actor, lines=handle, partnership=partnership)
