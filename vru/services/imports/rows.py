"""What an import found, row by row, and the rules every import shares about its rows: the
file for another area, rows left out by reason, the fingerprint of a check, and what an undo
would delete."""

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection, models

from vru.models import Partnership


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


def unquoted(message: str) -> str:
    """A row error's reason without the cell it quotes (“…” in its place): what may be kept
    or recorded after the row errors themselves are cleared (a cell may be a name)."""
    return re.sub(r"“[^”]*”", "“…”", message)


def skipped_by_reason(errors: Iterable[RowError]) -> dict[str, int]:
    """Rows left out, by reason, most frequent first: a row counts once for each reason, and a
    reason does not say what the row held (quoted values and row numbers vary)."""
    reasons: dict[int, set[str]] = {}
    for error in errors:
        reason = re.sub(r"\brow \d+", "an earlier row", unquoted(error.message))
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
