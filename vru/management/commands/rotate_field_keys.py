from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from vru import services
from vru.fields import encrypted_fields
from vru.models import AuditEvent

BATCH = 1000


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the first key in VRU_FIELD_ENCRYPTION_KEYS. "
        "Run after putting a new key first; then the old key can be removed."
    )

    def handle(self, *args, **options):
        totals = {}
        for model in apps.get_models():
            fields = encrypted_fields(model)
            if not fields:
                continue
            names = [f.name for f in fields]
            count = 0
            with transaction.atomic():
                batch = []
                # Reading decrypts with any listed key; saving encrypts with the first.
                for obj in model._base_manager.only("pk", *names).iterator(chunk_size=BATCH):
                    batch.append(obj)
                    if len(batch) == BATCH:
                        model._base_manager.bulk_update(batch, names)
                        count += len(batch)
                        batch = []
                if batch:
                    model._base_manager.bulk_update(batch, names)
                    count += len(batch)
            totals[model._meta.label] = count
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
        services.audit_record(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            verb="encryption.keys_rotated",
            changes={"rows": totals},
        )
        self.stdout.write(self.style.SUCCESS("Every encrypted field now uses the first key."))
