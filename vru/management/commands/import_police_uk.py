from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vru import services
from vru.models import ImportJob, Partnership
from vru.services import workbooks


class Command(BaseCommand):
    help = (
        "Import police.uk street-level crime CSVs (optionally .gz): counts per 2021 LSOA, month "
        "and crime type. Each file goes the way of an upload on the page (an import job: "
        "checked, then imported), run here. A file for another area (its rows mostly outside "
        "the partnership or from a force that does not serve it) is refused. Months already "
        "stored are replaced only with --replace (what they held is kept, so the import can "
        "be undone on its page). Prints what was skipped and why."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--partnership", required=True, help="Partnership slug.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the counts stored for the file's months (refused otherwise).",
        )

    def handle(self, *args, files, partnership, replace=False, **options):
        try:
            owner = Partnership.objects.get(slug=partnership)
        except Partnership.DoesNotExist as exc:
            raise CommandError(f"No partnership with slug {partnership!r}.") from exc
        for path in files:
            try:
                content = path.read_bytes()
                if path.suffix == ".gz":
                    content = workbooks.gunzip(content, limits=workbooks.background())
                job, problem = services.reviewed_import_by_command(
                    partnership=owner,
                    kind=ImportJob.Kind.POLICE_UK,
                    file_name=path.name.removesuffix(".gz"),
                    content=content,
                    replace=replace,
                )
            except ValidationError as exc:
                raise CommandError(f"{path.name}: {' '.join(exc.messages)}") from exc
            if problem or job.crime_import is None:
                raise CommandError(f"{path.name}: {problem or 'nothing was imported.'}")
            record = job.crime_import
            self.stdout.write(
                f"{path.name}: {record.rows_counted} of {record.rows_read} rows counted "
                f"for {', '.join(record.months)}; skipped {record.skipped or 'none'}; "
                f"notes {record.notes or 'none'}"
            )
