from django.core.management.base import BaseCommand, CommandError

from vru import services
from vru.models import Partnership


class Command(BaseCommand):
    help = (
        "Draw the neighbourhoods' outlines for the maps again, from their boundaries. "
        "Loading boundaries (import_boundaries, the demo load) and deleting neighbourhoods "
        "draw what they change; run this only after boundaries were written by other means."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnership", help="Partnership slug (default: every one).")

    def handle(self, *args, partnership=None, **options):
        partnerships = Partnership.objects.all()
        if partnership:
            partnerships = partnerships.filter(slug=partnership)
            if not partnerships.exists():
                raise CommandError(f"No partnership with slug {partnership!r}.")
        for owner in partnerships:
            drawn = services.area_maps_draw(partnership=owner)
            self.stdout.write(f"{owner}: {drawn:,} outlines drawn.")
