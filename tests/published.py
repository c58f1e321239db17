"""What the disclosure control publishes for given records, worked out in Python (the product
works it out in the database), so tests can say what a commissioner sees."""

from vru.selectors import disclosure


def published(kind: str, records) -> int:
    """Each record counts 1 + its fixed adjustment (0, 1 or 2)."""
    return sum(1 + disclosure.adjustment(kind, record.pk) for record in records)


def published_count(kind: str, rows, count_of) -> int:
    """Head-count rows: each counts its count + its adjustment (an empty row 0)."""
    return sum(
        count_of(row) + disclosure.adjustment(kind, row.pk) if count_of(row) else 0 for row in rows
    )


def until_published_small(make, kind: str, records: list | None = None, *, at_least: int = 1):
    """Make records one by one until their published count is small (1 to threshold - 1,
    "<5") whatever their adjustments: up to ``at_least`` records, fewer once the count
    reaches threshold - 2, and more while the control counts them all as none. Each record
    counts 0 to 2, so the count can never jump past threshold - 1."""
    records = [] if records is None else records
    limit = disclosure.threshold()
    while published(kind, records) == 0 or (
        len(records) < at_least and published(kind, records) <= limit - 3
    ):
        records.append(make())
        assert len(records) < 40
    assert disclosure.is_small(published(kind, records))
    return records


def until_published_at_least(make, kind: str, records: list, n: int):
    """Make more records while their published count is under ``n`` (it then lands on n or
    n + 1, since each record counts 0 to 2)."""
    while published(kind, records) < n:
        records.append(make())
        assert len(records) < 60
    return records
