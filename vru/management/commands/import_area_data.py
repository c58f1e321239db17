from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vru import services
from vru.models import ImportJob, Partnership, StrategicNeedsAssessment


class Command(BaseCommand):
    help = (
        "Import LSOAs, SNA recommendations, success-measure values or the comparisons the SNA "
        "makes between them from a CSV or XLSX file. "
        "Every row is checked first; a file with any bad row imports nothing unless "
        "--skip-invalid-rows is given, and every bad row is listed with its number and reason."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "kind",
            choices=[
                k
                for k in ImportJob.Kind.values
                # referrals: programmes' import_referrals; police.uk: import_police_uk; area
                # indicators: import_area_indicators (reviewed kinds wait for a confirmation)
                if k != ImportJob.Kind.REFERRALS and k not in ImportJob.REVIEWED
            ],
        )
        parser.add_argument("file", type=Path)
        parser.add_argument("--partnership", required=True, help="Partnership slug.")
        parser.add_argument("--sna", type=int, help="Needs assessment id (recommendations).")
        parser.add_argument("--skip-invalid-rows", action="store_true")

    def handle(self, *args, kind, file, partnership, sna, skip_invalid_rows, **options):
        try:
            owner = Partnership.objects.get(slug=partnership)
        except Partnership.DoesNotExist as exc:
            raise CommandError(f"No partnership with slug {partnership!r}.") from exc
        needs_assessment = None
        if sna is not None:
            needs_assessment = StrategicNeedsAssessment.objects.filter(
                pk=sna, partnership=owner
            ).first()
            if needs_assessment is None:
                raise CommandError(f"No needs assessment {sna} in {owner}.")
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            job = services.import_job_create(
                actor=None,
                partnership=owner,
                kind=kind,
                file_name=file.name,
                content=file.read_bytes(),
                needs_assessment=needs_assessment,
                skip_invalid_rows=skip_invalid_rows,
            )
        except ValidationError as exc:
            raise CommandError(f"{file.name}: {' '.join(exc.messages)}") from exc
        # With a broker the job runs on a worker; in the embedded mode it has run already.
        job.refresh_from_db()
        if job.status in {ImportJob.Status.PENDING, ImportJob.Status.RUNNING}:
            self.stdout.write(f"Import job {job.pk} queued; follow it in the admin.")
            return
        for error in job.row_errors:
            column = f" [{error['column']}]" if error["column"] else ""
            self.stderr.write(f"Row {error['row']}{column}: {error['message']}")
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(
                f"Nothing imported: {len(job.row_errors)} problem(s) in {file.name}."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Imported {job.imported_rows} of {job.total_rows} rows.")
        )
