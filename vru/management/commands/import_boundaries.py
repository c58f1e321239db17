from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vru import services
from vru.models import LSOA, Partnership
from vru.services.areas import maps


class Command(BaseCommand):
    help = (
        "Load the neighbourhoods' boundaries from a GeoJSON file (the ONS LSOA 2021 "
        "boundaries, generalised, from the Open Geography portal: one feature per LSOA, its "
        "code in LSOA21CD), keeping those of the partnership's neighbourhoods, and draw the "
        "risk map's outlines from them. A bad boundary changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--partnership", required=True, help="Partnership slug.")

    def handle(self, *args, file, partnership, **options):
        owner = Partnership.objects.filter(slug=partnership).first()
        if owner is None:
            raise CommandError(f"No partnership with slug {partnership!r}.")
        try:
            found = maps.geojson_boundaries(file.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        held = set(LSOA.objects.filter(partnership=owner).values_list("code", flat=True))
        mine = {code: geometry for code, geometry in found.items() if code in held}
        try:
            changed = services.lsoa_boundaries_set(actor=None, partnership=owner, boundaries=mine)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(
            f"{owner}: {len(mine):,} of the file's {len(found):,} boundaries are its "
            f"neighbourhoods'; {changed:,} changed, and the map is drawn."
        )
