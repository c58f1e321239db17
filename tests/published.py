"""What the disclosure control publishes for given records, worked out in Python (the product
works it out in the database), so tests can say what a commissioner sees."""

from vru import disclosure


def published(kind: str, records) -> int:
    """Each record counts 1 + its fixed adjustment (0, 1 or 2)."""
    return sum(1 + disclosure.adjustment(kind, record.pk) for record in records)


def published_count(kind: str, rows, count_of) -> int:
    """Head-count rows: each counts its count + its adjustment (an empty row 0)."""
    return sum(
        count_of(row) + disclosure.adjustment(kind, row.pk) if count_of(row) else 0 for row in rows
    )
