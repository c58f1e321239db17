"""Key rotation: every encrypted value rewritten with the first key, bound to its place.

Put a new key first in VRU_FIELD_ENCRYPTION_KEYS, run the rotation (`manage.py
rotate_field_keys`, or the Celery task vru.tasks.field_keys_rotate), then remove the old key.

Decisions:
- Batches, not one transaction per table: a table of a million identities in one transaction
  holds its locks (and, on PostgreSQL, its row versions) for the whole table. Each batch of
  rows (in primary-key order) is rewritten and its progress recorded (KeyRotation: the model
  and the last key done) in one transaction, so a run stopped anywhere (a deploy, a killed
  worker) resumes after the last batch that committed, and a batch is never done twice.
- Reading decrypts with any listed key and checks the place; writing encrypts with the first
  key, bound to the place: values written before the binding come out bound. A value that
  does not read in its place (moved in the database) stops the run with that error, and the
  run resumes from the same batch once it is dealt with.
- One run at a time: starting while one is unfinished resumes it.
"""

from collections.abc import Callable

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from vru.fields import encrypted_fields
from vru.models import AuditEvent, KeyRotation
from vru.services.audit import audit_record

BATCH = 500


def encrypted_models() -> list[type[models.Model]]:
    """Every model with an encrypted field, in a fixed order (the order runs resume in)."""
    found = [model for model in apps.get_models() if encrypted_fields(model)]
    return sorted(found, key=lambda model: model._meta.label)


def field_keys_rotate(
    *, batch_size: int = BATCH, progress: Callable[[KeyRotation], None] | None = None
) -> KeyRotation:
    """Rewrite every encrypted value with the first key, in batches, resuming an unfinished
    run. `progress` is called after each batch commits (with the run as it now stands)."""
    rotation = (
        KeyRotation.objects.filter(finished_at__isnull=True).order_by("started_at", "pk").first()
    )
    if rotation is None:
        rotation = KeyRotation.objects.create()
    labels = [model._meta.label for model in encrypted_models()]
    start = labels.index(rotation.current_model) if rotation.current_model in labels else 0
    for model in encrypted_models()[start:]:
        label = model._meta.label
        if rotation.current_model != label:
            rotation.current_model, rotation.after_pk = label, None
            rotation.save(update_fields=["current_model", "after_pk"])
        while _rotate_batch(rotation, model, batch_size):
            if progress is not None:
                progress(rotation)
    with transaction.atomic():
        rotation.rows["mfa.Authenticator"] = _rotate_authenticators()
        rotation.current_model, rotation.after_pk = "", None
        rotation.finished_at = timezone.now()
        rotation.save()
        audit_record(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            verb="encryption.keys_rotated",
            changes={"rows": rotation.rows, "batches": rotation.batches},
        )
    if progress is not None:
        progress(rotation)
    return rotation


@transaction.atomic
def _rotate_batch(rotation: KeyRotation, model: type[models.Model], batch_size: int) -> int:
    """The next batch of `model` after the recorded key, rewritten, and the run's progress
    moved past it, in one transaction. Returns how many rows it rewrote (0: model done)."""
    fields = encrypted_fields(model)
    needed = {"pk", *(f.name for f in fields)}
    needed |= {model._meta.get_field(f.row_field).name for f in fields if f.row_field}
    rows = model._base_manager.order_by("pk").only(*needed)
    if rotation.after_pk is not None:
        rows = rows.filter(pk__gt=rotation.after_pk)
    batch = list(rows.select_for_update()[:batch_size])
    if not batch:
        return 0
    for row in batch:
        for field in fields:
            # read with any key (and checked in its place), sealed with the first key
            token = field.seal(row)
            setattr(row, field.attname, models.Value(token, output_field=field))
    model._base_manager.bulk_update(batch, [f.name for f in fields])
    label = model._meta.label
    rotation.after_pk = batch[-1].pk
    rotation.rows[label] = rotation.rows.get(label, 0) + len(batch)
    rotation.batches += 1
    rotation.save(update_fields=["after_pk", "rows", "batches"])
    return len(batch)


def _rotate_authenticators() -> int:
    """TOTP secrets and recovery-code seeds (vru.accounts.MFAAdapter) use the same keys,
    unbound (they live in allauth's JSON, not a column of their own): a small table, one
    transaction."""
    from allauth.mfa.models import Authenticator

    from vru.accounts import ENCRYPTED_AUTHENTICATOR_KEYS
    from vru.fields import is_encrypted, rotate

    count = 0
    for authenticator in Authenticator.objects.select_for_update().iterator(chunk_size=BATCH):
        data = dict(authenticator.data)
        changed = False
        for key in ENCRYPTED_AUTHENTICATOR_KEYS:
            value = data.get(key)
            if isinstance(value, str) and is_encrypted(value):
                data[key] = rotate(value)
                changed = True
        if changed:
            authenticator.data = data
            authenticator.save(update_fields=["data"])
            count += 1
    return count
