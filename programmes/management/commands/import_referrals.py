"""Import referrals from a custody spreadsheet on the command line (all or nothing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programmes import services
from programmes.models import Programme


class Command(BaseCommand):
    help = "Import referrals from a CSV or XLSX custody spreadsheet into a programme."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--programme", type=int, required=True, help="Programme id")

    def handle(self, *args, **options):
        path = Path(options["file"])
        programme = Programme.objects.filter(pk=options["programme"]).first()
        if programme is None:
            raise CommandError("No such programme.")
        rows = services.read_rows(file_name=path.name, content=path.read_bytes())
        outcome = services.referrals_import(actor=None, programme=programme, rows=rows)
        if outcome.errors:
            for error in outcome.errors[:50]:
                self.stderr.write(f"row {error.row}, {error.column}: {error.message}")
            raise CommandError(f"Nothing imported: {len(outcome.errors)} errors.")
        self.stdout.write(
            f"{outcome.imported_rows} referrals imported "
            f"({outcome.possible_duplicates} possible duplicates flagged)."
        )
