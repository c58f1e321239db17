"""The kinds of reviewed import, and what each does: the registration hook of the one import
machinery (`vru.services.areas.crime_jobs`).

A reviewed import is checked first (a preview, nothing written), imported once someone
confirms it on its page, can be undone from that page, and its file is forgotten if nobody
confirms it in time. The life is the core's; what is particular to a kind (reading its file,
writing its rows, putting things back, who may review it) is the app's. The core imports no
other app, so each app registers its kinds in its `AppConfig.ready`:

    from vru import import_kinds
    import_kinds.register(ImportJob.Kind.REFERRALS, import_kinds.ImportKind(verb=..., ...))

This module imports nothing of the project but the models, so that permissions, services and
apps can all use it.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from vru.models import ImportJob, ImportSnapshot, User


class Checked(NamedTuple):
    """What the check of a file found. `refusals` (row, column, message dicts) refuse the file
    whole; `row_errors` are rows a checked file leaves out (kept on the job and listed)."""

    preview: dict
    refusals: Sequence[dict] = ()
    row_errors: Sequence[dict] = ()


def _nothing_replaced(preview: dict) -> list:
    return []


def _no_overlap(snapshot: ImportSnapshot, later: ImportSnapshot) -> list[str]:
    return []


def _no_problem(snapshot: ImportSnapshot) -> str:
    return ""


@dataclass(frozen=True, kw_only=True)
class ImportKind:
    """One kind's pieces. Every callable writes nothing unless its name says it does.

    - verb: the audit verbs' prefix ("crime" gives "crime.refused", "crime.import_undone").
    - check(job) -> Checked: reads the job's file and finds what it would change.
    - prepare(job) -> anything: optional work before the import's transaction, outside it so
      that its progress (on the job) is visible; its result is passed to `apply`.
    - apply(job, actor, prepared) -> rows imported: writes, keeps an ImportSnapshot, audits.
      Runs inside a transaction; raises ValidationError when the check no longer holds.
    - restore(snapshot) -> dict: puts back the state before the import (inside a
      transaction); returns what the audit records.
    - may_review(user, job): who may see the check and confirm, cancel or undo the import
      (the app's own permission predicate). Undoing adds the core's rule on top
      (`vru.permissions.can_restore_import`).
    - replaced(preview) -> list: what a confirmation would replace (needs a ticked box).
    - replace_message(replaced) -> str: the refusal when the box was not ticked.
    - overlap(snapshot, later) -> labels: what a later import of the same kind wrote again
      (then this one is undone only after it).
    - restore_problem(snapshot) -> str: why undoing would lose something ("" if it would not).
    """

    verb: str
    check: Callable[[ImportJob], Checked]
    apply: Callable[[ImportJob, User | None, Any], int]
    restore: Callable[[ImportSnapshot], dict]
    may_review: Callable[[User, ImportJob], bool]
    prepare: Callable[[ImportJob], Any] | None = None
    replaced: Callable[[dict], list] = field(default=_nothing_replaced)
    replace_message: Callable[[list], str] = field(default=lambda replaced: "")
    overlap: Callable[[ImportSnapshot, ImportSnapshot], list[str]] = field(default=_no_overlap)
    restore_problem: Callable[[ImportSnapshot], str] = field(default=_no_problem)


_KINDS: dict[str, ImportKind] = {}


def register(kind: str, spec: ImportKind) -> None:
    """Make `kind` (an ImportJob.Kind) a reviewed import. Call from AppConfig.ready."""
    if kind not in ImportJob.Kind.values:
        raise ValueError(f"{kind!r} is not an ImportJob kind.")
    _KINDS[kind] = spec


def get(kind: str) -> ImportKind | None:
    return _KINDS.get(kind)


def registered() -> list[str]:
    return sorted(_KINDS)
