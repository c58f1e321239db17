"""The one import pipeline for django-import-export resources: every row checked by a dry run,
then all saved or none (or exactly the valid rows), audited once."""

from collections.abc import Callable
from typing import Any

import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from vru import permissions
from vru.models import AuditEvent, ImportJob, Partnership, StrategicNeedsAssessment, User
from vru.resources import (
    LSOAResource,
    RecommendationResource,
    SuccessMeasureComparisonResource,
    SuccessMeasureValueResource,
)
from vru.services.audit import audit_record
from vru.services.imports.rows import ImportOutcome, RowError


def _resource_for(
    *, kind: str, partnership: Partnership, needs_assessment: StrategicNeedsAssessment | None
):
    if kind == ImportJob.Kind.LSOAS:
        return LSOAResource(partnership=partnership)
    if kind == ImportJob.Kind.RECOMMENDATIONS:
        if needs_assessment is None:
            raise ValidationError("Choose the needs assessment to import into.", code="no_sna")
        return RecommendationResource(partnership=partnership, needs_assessment=needs_assessment)
    if kind == ImportJob.Kind.SUCCESS_MEASURE_VALUES:
        return SuccessMeasureValueResource(partnership=partnership)
    if kind == ImportJob.Kind.SUCCESS_MEASURE_COMPARISONS:
        return SuccessMeasureComparisonResource(partnership=partnership)
    raise ValidationError(f"Unknown import kind {kind!r}.", code="kind")


def _row_errors(result) -> list[RowError]:
    errors = []
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            for message in messages:
                errors.append(
                    RowError(invalid.number + 1, "" if column == "__all__" else column, message)
                )
    for error in result.base_errors:
        errors.append(RowError(1, "", str(error.error)))
    for number, row_errors in result.row_errors():
        for error in row_errors:
            errors.append(RowError(number + 1, "", str(error.error)))
    return sorted(errors, key=lambda e: (e.row, e.column))


def import_rows(
    *,
    actor: User | None,
    partnership: Partnership,
    kind: str,
    dataset: tablib.Dataset,
    needs_assessment: StrategicNeedsAssessment | None = None,
    skip_invalid_rows: bool = False,
) -> ImportOutcome:
    """Import the core's reference data (LSOAs, recommendations, success-measure values
    and the comparisons between them)."""
    if actor is not None and not (
        permissions.can_import_area_data(actor) and actor.partnership_id == partnership.pk
    ):
        raise PermissionDenied("You cannot import data into this partnership.")
    return import_with_resource(
        actor=actor,
        partnership=partnership,
        make_resource=lambda: _resource_for(
            kind=kind, partnership=partnership, needs_assessment=needs_assessment
        ),
        dataset=dataset,
        verb=f"import.{kind}",
        target=needs_assessment,
        skip_invalid_rows=skip_invalid_rows,
    )


def import_with_resource(
    *,
    actor: User | None,
    partnership: Partnership,
    make_resource: Callable[[], Any],
    dataset: tablib.Dataset,
    verb: str,
    target: models.Model | None = None,
    skip_invalid_rows: bool = False,
) -> ImportOutcome:
    """Validate every row, then save all of them, or none if any is bad.

    The one import pipeline of the product: any app passes a factory for its
    django-import-export resource (which declares `required_headers`). With
    skip_invalid_rows the valid rows are saved and the bad ones reported. Either way the
    whole import is one transaction, audited once. The caller checks permissions.
    """
    outcome = check_with_resource(make_resource=make_resource, dataset=dataset)
    if outcome.errors and not skip_invalid_rows:
        return outcome
    if any(error.row == 1 for error in outcome.errors):
        return outcome  # the file itself (its columns), not a row: nothing to import
    bad_rows = {error.row for error in outcome.errors}
    to_save = tablib.Dataset(headers=dataset.headers)
    for index, row in enumerate(dataset, start=2):
        if index not in bad_rows:
            to_save.append(row)
    with transaction.atomic():
        result = make_resource().import_data(
            to_save, dry_run=False, raise_errors=True, use_transactions=True
        )
        totals = result.totals
        outcome.imported_rows = totals.get("new", 0) + totals.get("update", 0)
        outcome.new_ids = [
            row.object_id for row in result.rows if row.import_type == row.IMPORT_TYPE_NEW
        ]
        if not outcome.imported_rows:
            return outcome  # nothing changed: re-importing the same file leaves no trace
        audit_record(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            verb=verb,
            target=target,
            partnership=partnership,
            changes={
                "new": totals.get("new", 0),
                "updated": totals.get("update", 0),
                "unchanged": totals.get("skip", 0),
                "rows_with_errors": len(bad_rows),
            },
        )
    return outcome


def check_with_resource(
    *, make_resource: Callable[[], Any], dataset: tablib.Dataset
) -> ImportOutcome:
    """Every row's errors, found by a dry run of the resource: nothing is saved. Errors in
    row 1 are the file's own (no header, missing columns)."""
    resource = make_resource()
    outcome = ImportOutcome(total_rows=len(dataset))
    if not dataset.headers:
        outcome.errors = [
            RowError(1, "", "The file is empty: the first row must name the columns.")
        ]
        return outcome
    missing = [name for name in resource.required_headers if name not in dataset.headers]
    if missing:
        outcome.errors = [
            RowError(
                1,
                "",
                "The file is missing these columns: "
                + ", ".join(missing)
                + ". The first row must name the columns.",
            )
        ]
        return outcome
    try:
        checked = resource.import_data(
            dataset, dry_run=True, raise_errors=False, use_transactions=True
        )
    except ValidationError as exc:
        outcome.errors = [RowError(1, "", message) for message in exc.messages]
        return outcome
    outcome.errors = _row_errors(checked)
    return outcome
