"""The disclosure control: how a count of people reaches anyone who may not see casework
(commissioners, partners, the public). Every door that shows such a count goes through here:
pages, dashboards, impact reports (web, PDF, CSV), the API, charts and the public
"you said, we did" page.

The method has three parts, applied in this order.

1. **Perturbation** (the cell key method of the Office for National Statistics, applied per
   record). Each record counted (a referral, an outcome, a listening response, a row of a
   session head-count) carries a fixed, secret adjustment of -1, 0 or +1, worked out from a
   keyed hash of its id: one record in five counts as 0, three in five as 1, one in five as
   2 (a head-count row as its count minus one, the count, or plus one). Every published
   count is the sum of these adjusted values over the records it covers, computed in the
   database. So the same records always give the same figure, every figure about the same
   records agrees, totals are the sums of what they total, and differences between any
   outputs (two scopes, two periods, a table and its total) are differences of adjusted
   values, never of true counts: since any record may count as 0, no combination of
   published figures can fix how many people a figure is about.
2. **Small numbers**: an adjusted count from 1 to ``VRU_SMALL_NUMBER_THRESHOLD`` - 1 is shown
   as "<5" (the threshold); zero is shown as 0. A percentage or rate beside a count is not
   shown when its part or the rest is hidden.
3. **Secondary suppression** in tables with totals: no row or column has exactly one hidden
   cell (another is shown as "[c]"), so a reader does not meet the adjusted small value
   by subtraction either (``protect_table``).

Charts draw a hidden value as a gap labelled "<5", never as a bar.

Staff who may see the records themselves see true counts; ``suppress`` says which is wanted.
"""

import hashlib
import hmac
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Expression,
    F,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Mod
from django.db.models.lookups import Exact, GreaterThanOrEqual, IsNull, LessThan

# The keyed hash of a record's id: (id * a + b) mod a prime, with a and b derived from the
# secret key per kind of record. Linear, so the database computes it with plain arithmetic
# on every backend; unknown without the key, and nobody outside casework sees ids.
MODULUS = 2_147_483_647
DOWN_BELOW = MODULUS // 5  # this share of records counts one less
UP_FROM = MODULUS - MODULUS // 5  # and this share one more

PRIMARY_MARK = "<{threshold}"
SECONDARY_MARK = "[c]"

METHOD = {
    "name": "cell key perturbation with small-number and secondary suppression",
    "source": "Office for National Statistics, Protecting personal data in Census 2021 "
    "results (the cell key method); Hundepool et al., Statistical Disclosure Control "
    "(Wiley, 2012), on primary and secondary suppression",
    "record_adjustment": [-1, 0, 1],
    "hidden_below": None,  # filled in by method() from the setting
}


def threshold() -> int:
    return settings.VRU_SMALL_NUMBER_THRESHOLD


def method() -> dict:
    """The method as the outputs state it (machine-readable, e.g. in a report's metadata)."""
    return {**METHOD, "hidden_below": threshold()}


def method_text() -> str:
    """The method in plain words, for every output that publishes counts of people."""
    t = threshold()
    return (
        "Counts of people are protected so that no figure, and no combination of figures, "
        "can be turned back into a young person's record. Each record counted is given a "
        "small fixed adjustment: most count as one person, some as none and some as two. "
        "Every figure adds up these adjusted values, so the same records always give the "
        "same figure and totals are the sums of what they total, but a figure can differ "
        f"from the exact count by a few. Figures from 1 to {t - 1} are then shown as "
        f'"<{t}", and where a table has totals one more figure may be shown as "[c]" so '
        f'that a "<{t}" cannot be worked out by subtraction. This is the cell key method '
        "used by the Office for National Statistics for the 2021 Census, with small-number "
        "suppression."
    )


# --- 1. Perturbation ---------------------------------------------------------------------


@cache
def _coefficients(kind: str) -> tuple[int, int]:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"vru.disclosure:{kind}".encode(), hashlib.sha256
    ).digest()
    a = int.from_bytes(digest[:8], "big") % (MODULUS - 1) + 1
    b = int.from_bytes(digest[8:16], "big") % MODULUS
    return a, b


def adjustment(kind: str, pk: int) -> int:
    """A record's fixed adjustment (-1, 0 or +1), as the database computes it."""
    a, b = _coefficients(kind)
    h = (pk * a + b) % MODULUS
    return -1 if h < DOWN_BELOW else 1 if h >= UP_FROM else 0


def _hash(kind: str, pk_field: str) -> Expression:
    a, b = _coefficients(kind)
    return Mod(
        F(pk_field) * Value(a, output_field=BigIntegerField()) + Value(b),
        Value(MODULUS),
        output_field=BigIntegerField(),
    )


def adjusted(kind: str, *, pk_field: str = "pk", count: str | Expression | None = None) -> Case:
    """One row's adjusted value: a record counts 0, 1 or 2; a head-count row (``count``, a
    field name or an expression) its count minus one, the count, or plus one (an empty row
    stays 0)."""
    h = _hash(kind, pk_field)
    if count is None:
        low, high, middle, empty = Value(0), Value(2), Value(1), []
    else:
        middle = F(count) if isinstance(count, str) else count
        low, high = middle - 1, middle + 1
        empty = [When(Exact(middle, 0), then=Value(0))]
    return Case(
        When(IsNull(F(pk_field), True), then=Value(0)),  # no row on the far side of a join
        *empty,
        When(LessThan(h, DOWN_BELOW), then=low),
        When(GreaterThanOrEqual(h, UP_FROM), then=high),
        default=middle,
        output_field=IntegerField(),
    )


def people(
    kind: str,
    *,
    pk_field: str = "pk",
    count: str | Expression | None = None,
    filter: Q | None = None,
    suppress: bool = True,
) -> Expression:
    """The published count of people over a queryset's rows (use in aggregate/annotate):
    each row adjusted as ``adjusted`` says, then summed in the database.

    ``suppress=False`` gives the true count, for staff who may see the records."""
    if suppress:
        value = adjusted(kind, pk_field=pk_field, count=count)
    elif count is None:
        return Count(pk_field, filter=filter)
    else:
        value = F(count) if isinstance(count, str) else count
    return Coalesce(Sum(value, filter=filter, output_field=IntegerField()), Value(0))


# --- 2. Small numbers --------------------------------------------------------------------


def is_small(count: int | None, limit: int | None = None) -> bool:
    return 0 < (count or 0) < (limit if limit is not None else threshold())


def is_hidden(count: int | None, *, suppress: bool = True) -> bool:
    """Whether a count of people (and every figure that would reveal it) is withheld."""
    return suppress and is_small(count)


def hidden_mark() -> str:
    return PRIMARY_MARK.format(threshold=threshold())


def shown_count(count: int | None, *, suppress: bool = True) -> str:
    """A count as shown: "<5" when hidden, else the number with thousands separators."""
    count = count or 0
    if is_hidden(count, suppress=suppress):
        return hidden_mark()
    return f"{count:,}"


def shown_percent(part: int, whole: int, *, suppress: bool = True) -> int | None:
    """``part`` as a whole-number percentage of ``whole``; None when there is nothing to
    divide or when, beside the counts, it would give a hidden part or rest away."""
    if not whole:
        return None
    if suppress and (is_small(part) or is_small(whole - part) or is_small(whole)):
        return None
    return round(100 * part / whole)


# --- 3. Tables with totals ---------------------------------------------------------------


@dataclass(frozen=True)
class ProtectedTable:
    """What may be published. ``cells[r][c]`` are the interior cells; ``row_totals[r]``,
    ``column_totals[c]`` and ``grand_total`` are present only when asked for. Each shown
    value is a string; ``hidden`` mirrors the grid with True where a value is withheld."""

    cells: list[list[str]]
    row_totals: list[str] | None
    column_totals: list[str] | None
    grand_total: str | None
    hidden: list[list[bool]]
    hidden_row_totals: list[bool] | None
    hidden_column_totals: list[bool] | None
    hidden_grand_total: bool | None

    @property
    def any_hidden(self) -> bool:
        return any(any(row) for row in self.hidden) or any(
            (self.hidden_row_totals or [])
            + (self.hidden_column_totals or [])
            + [bool(self.hidden_grand_total)]
        )


def protect_table(
    counts: list[list[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    limit: int | None = None,
) -> ProtectedTable:
    """Primary and secondary suppression of a rows x columns grid of (already adjusted)
    counts, with the totals it publishes computed from them.

    Primary: 1 to threshold - 1 is "<5", totals included. Secondary: in every row and column
    that has a published total, the number of hidden cells (the total counted as one of the
    line's cells) is never exactly one: while some line has exactly one, one more cell of it
    is hidden, the smallest non-zero count first, then a zero, then the line's total ("[c]")."""
    limit = limit if limit is not None else threshold()
    n_rows = len(counts)
    n_cols = len(counts[0]) if counts else 0
    if any(len(row) != n_cols for row in counts):
        raise ValueError("Every row must have the same number of cells.")
    if any(v < 0 for row in counts for v in row):
        raise ValueError("Counts cannot be negative.")

    width = n_cols + (1 if row_totals else 0)
    height = n_rows + (1 if column_totals else 0)
    grid = [[0] * width for _ in range(height)]
    for r in range(n_rows):
        for c in range(n_cols):
            grid[r][c] = counts[r][c]
        if row_totals:
            grid[r][n_cols] = sum(counts[r])
    if column_totals:
        for c in range(n_cols):
            grid[n_rows][c] = sum(counts[r][c] for r in range(n_rows))
        if row_totals:
            grid[n_rows][n_cols] = sum(sum(row) for row in counts)

    primary = {(r, c) for r in range(height) for c in range(width) if is_small(grid[r][c], limit)}
    hidden = set(primary)
    lines: list[list[tuple[int, int]]] = []
    if row_totals and n_cols:
        lines += [[(r, c) for c in range(width)] for r in range(height)]
    if column_totals and n_rows:
        lines += [[(r, c) for r in range(height)] for c in range(width)]

    def is_total(cell: tuple[int, int]) -> bool:
        r, c = cell
        return (row_totals and c == n_cols) or (column_totals and r == n_rows)

    def preference(cell: tuple[int, int]) -> tuple[int, int, int, int]:
        value = grid[cell[0]][cell[1]]
        return (
            1 if is_total(cell) else 0,
            1 if value == 0 else 0,
            value,
            cell[0] * width + cell[1],
        )

    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(cell in hidden for cell in line) == 1:
                candidates = [cell for cell in line if cell not in hidden]
                hidden.add(min(candidates, key=preference))
                changed = True

    def shown(cell: tuple[int, int]) -> str:
        if cell in primary:
            return PRIMARY_MARK.format(threshold=limit)
        if cell in hidden:
            return SECONDARY_MARK
        return f"{grid[cell[0]][cell[1]]:,}"

    return ProtectedTable(
        cells=[[shown((r, c)) for c in range(n_cols)] for r in range(n_rows)],
        row_totals=[shown((r, n_cols)) for r in range(n_rows)] if row_totals else None,
        column_totals=[shown((n_rows, c)) for c in range(n_cols)] if column_totals else None,
        grand_total=shown((n_rows, n_cols)) if row_totals and column_totals else None,
        hidden=[[(r, c) in hidden for c in range(n_cols)] for r in range(n_rows)],
        hidden_row_totals=[(r, n_cols) in hidden for r in range(n_rows)] if row_totals else None,
        hidden_column_totals=[(n_rows, c) in hidden for c in range(n_cols)]
        if column_totals
        else None,
        hidden_grand_total=(n_rows, n_cols) in hidden if row_totals and column_totals else None,
    )


def protect_list(counts: list[int], *, total: bool = True) -> ProtectedTable:
    """A one-column table (e.g. referrals by programme) with its total underneath."""
    return protect_table([[v] for v in counts], row_totals=False, column_totals=total)


def protect_breakdown(counts: list[int], *, suppress: bool = True) -> list[str]:
    """Cells that add up to a total shown beside them (a dashboard's breakdown)."""
    if not suppress:
        return [f"{n:,}" for n in counts]
    table = protect_table([[n] for n in counts], row_totals=False, column_totals=True)
    return [row[0] for row in table.cells]


def protect_lines(
    counts: dict[str, int],
    lines: list[list[str]],
    *,
    totals=(),
    hide_first=(),
    limit: int | None = None,
) -> dict[str, str]:
    """Primary and secondary suppression of named (already adjusted) counts that add up along
    ``lines``, for breakdowns with subtotals that no grid holds (e.g. groups known, their
    subtotal, groups not known, theirs, and the whole). Each line lists the keys of one sum
    and its total (a key in ``totals``). The rules are ``protect_table``'s: small counts are
    "<5"; while some line has exactly one hidden value, one more of it is hidden ("[c]"),
    the smallest non-zero count first, then a zero, then a total; keys in ``hide_first``
    (a figure the output can best do without) before any of them."""
    limit = limit if limit is not None else threshold()
    totals, hide_first = set(totals), set(hide_first)
    primary = {key for key, value in counts.items() if is_small(value, limit)}
    hidden = set(primary)
    order = {key: i for i, key in enumerate(counts)}

    def preference(key: str) -> tuple[int, int, int, int]:
        value = counts[key]
        rank = 0 if key in hide_first else 2 if key in totals else 1
        return (rank, 1 if value == 0 else 0, value, order[key])

    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(key in hidden for key in line) == 1:
                hidden.add(min((key for key in line if key not in hidden), key=preference))
                changed = True
    return {
        key: PRIMARY_MARK.format(threshold=limit)
        if key in primary
        else SECONDARY_MARK
        if key in hidden
        else f"{value:,}"
        for key, value in counts.items()
    }


# --- 4. Charts ---------------------------------------------------------------------------


def chart_values(counts: list[int | None], *, suppress: bool = True) -> tuple[list, list[str]]:
    """(values, labels) of a bar chart: a hidden value is None (drawn as a gap, never as a
    bar) and its label is "<5"."""
    values, labels = [], []
    for n in counts:
        if n is None:
            values.append(None)
            labels.append("–")
        elif is_hidden(n, suppress=suppress):
            values.append(None)
            labels.append(hidden_mark())
        else:
            values.append(n)
            labels.append(f"{n:,}")
    return values, labels
