"""Changing the rows of a table that may hold millions of them (the audit trail, contacts,
attendance) a batch at a time, each batch committed on its own.

One statement, or one transaction, over the whole table would hold a lock on every row it
changed until the end, and a failure late on would roll back everything already done. A
batch here is the next ``BATCH`` rows of the queryset in primary-key order, changed by one
statement in its own transaction: a run that fails keeps the batches already committed, and
the next run carries on, as long as the queryset selects only the rows still to be changed
(rows already cleared or deleted drop out of it).

Each function yields the number of rows its batch changed once that batch has committed, so
the caller can count what was done and record it even when a later batch fails; a caller
further up (the daily retention, over a service that sums the batches) passes a
``Progress`` down instead, which each committed batch adds to. Called inside a transaction
(a test, an erasure), the batches are savepoints of it and commit with it.
"""

from collections.abc import Callable, Iterator

from django.db import models, transaction

# Rows changed by one statement.
BATCH = 5000


class Progress:
    """The rows changed by the batches committed so far, kept by whoever passed it in, so
    that what a failing run did is still known after the exception."""

    def __init__(self) -> None:
        self.done = 0


def batches(queryset: models.QuerySet) -> Iterator[models.QuerySet]:
    """The queryset cut into consecutive primary-key ranges of ``BATCH`` rows each (the last
    one open-ended, holding what remains). Each range is worked out just before it is
    yielded, so rows changed by the batches before it are seen as they now are."""
    size, after = BATCH, None
    while True:
        rest = queryset if after is None else queryset.filter(pk__gt=after)
        # the primary key of the batch's last row (none: fewer than a batch remain)
        last = list(rest.order_by("pk").values_list("pk", flat=True)[size - 1 : size])
        if not last:
            yield rest
            return
        yield rest.filter(pk__lte=last[0])
        after = last[0]


def changed_in_batches(
    queryset: models.QuerySet,
    change: Callable[[models.QuerySet], int],
    progress: Progress | None = None,
) -> Iterator[int]:
    """``change`` applied to each batch of the queryset in its own transaction; yields what
    it returned (the rows it changed) after each commit, and adds it to ``progress``."""
    for batch in batches(queryset):
        with transaction.atomic():
            changed = change(batch)
        if progress is not None:
            progress.done += changed
        yield changed


def updated_in_batches(
    queryset: models.QuerySet, *, progress: Progress | None = None, **values: object
) -> Iterator[int]:
    """``queryset.update(**values)``, a committed batch at a time."""
    return changed_in_batches(queryset, lambda batch: batch.update(**values), progress)


def deleted_in_batches(
    queryset: models.QuerySet, progress: Progress | None = None
) -> Iterator[int]:
    """``queryset.delete()``, a committed batch at a time; counts the queryset's own rows,
    not the rows that cascade with them (those go in the same batch)."""
    label = queryset.model._meta.label
    return changed_in_batches(queryset, lambda batch: batch.delete()[1].get(label, 0), progress)
