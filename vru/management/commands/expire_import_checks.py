"""Forget the files of import checks nobody confirmed in time (what the hourly beat task
does), for installations that run without Celery beat: run it from cron."""

from django.conf import settings
from django.core.management.base import BaseCommand

from vru import services


class Command(BaseCommand):
    help = (
        "Clear the stored file of every import checked and not confirmed within "
        "VRU_IMPORT_CHECK_HOURS; its page then asks for the file again."
    )

    def handle(self, *args, **options):
        expired = services.import_checks_expire()
        self.stdout.write(
            f"{expired} import check{'s' if expired != 1 else ''} older than "
            f"{settings.VRU_IMPORT_CHECK_HOURS} hours expired."
        )
