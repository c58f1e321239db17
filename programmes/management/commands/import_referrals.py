"""Import referrals from a custody spreadsheet on the command line, as a Celery job: the file is
checked first (all or nothing; --skip-invalid-rows leaves the bad rows out), then imported
once confirmed, on the import's page or here with --confirm. Either way it can be undone from
the import's page."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from programmes import services
from programmes.models import Programme
from vru import services as core_services
from vru.models import ImportJob


class Command(BaseCommand):
    help = (
        "Check a CSV or XLSX custody spreadsheet against a programme, and import its referrals "
        "with --confirm (otherwise confirm on the import's page)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--programme", type=int, required=True, help="Programme id")
        parser.add_argument(
            "--skip-invalid-rows",
            action="store_true",
            help="Import exactly the valid rows and list the others.",
        )
        parser.add_argument(
            "--confirm",
            action="store_true",
            help="Import the checked file now (as the system) instead of on its page.",
        )

    def handle(self, *args, file, programme, skip_invalid_rows, confirm, **options):
        target = Programme.objects.filter(pk=programme).first()
        if target is None:
            raise CommandError("No such programme.")
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            job = services.referral_import_job_create(
                actor=None,
                programme=target,
                file_name=file.name,
                content=file.read_bytes(),
                skip_invalid_rows=skip_invalid_rows,
            )
        except ValidationError as exc:
            raise CommandError(f"{file.name}: {' '.join(exc.messages)}") from exc
        page = reverse("programmes:referral_import_job", args=[job.pk])
        # With a broker the check runs on a worker; in the embedded mode it has run already.
        job.refresh_from_db()
        if job.status in {ImportJob.Status.PENDING, ImportJob.Status.CHECKING}:
            self.stdout.write(f"Import job {job.pk} is being checked; confirm it at {page}.")
            return
        for error in job.row_errors[:50]:
            column = f", {error['column']}" if error["column"] else ""
            self.stderr.write(f"row {error['row']}{column}: {error['message']}")
        if job.status != ImportJob.Status.CHECKED:
            raise CommandError(f"Nothing imported ({job.get_status_display()}).")
        preview = job.preview
        self.stdout.write(
            f"{preview['rows_to_add']} of {preview['rows_read']} rows would be added"
            f" ({preview['rows_skipped']} left out)."
        )
        if not confirm:
            self.stdout.write(f"Nothing imported yet: confirm at {page} (or run with --confirm).")
            return
        core_services.import_job_confirm(actor=None, job=job)
        job.refresh_from_db()
        if job.status in {ImportJob.Status.PENDING, ImportJob.Status.RUNNING}:
            self.stdout.write(f"Import job {job.pk} confirmed; follow it at {page}.")
            return
        if job.status != ImportJob.Status.SUCCEEDED:
            for error in job.row_errors[:50]:
                self.stderr.write(error["message"])
            raise CommandError(f"Nothing imported ({job.get_status_display()}).")
        self.stdout.write(f"{job.imported_rows} referrals imported; undo it at {page} if need be.")
