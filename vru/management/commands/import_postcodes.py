from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vru.services import postcodes


class Command(BaseCommand):
    help = (
        "Import the ONS postcode directory (the NSPL or ONSPD CSV, from the ONS Open "
        "Geography portal), keeping the postcodes in the neighbourhoods held, so the place "
        "picker takes postcodes. Replaces the previous import; a bad file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The directory's CSV file (NSPL or ONSPD)")

    def handle(self, *args, path, **options):
        try:
            result = postcodes.postcodes_import_file(actor=None, path=path)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        self.stdout.write(
            f"Read {result['read']:,} postcodes; kept {result['kept']:,} in the neighbourhoods "
            f"held (the previous {result['replaced']:,} replaced)."
        )
