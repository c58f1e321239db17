"""Small-number suppression with secondary suppression (vru.selectors.disclosure.protect_table), as
properties: whatever the table, no published cell is from 1 to 4, and no hidden cell can be
worked out from its row or column total."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vru.selectors.disclosure import protect_list, protect_table

THRESHOLD = 5

# Tables skewed towards small counts, where suppression has the most to do.
counts = st.one_of(st.integers(0, 6), st.integers(0, 60))
tables = st.integers(1, 5).flatmap(
    lambda cols: st.lists(st.lists(counts, min_size=cols, max_size=cols), min_size=1, max_size=6)
)


def full_grid(counts, table, *, row_totals, column_totals):
    """(value, shown, hidden) for every published cell, totals included, as lines."""
    n_cols = len(counts[0])
    rows = []
    for r, row in enumerate(counts):
        line = [(v, table.cells[r][c], table.hidden[r][c]) for c, v in enumerate(row)]
        if row_totals:
            line.append((sum(row), table.row_totals[r], table.hidden_row_totals[r]))
        rows.append(line)
    if column_totals:
        line = [
            (sum(row[c] for row in counts), table.column_totals[c], table.hidden_column_totals[c])
            for c in range(n_cols)
        ]
        if row_totals:
            line.append((sum(map(sum, counts)), table.grand_total, table.hidden_grand_total))
        rows.append(line)
    return rows


def lines_with_a_total(grid, *, row_totals, column_totals):
    lines = []
    if row_totals:
        lines += grid
    if column_totals:
        lines += [list(column) for column in zip(*grid, strict=True)]
    return lines


@settings(max_examples=300, deadline=None)
@given(tables, st.booleans(), st.booleans())
def test_no_published_cell_is_from_1_to_4(counts, row_totals, column_totals):
    table = protect_table(
        counts, limit=THRESHOLD, row_totals=row_totals, column_totals=column_totals
    )
    for line in full_grid(counts, table, row_totals=row_totals, column_totals=column_totals):
        for value, shown, hidden in line:
            if 0 < value < THRESHOLD:
                assert hidden
                assert shown == "<5"
            if not hidden:
                assert shown == f"{value:,}"


@settings(max_examples=300, deadline=None)
@given(tables, st.booleans(), st.booleans())
def test_no_hidden_cell_can_be_recovered_from_its_row_or_column_total(
    counts, row_totals, column_totals
):
    table = protect_table(
        counts, limit=THRESHOLD, row_totals=row_totals, column_totals=column_totals
    )
    grid = full_grid(counts, table, row_totals=row_totals, column_totals=column_totals)
    for line in lines_with_a_total(grid, row_totals=row_totals, column_totals=column_totals):
        hidden = [cell for cell in line if cell[2]]
        # one hidden cell in a line whose total is published = total minus the others
        assert len(hidden) != 1, line


@settings(max_examples=200, deadline=None)
@given(tables)
def test_an_onlooker_solving_every_row_and_column_equation_learns_no_hidden_cell(counts):
    """Repeatedly solve any line with one unknown, using what earlier solutions revealed:
    nothing hidden is ever pinned down (the attack chained across rows and columns)."""
    table = protect_table(counts, limit=THRESHOLD)
    grid = full_grid(counts, table, row_totals=True, column_totals=True)
    known = {
        (r, c): value
        for r, line in enumerate(grid)
        for c, (value, _, hidden) in enumerate(line)
        if not hidden
    }
    height, width = len(grid), len(grid[0])
    lines = [[(r, c) for c in range(width)] for r in range(height)]
    lines += [[(r, c) for r in range(height)] for c in range(width)]
    progress = True
    while progress:
        progress = False
        for line in lines:
            unknown = [cell for cell in line if cell not in known]
            if len(unknown) == 1:
                known[unknown[0]] = None  # would be recovered
                progress = True
    recovered = [cell for cell, value in known.items() if value is None]
    assert recovered == []


def test_a_single_small_cell_takes_the_smallest_other_cell_of_its_row_with_it():
    table = protect_table([[3, 40, 12]], limit=5, column_totals=False)
    assert table.cells == [["<5", "40", "[c]"]]
    assert table.row_totals == ["55"]


def test_zeros_are_published_and_a_clean_table_is_untouched():
    table = protect_table([[0, 10], [7, 0]], limit=5)
    assert table.cells == [["0", "10"], ["7", "0"]]
    assert table.grand_total == "17"
    assert not table.any_hidden


def test_a_list_with_a_total_hides_a_second_entry_beside_a_small_one():
    table = protect_list([20, 2, 9])
    assert [row[0] for row in table.cells] == ["20", "<5", "[c]"]
    assert table.column_totals == ["31"]


def test_a_small_total_is_itself_suppressed():
    table = protect_list([0, 3])
    assert table.column_totals == ["<5"]
    assert [row[0] for row in table.cells] == ["0", "<5"]


@pytest.mark.parametrize("bad", [[[1, 2], [3]], [[-1]]])
def test_ragged_or_negative_tables_are_refused(bad):
    with pytest.raises(ValueError, match=r"same number|negative"):
        protect_table(bad, limit=5)
