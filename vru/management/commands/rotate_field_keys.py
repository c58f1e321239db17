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
        totals["mfa.Authenticator"] = self._rotate_authenticators()
        services.audit_record(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            verb="encryption.keys_rotated",
            changes={"rows": totals},
        )
        self.stdout.write(self.style.SUCCESS("Every encrypted field now uses the first key."))

    def _rotate_authenticators(self) -> int:
        """TOTP secrets and recovery-code seeds (vru.accounts.MFAAdapter) use the same keys."""
        from allauth.mfa.models import Authenticator

        from vru.accounts import ENCRYPTED_AUTHENTICATOR_KEYS
        from vru.fields import is_encrypted, rotate

        count = 0
        with transaction.atomic():
            for authenticator in Authenticator.objects.select_for_update().iterator(
                chunk_size=BATCH
            ):
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
        self.stdout.write(f"mfa.Authenticator: {count} rows re-encrypted")
        return count
