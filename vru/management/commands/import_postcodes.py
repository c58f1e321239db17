from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vru.models import Partnership
from vru.services import postcodes


class Command(BaseCommand):
    help = (
        "Import the ONS postcode directory (the NSPL or ONSPD CSV, from the ONS Open "
        "Geography portal), keeping the postcodes in the neighbourhoods held (of one "
        "partnership with --partnership), so the place picker takes postcodes. Replaces the "
        "previous import of the same neighbourhoods; a bad file changes nothing. The upload "
        "page (/postcode-imports/) reads and writes with the same rule."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The directory's CSV file (NSPL or ONSPD)")
        parser.add_argument("--partnership", help="Partnership slug (default: every one).")

    def handle(self, *args, path, partnership=None, **options):
        owner = None
        if partnership:
            owner = Partnership.objects.filter(slug=partnership).first()
            if owner is None:
                raise CommandError(f"No partnership with slug {partnership!r}.")
        try:
            result = postcodes.postcodes_import_file(actor=None, path=path, partnership=owner)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8 text.") from None
        self.stdout.write(
            f"Read {result['read']:,} postcodes; kept {result['kept']:,} in the neighbourhoods "
            f"held (the previous {result['replaced']:,} replaced)."
        )
