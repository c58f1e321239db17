"""The neighbourhoods' outlines drawn once, when boundaries are loaded: each LSOA's boundary
as an SVG path in its partnership's frame, so that the risk map joins strings instead of
decoding and projecting a county's boundaries on every first view."""

from django.db import transaction

from vru.models import LSOA, Partnership
from vru.selectors import maps

BATCH = 500


@transaction.atomic
def area_maps_draw(*, partnership: Partnership) -> int:
    """Draw every outline of the partnership in the frame that fits them all (the frame a
    map of all of them takes), and keep the frame. Returns how many outlines were drawn.
    Run whenever boundaries change: `manage.py draw_area_maps` for every partnership."""
    lsoas = list(LSOA.objects.filter(partnership=partnership).only("pk", "boundary", "map_path"))
    frame = maps.map_frame([lsoa.boundary for lsoa in lsoas if lsoa.boundary])
    changed = []
    for lsoa in lsoas:
        path = maps.area_path(lsoa.boundary, frame) if frame and lsoa.boundary else ""
        if lsoa.map_path != path:
            lsoa.map_path = path
            changed.append(lsoa)
    LSOA.objects.bulk_update(changed, ["map_path"], batch_size=BATCH)
    view_box = frame.view_box if frame else ""
    Partnership.objects.filter(pk=partnership.pk).update(map_view_box=view_box)
    partnership.map_view_box = view_box
    return sum(1 for lsoa in lsoas if lsoa.boundary)
