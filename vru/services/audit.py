"""The audit trail: every service that changes or reveals data calls audit_record."""

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction

from vru.audit import request_context
from vru.models import (
    AuditEvent,
    Partnership,
    User,
)


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
