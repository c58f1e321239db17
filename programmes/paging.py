"""Seek (keyset) pagination for big lists, with a capped count.

A page is "the next 50 rows after this one" (a WHERE on the ordering's columns, served by an
index), never OFFSET n, and the count stops at COUNT_CAP: a COUNT(*) over a million referrals
costs more than the whole page (docs/performance.md). Pages link to the next and the previous
page by an opaque cursor holding the ordering values of the last (or first) row shown.

The ordering is a list of (field, descending) pairs whose last field is unique ("id"), so
every row has exactly one place. The fields must be non-null and present in the rows
(rows are dicts from `.values()`).
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

COUNT_CAP = 1000
Ordering = list[tuple[str, bool]]


@dataclass
class SeekPage:
    object_list: list[dict]
    count: int  # exact below COUNT_CAP, else COUNT_CAP
    count_capped: bool
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def count_shown(self) -> str:
        return f"{self.count:,}+" if self.count_capped else f"{self.count:,}"

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.previous_cursor)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def _encode(direction: str, values: list) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    raw = json.dumps([direction, *plain], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, size: int) -> tuple[str, list] | None:
    """(direction, values) of a cursor, or None for anything malformed (first page)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        direction, *values = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        return None
    if direction not in {"n", "p"} or len(values) != size:
        return None
    if not all(isinstance(v, str | int | bool) for v in values):
        return None
    return direction, values


def _beyond(ordering: Ordering, values: list, *, forward: bool) -> Q:
    """Rows strictly after (forward) or before the row with these ordering values."""
    q = Q(pk__in=[])
    equal = Q()
    for (field, descending), value in zip(ordering, values, strict=True):
        lookup = "gt" if forward != descending else "lt"
        q |= equal & Q(**{f"{field}__{lookup}": value})
        equal &= Q(**{field: value})
    return q


def _order_by(ordering: Ordering, *, forward: bool) -> list[str]:
    return [("-" if descending == forward else "") + field for field, descending in ordering]


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP) -> int:
    """COUNT(*) over at most cap + 1 rows (a LIMITed subquery: cheap on any size)."""
    return queryset.order_by().values("pk")[: cap + 1].count()


_TOTAL = "_seek_capped_total"


def _capped_count_expression(queryset: QuerySet, cap: int = COUNT_CAP) -> RawSQL | Value:
    """capped_count as an expression for another query's SELECT list."""
    try:
        sql, params = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
    except EmptyResultSet:  # e.g. none(), or a scope of no programmes: nothing to count
        return Value(0, output_field=IntegerField())
    # Django's own SQL for the queryset, its values still parameters: nothing typed
    return RawSQL(  # noqa: S611
        f"SELECT COUNT(*) FROM ({sql}) AS capped",  # noqa: S608
        params,
        output_field=IntegerField(),
    )


def seek_page(
    queryset: QuerySet,
    *,
    ordering: Ordering,
    cursor: str | None,
    size: int,
    count_queryset: QuerySet | None = None,
) -> SeekPage:
    """One page of a `.values()` queryset in `ordering`, after or before `cursor`.

    Queries: one, the page (size + 1 rows, to know whether there is more) with a capped
    count of `count_queryset` when given (the same rows without the list's joins: cheaper)
    in its SELECT list; a second only to count for a page past the end."""
    decoded = _decode(cursor, len(ordering)) if cursor else None
    forward = decoded is None or decoded[0] == "n"
    rows_qs = queryset
    if decoded is not None:
        rows_qs = rows_qs.filter(_beyond(ordering, decoded[1], forward=forward))
    if count_queryset is not None:
        # the capped count rides along with the page, as an uncorrelated scalar subquery
        # (PostgreSQL and SQLite run it once): one query instead of two
        rows_qs = rows_qs.annotate(**{_TOTAL: _capped_count_expression(count_queryset)})
    rows = list(rows_qs.order_by(*_order_by(ordering, forward=forward))[: size + 1])
    total = None
    if count_queryset is not None and rows:
        total = rows[0][_TOTAL]
        for row in rows:
            del row[_TOTAL]
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    key = [field for field, _ in ordering]

    def at(row):
        return [row[f] for f in key]

    has_next = more if forward else decoded is not None
    has_previous = (decoded is not None) if forward else more
    if count_queryset is None:
        total = 0
    elif total is None:
        # an empty page: a count of its own (an empty first page counts nothing)
        total = capped_count(count_queryset) if decoded is not None else 0
    return SeekPage(
        object_list=rows,
        count=min(total, COUNT_CAP),
        count_capped=total > COUNT_CAP,
        next_cursor=_encode("n", at(rows[-1])) if rows and has_next else None,
        previous_cursor=_encode("p", at(rows[0])) if rows and has_previous else None,
    )
