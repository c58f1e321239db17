from django.core.management.base import BaseCommand

from vru import services
from vru.models import KeyRotation


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the first key in VRU_FIELD_ENCRYPTION_KEYS, "
        "each value bound to its table, column and row, in batches. Run after putting a new "
        "key first; then the old key can be removed. A stopped run resumes where it got to."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=services.encryption.BATCH,
            help="Rows per batch in the foreground (in the background: the default)",
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the rotation on a Celery worker instead of running it here.",
        )
        parser.add_argument(
            "--status", action="store_true", help="Say how far the latest rotation got."
        )

    def handle(self, *args, batch_size: int, background: bool, status: bool, **options):
        if status:
            latest = KeyRotation.objects.first()
            if latest is None:
                self.stdout.write("No key rotation has run.")
                return
            self.stdout.write(
                f"{latest}: {latest.total_rows} rows in {latest.batches} batches"
                + ("" if latest.finished_at else f", next after {latest.after_pk}")
            )
            return
        if background:
            from vru.tasks import field_keys_rotate

            field_keys_rotate.delay()  # in the service's default batches
            self.stdout.write(
                "Key rotation queued: `rotate_field_keys --status` says how far it got."
            )
            return

        def progress(rotation: KeyRotation) -> None:
            where = rotation.current_model or "finished"
            self.stdout.write(f"{where}: {rotation.total_rows} rows re-encrypted so far")

        rotation = services.field_keys_rotate(batch_size=batch_size, progress=progress)
        for label, count in sorted(rotation.rows.items()):
            self.stdout.write(f"{label}: {count} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS("Every encrypted field now uses the first key."))
