"""Import referrals from a custody spreadsheet on the command line, as a Celery job (all or
nothing; --skip-invalid-rows imports exactly the valid rows)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programmes import services
from programmes.models import Programme
from vru.models import ImportJob


class Command(BaseCommand):
    help = "Import referrals from a CSV or XLSX custody spreadsheet into a programme."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--programme", type=int, required=True, help="Programme id")
        parser.add_argument(
            "--skip-invalid-rows",
            action="store_true",
            help="Import exactly the valid rows and list the others.",
        )

    def handle(self, *args, file, programme, skip_invalid_rows, **options):
        target = Programme.objects.filter(pk=programme).first()
        if target is None:
            raise CommandError("No such programme.")
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        job = services.referral_import_job_create(
            actor=None,
            programme=target,
            file_name=file.name,
            content=file.read_bytes(),
            skip_invalid_rows=skip_invalid_rows,
        )
        # With a broker the job runs on a worker; in the embedded mode it has run already.
        job.refresh_from_db()
        if job.status in {ImportJob.Status.PENDING, ImportJob.Status.RUNNING}:
            self.stdout.write(
                f"Import job {job.pk} queued; follow it at /programmes/referrals/imports/{job.pk}/."
            )
            return
        for error in job.row_errors[:50]:
            column = f", {error['column']}" if error["column"] else ""
            self.stderr.write(f"row {error['row']}{column}: {error['message']}")
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(f"Nothing imported: {len(job.row_errors)} errors.")
        self.stdout.write(f"{job.imported_rows} of {job.total_rows} referrals imported.")
