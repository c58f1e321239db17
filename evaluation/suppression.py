"""Small-number suppression for tables of counts of people, with secondary suppression.

The rule (documented in every impact report):

1. **Primary**: a count from 1 to 4 (below ``VRU_SMALL_NUMBER_THRESHOLD``) is shown as "<5".
   Totals are counts too: a total from 1 to 4 is hidden the same way.
2. **Secondary**: a published total is an equation. If a row (or column) with a published
   total had exactly one hidden cell, that cell would be the total minus the others. So in
   every row and column that has a published total, the number of hidden cells (the total
   counted as one of the row's cells) is never exactly one: while some line has exactly one,
   we hide one more cell of that line, the smallest non-zero count first, then a zero, then
   the line's total. Those cells are shown as "[c]" (confidential, as ONS marks them),
   not "<5", because their true value may be larger.

Zeros are published: knowing that nobody was counted identifies no one.

This module is pure (no Django, no database) so it can be tested exhaustively with
hypothesis; callers give the threshold. ``suppress_table`` works on a grid of interior counts
and computes the totals it publishes; ``suppress_list`` is the one-column case.
"""

from dataclasses import dataclass

PRIMARY_MARK = "<{threshold}"
SECONDARY_MARK = "[c]"


@dataclass(frozen=True)
class SuppressedTable:
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


def is_small(value: int, threshold: int) -> bool:
    return 0 < value < threshold


def _format(value: int) -> str:
    return f"{value:,}"


def suppress_table(
    counts: list[list[int]],
    *,
    threshold: int,
    row_totals: bool = True,
    column_totals: bool = True,
) -> SuppressedTable:
    """Primary and secondary suppression of a rows x columns grid of counts of people."""
    n_rows = len(counts)
    n_cols = len(counts[0]) if counts else 0
    if any(len(row) != n_cols for row in counts):
        raise ValueError("Every row must have the same number of cells.")
    if any(v < 0 for row in counts for v in row):
        raise ValueError("Counts cannot be negative.")

    # The full grid: interior cells, then (optionally) a totals column and a totals row.
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

    primary = {
        (r, c) for r in range(height) for c in range(width) if is_small(grid[r][c], threshold)
    }
    hidden = set(primary)

    # The equations an onlooker has: each row with a total, each column with a total.
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
            return PRIMARY_MARK.format(threshold=threshold)
        if cell in hidden:
            return SECONDARY_MARK
        return _format(grid[cell[0]][cell[1]])

    return SuppressedTable(
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


def suppress_list(counts: list[int], *, threshold: int, total: bool = True) -> SuppressedTable:
    """A one-column table (e.g. referrals by programme) with its total underneath."""
    return suppress_table(
        [[v] for v in counts], threshold=threshold, row_totals=False, column_totals=total
    )


def shown_single(value: int, *, threshold: int) -> str:
    """One count standing alone (no total beside it): primary suppression only."""
    return (
        PRIMARY_MARK.format(threshold=threshold) if is_small(value, threshold) else _format(value)
    )
