"""Every write to the core. Keyword-only, one transaction each, audited."""

from dataclasses import dataclass, field
from datetime import date

import tablib
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from vru import permissions, tasks
from vru.audit import request_context
from vru.models import (
    AuditEvent,
    ImportJob,
    Partnership,
    Role,
    RoleAssignment,
    StrategicNeedsAssessment,
    SuccessMeasure,
    User,
)
from vru.resources import LSOAResource, RecommendationResource, SuccessMeasureValueResource

# --- Audit --------------------------------------------------------------------------------


def audit_record(
    *,
    actor: User | None,
    action: str,
    verb: str,
    target: models.Model | None = None,
    partnership: Partnership | None = None,
    changes: dict | None = None,
) -> AuditEvent:
    """Write one audit event. Called by every service that changes or reveals data."""
    context = request_context.get() or {}
    if partnership is None:
        partnership = getattr(target, "partnership", None) or getattr(actor, "partnership", None)
    return AuditEvent.objects.create(
        partnership=partnership if isinstance(partnership, Partnership) else None,
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        changes=changes or {},
        ip_address=context.get("ip_address"),
        user_agent=context.get("user_agent", ""),
        request_path=context.get("request_path", ""),
    )


def _field_changes(instance: models.Model, changed: list[str]) -> dict:
    """What a change set the fields to (not identity data: the core holds none)."""
    values = {}
    for name in changed:
        try:
            model_field = instance._meta.get_field(name)
        except FieldDoesNotExist:  # a form may name a non-model field
            continue
        if not hasattr(model_field, "attname"):
            continue
        value = getattr(instance, model_field.attname)
        values[name] = value if isinstance(value, str | int | float | bool | None) else str(value)
    return values


@transaction.atomic
def record_save(
    *, actor: User, instance: models.Model, changed_fields: list[str], created: bool
) -> models.Model:
    """Save a record edited through the admin: validate, save, audit, in one transaction."""
    instance.full_clean()
    instance.save()
    verb = f"{instance._meta.model_name}.{'created' if created else 'updated'}"
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        verb=verb,
        target=instance,
        changes=_field_changes(instance, changed_fields),
    )
    return instance


@transaction.atomic
def record_delete(*, actor: User, instance: models.Model) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        verb=f"{instance._meta.model_name}.deleted",
        target=instance,
    )
    instance.delete()


# --- Users and roles ----------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    partnership: Partnership,
    roles: list[str],
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    if actor is not None and not (
        permissions.can_manage_users(actor) and actor.partnership_id == partnership.pk
    ):
        raise PermissionDenied("You cannot add users to this partnership.")
    if not roles:
        raise ValidationError("Give the user at least one role.", code="no_roles")
    user = User(
        username=username,
        partnership=partnership,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=bool(set(roles) & permissions.ADMIN_SITE_ROLES),
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=role) for role in roles)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="user.created",
        target=user,
        partnership=partnership,
        changes={"roles": sorted(roles)},
    )
    return user


@transaction.atomic
def user_roles_set(*, actor: User | None, user: User, roles: list[str]) -> User:
    if actor is not None and not (
        permissions.can_manage_users(actor) and actor.partnership_id == user.partnership_id
    ):
        raise PermissionDenied("You cannot change this user's roles.")
    unknown = set(roles) - set(Role.values)
    if unknown or not roles:
        raise ValidationError("Give the user at least one known role.", code="invalid_roles")
    before = sorted(user.role_names)
    user.role_assignments.exclude(role__in=roles).delete()
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=user, role=role) for role in roles], ignore_conflicts=True
    )
    user.is_staff = bool(set(roles) & permissions.ADMIN_SITE_ROLES)
    user.save(update_fields=["is_staff"])
    if hasattr(user, "_role_names"):
        del user._role_names
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="user.roles_changed",
        target=user,
        partnership=user.partnership,
        changes={"before": before, "after": sorted(roles)},
    )
    return user


# --- Strategy -----------------------------------------------------------------------------


@transaction.atomic
def needs_assessment_create(
    *,
    actor: User | None,
    partnership: Partnership,
    title: str,
    period_start: date,
    period_end: date,
    published_on: date | None = None,
    status: str = StrategicNeedsAssessment.Status.DRAFT,
    source: str = "",
) -> StrategicNeedsAssessment:
    if actor is not None and not (
        permissions.can_edit_strategy(actor) and actor.partnership_id == partnership.pk
    ):
        raise PermissionDenied("You cannot add a needs assessment to this partnership.")
    sna = StrategicNeedsAssessment(
        partnership=partnership,
        title=title,
        period_start=period_start,
        period_end=period_end,
        published_on=published_on,
        status=status,
        source=source,
    )
    sna.full_clean()
    sna.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, verb="sna.created", target=sna)
    return sna


@transaction.atomic
def needs_assessment_publish(
    *, actor: User, needs_assessment: StrategicNeedsAssessment, published_on: date | None = None
) -> StrategicNeedsAssessment:
    sna = StrategicNeedsAssessment.objects.select_for_update().get(pk=needs_assessment.pk)
    if not (permissions.can_edit_strategy(actor) and actor.partnership_id == sna.partnership_id):
        raise PermissionDenied("You cannot publish this needs assessment.")
    if sna.status == StrategicNeedsAssessment.Status.PUBLISHED:
        raise ValidationError("This needs assessment is already published.", code="published")
    if not sna.recommendations.exists():
        raise ValidationError(
            "Add the recommendations before publishing.", code="no_recommendations"
        )
    sna.status = StrategicNeedsAssessment.Status.PUBLISHED
    sna.published_on = published_on or timezone.localdate()
    sna.full_clean()
    sna.save(update_fields=["status", "published_on"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, verb="sna.published", target=sna)
    return sna


@transaction.atomic
def success_measure_create(
    *,
    actor: User | None,
    partnership: Partnership,
    name: str,
    unit: str,
    direction: str = SuccessMeasure.Direction.DOWN,
    counts_people: bool = False,
    description: str = "",
    position: int = 0,
) -> SuccessMeasure:
    if actor is not None and not (
        permissions.can_edit_strategy(actor) and actor.partnership_id == partnership.pk
    ):
        raise PermissionDenied("You cannot add success measures to this partnership.")
    measure = SuccessMeasure(
        partnership=partnership,
        name=name,
        unit=unit,
        direction=direction,
        counts_people=counts_people,
        description=description,
        position=position,
    )
    measure.full_clean()
    measure.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="success_measure.created",
        target=measure,
    )
    return measure


# --- Imports ------------------------------------------------------------------------------


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


FILE_FORMATS = {"csv": "csv", "xlsx": "xlsx"}


def read_table(*, file_name: str, content: bytes) -> tablib.Dataset:
    """Read a CSV (UTF-8, with or without a byte-order mark) or XLSX file into rows."""
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension not in FILE_FORMATS:
        raise ValidationError("Upload a .csv or .xlsx file.", code="file_type")
    if extension == "csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                "The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.",
                code="encoding",
            ) from exc
        if "\x00" in text:
            raise ValidationError(
                "The file contains NUL bytes: it is not a CSV file.", code="nul_bytes"
            )
        dataset = tablib.Dataset().load(text, format="csv")
    else:
        if not content.startswith(b"PK"):
            raise ValidationError("The file is not an XLSX workbook.", code="file_type")
        dataset = tablib.Dataset().load(content, format="xlsx")
    if dataset.headers:
        dataset.headers = [str(h or "").strip().lower() for h in dataset.headers]
        duplicates = {h for h in dataset.headers if h and dataset.headers.count(h) > 1}
        if duplicates:
            raise ValidationError(
                "These columns appear more than once: " + ", ".join(sorted(duplicates)) + ".",
                code="duplicate_columns",
            )
    return dataset


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
    """Validate every row, then save all of them, or none if any is bad.

    With skip_invalid_rows the valid rows are saved and the bad ones reported. Either way
    the whole import is one transaction.
    """
    if actor is not None and not (
        permissions.can_import_area_data(actor) and actor.partnership_id == partnership.pk
    ):
        raise PermissionDenied("You cannot import data into this partnership.")
    resource = _resource_for(kind=kind, partnership=partnership, needs_assessment=needs_assessment)
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
    if outcome.errors and not skip_invalid_rows:
        return outcome
    bad_rows = {error.row for error in outcome.errors}
    to_save = tablib.Dataset(headers=dataset.headers)
    for index, row in enumerate(dataset, start=2):
        if index not in bad_rows:
            to_save.append(row)
    with transaction.atomic():
        resource = _resource_for(
            kind=kind, partnership=partnership, needs_assessment=needs_assessment
        )
        result = resource.import_data(
            to_save, dry_run=False, raise_errors=True, use_transactions=True
        )
        totals = result.totals
        outcome.imported_rows = totals.get("new", 0) + totals.get("update", 0)
        if not outcome.imported_rows:
            return outcome  # nothing changed: re-importing the same file leaves no trace
        audit_record(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            verb=f"import.{kind}",
            target=needs_assessment,
            partnership=partnership,
            changes={
                "new": totals.get("new", 0),
                "updated": totals.get("update", 0),
                "unchanged": totals.get("skip", 0),
                "rows_with_errors": len(bad_rows),
            },
        )
    return outcome


@transaction.atomic
def import_job_create(
    *,
    actor: User | None,
    partnership: Partnership,
    kind: str,
    file_name: str,
    content: bytes,
    needs_assessment: StrategicNeedsAssessment | None = None,
    skip_invalid_rows: bool = False,
) -> ImportJob:
    """Queue a file for import; the work runs in Celery once this transaction commits."""
    if actor is not None and not (
        permissions.can_import_area_data(actor) and actor.partnership_id == partnership.pk
    ):
        raise PermissionDenied("You cannot import data into this partnership.")
    job = ImportJob(
        partnership=partnership,
        created_by=actor,
        kind=kind,
        file_name=file_name[:255],
        content=content,
        needs_assessment=needs_assessment,
        skip_invalid_rows=skip_invalid_rows,
    )
    job.full_clean(exclude=["content"])
    job.save()
    transaction.on_commit(lambda: tasks.import_job_run.delay(job.pk))
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued import. Idempotent: a job that has finished is left as it is."""
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",))
            .select_related("partnership", "created_by", "needs_assessment")
            .get(pk=job_id)
        )
        if job.status in {ImportJob.Status.SUCCEEDED, ImportJob.Status.FAILED}:
            return job
        job.status = ImportJob.Status.RUNNING
        job.save(update_fields=["status"])
    try:
        dataset = read_table(file_name=job.file_name, content=bytes(job.content))
        job.total_rows = len(dataset)
        job.save(update_fields=["total_rows"])
        outcome = import_rows(
            actor=job.created_by,
            partnership=job.partnership,
            kind=job.kind,
            dataset=dataset,
            needs_assessment=job.needs_assessment,
            skip_invalid_rows=job.skip_invalid_rows,
        )
    except ValidationError as exc:
        outcome = ImportOutcome(
            total_rows=job.total_rows, errors=[RowError(1, "", m) for m in exc.messages]
        )
    job.processed_rows = outcome.total_rows
    job.imported_rows = outcome.imported_rows
    job.row_errors = [e.as_dict() for e in outcome.errors]
    failed = bool(outcome.errors) and not (job.skip_invalid_rows and outcome.imported_rows)
    job.status = ImportJob.Status.FAILED if failed else ImportJob.Status.SUCCEEDED
    job.finished_at = timezone.now()
    job.content = b""  # the file is not kept once it has been read
    job.save(
        update_fields=[
            "processed_rows",
            "imported_rows",
            "row_errors",
            "status",
            "finished_at",
            "content",
        ]
    )
    return job
