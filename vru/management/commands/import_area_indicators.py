from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vru import services
from vru.models import ImportJob, Partnership


class Command(BaseCommand):
    help = (
        "Import area indicators from CSV or XLSX: columns lsoa_code, factor, period (year or "
        "month), period_start (YYYY, YYYY-MM or YYYY-MM-DD), value, source. The file goes the "
        "way of an upload on the page (an import job: checked, then imported), run here. "
        "All or nothing; "
        "importing the same file again changes nothing; stored values that would change are "
        "replaced only with --replace (and the import can be undone from its page)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--partnership", required=True, help="Partnership slug.")
        parser.add_argument(
            "--factor-set",
            choices=["essex", "proxies"],
            help="Install this factor set first (idempotent).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace stored values that the file changes.",
        )

    def handle(self, *args, file, partnership, factor_set, replace, **options):
        try:
            owner = Partnership.objects.get(slug=partnership)
        except Partnership.DoesNotExist as exc:
            raise CommandError(f"No partnership with slug {partnership!r}.") from exc
        if factor_set:
            services.factor_set_install(actor=None, partnership=owner, factor_set=factor_set)
        try:
            job, problem = services.reviewed_import_by_command(
                partnership=owner,
                kind=ImportJob.Kind.AREA_INDICATORS,
                file_name=file.name,
                content=file.read_bytes(),
                replace=replace,
            )
        except ValidationError as exc:
            raise CommandError(f"{file.name}: {' '.join(exc.messages)}") from exc
        if job.status in {ImportJob.Status.REFUSED, ImportJob.Status.FAILED}:
            for error in job.row_errors:
                self.stderr.write(f"Row {error['row']}, {error['column']}: {error['message']}")
            raise CommandError(f"{len(job.row_errors)} errors: nothing was imported.")
        if problem:
            raise CommandError(f"{problem} (--replace does): nothing was imported.")
        if job.status == ImportJob.Status.CANCELLED:
            rows = job.preview.get("rows_read", 0)
            self.stdout.write(f"Nothing changed: the {rows} rows are already stored.")
            return
        self.stdout.write(f"Imported {job.imported_rows} of {job.total_rows} rows.")
