from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vru import services
from vru.models import Partnership
from vru.services import workbooks


class Command(BaseCommand):
    help = (
        "Import police.uk street-level crime CSVs (optionally .gz): counts per 2021 LSOA, month "
        "and crime type. A file for another area (its rows mostly outside the partnership or "
        "from a force that does not serve it) is refused. Months already stored are replaced "
        "only with --replace (what they held is kept, so the import can be undone on its "
        "page). Prints what was skipped and why."
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
                record = services.crime_file_import(
                    actor=None,
                    partnership=owner,
                    file_name=path.name.removesuffix(".gz"),
                    content=content,
                    replace=replace,
                )
            except ValidationError as exc:
                raise CommandError(f"{path.name}: {' '.join(exc.messages)}") from exc
            self.stdout.write(
                f"{path.name}: {record.rows_counted} of {record.rows_read} rows counted "
                f"for {', '.join(record.months)}; skipped {record.skipped or 'none'}; "
                f"notes {record.notes or 'none'}"
            )
