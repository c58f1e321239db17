"""The neighbourhoods' boundaries and the outlines drawn from them: each LSOA's boundary as
an SVG path in its partnership's frame (the frame that fits all of its boundaries), so that
the risk map joins strings instead of decoding and projecting a county's boundaries on
every first view.

Every write of a boundary, and every deletion of a neighbourhood (a neighbourhood added has
no boundary yet), comes through here and draws again, in the same transaction, what it
changed: the outlines whose boundary changed, or the frame and every outline when the frame
changes. The stored map is
then always the map projected from the boundaries. Drawing anything differently moves
`Partnership.map_version` on, and the risk maps kept in the cache are named by it."""

import json
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from vru import permissions
from vru.models import LSOA, AuditEvent, Partnership, User
from vru.selectors import maps
from vru.services.areas._common import _require
from vru.services.audit import audit_record, record_delete

BATCH = 500
GEOMETRY_TYPES = {"Polygon", "MultiPolygon"}
NUMBERS = (int, float)  # exactly: JSON's numbers, never True or False
POINT = "Give each point as [longitude, latitude] in degrees (WGS84)."


def _lock(partnership: Partnership) -> Partnership:
    """The partnership's row, locked: one drawing of its map at a time."""
    return (
        Partnership.objects.select_for_update()
        .only("pk", "map_view_box", "map_version")
        .get(pk=partnership.pk)
    )


def _lsoas(partnership: Partnership) -> list[LSOA]:
    return list(
        LSOA.objects.filter(partnership=partnership).only("pk", "code", "boundary", "map_path")
    )


def _frame(lsoas: Iterable[LSOA]) -> maps.MapFrame | None:
    return maps.map_frame([lsoa.boundary for lsoa in lsoas if lsoa.boundary])


def _draw(
    partnership: Partnership,
    row: Partnership,
    lsoas: list[LSOA],
    *,
    changed: Iterable[LSOA] = (),
    before: maps.MapFrame | None = None,
    everything: bool = False,
    moved: bool = False,
) -> None:
    """Draw the outlines of `changed` in the frame of all of `lsoas` (the partnership's
    neighbourhoods as they now are), or every outline when the frame is not `before` (or
    `everything`). The map's version moves on when anything is drawn differently (or
    `moved`: a drawn neighbourhood is gone). `row` is the partnership's locked row."""
    frame = _frame(lsoas)
    view_box = frame.view_box if frame else ""
    if everything or frame != before or row.map_view_box != view_box:
        changed = lsoas
    redrawn = []
    for lsoa in changed:
        path = maps.area_path(lsoa.boundary, frame) if frame and lsoa.boundary else ""
        if lsoa.map_path != path:
            lsoa.map_path = path
            redrawn.append(lsoa)
    LSOA.objects.bulk_update(redrawn, ["map_path"], batch_size=BATCH)
    if redrawn or moved or row.map_view_box != view_box:
        Partnership.objects.filter(pk=row.pk).update(
            map_view_box=view_box, map_version=F("map_version") + 1
        )
        row.refresh_from_db(fields=["map_view_box", "map_version"])
    partnership.map_view_box = row.map_view_box
    partnership.map_version = row.map_version


@transaction.atomic
def area_maps_draw(*, partnership: Partnership) -> int:
    """Draw every outline of the partnership again, and its frame, from the boundaries held.
    Returns how many outlines there are. The services below keep the outlines drawn as they
    change boundaries; this redraws all (`manage.py draw_area_maps`), e.g. after boundaries
    were written by hand in the database."""
    row = _lock(partnership)
    lsoas = _lsoas(partnership)
    _draw(partnership, row, lsoas, everything=True)
    return sum(1 for lsoa in lsoas if lsoa.boundary)


def _geometry_problem(geometry: object) -> str | None:
    """What is wrong with a boundary, or None: a GeoJSON Polygon or MultiPolygon in
    longitude and latitude (WGS84), or None for no boundary."""
    if geometry is None:
        return None
    if not isinstance(geometry, Mapping) or geometry.get("type") not in GEOMETRY_TYPES:
        return "Give a GeoJSON Polygon or MultiPolygon."
    polygons = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    if not isinstance(polygons, list) or not polygons:
        return "Give the boundary's coordinates."
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return "Give each polygon at least one ring."
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                return "Give each ring at least four points."
            for point in ring:
                if type(point) is not list or len(point) < 2:
                    return POINT
                x, y = point[0], point[1]
                if type(x) not in NUMBERS or type(y) not in NUMBERS:
                    return POINT
                if not (-180 <= x <= 180 and -90 <= y <= 90):
                    return POINT
    return None


@transaction.atomic
def lsoa_boundaries_set(
    *, actor: User | None, partnership: Partnership, boundaries: Mapping[str, dict | None]
) -> int:
    """Set the boundaries of the partnership's neighbourhoods named by code (a GeoJSON
    Polygon or MultiPolygon in WGS84, or None for none), one write for them all, and draw
    what that changes. Returns how many boundaries changed. Nothing is written when any
    code or boundary is refused."""
    _require(actor, permissions.can_import_area_data, partnership, "You cannot load boundaries.")
    row = _lock(partnership)
    lsoas = _lsoas(partnership)
    by_code = {lsoa.code: lsoa for lsoa in lsoas}
    errors = {}
    for code, geometry in boundaries.items():
        if code not in by_code:
            errors[code] = f"{code} is not a neighbourhood of {partnership}."
        elif problem := _geometry_problem(geometry):
            errors[code] = f"{code}: {problem}"
    if errors:
        raise ValidationError(errors, code="invalid_boundary")
    before = _frame(lsoas)
    changed = []
    for code, geometry in boundaries.items():
        lsoa = by_code[code]
        if lsoa.boundary != geometry:
            lsoa.boundary = geometry
            changed.append(lsoa)
    LSOA.objects.bulk_update(changed, ["boundary"], batch_size=BATCH)
    _draw(partnership, row, lsoas, changed=changed, before=before)
    if changed:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            verb="lsoa.boundaries_set",
            partnership=partnership,
            changes={"neighbourhoods": len(changed)},
        )
    return len(changed)


@transaction.atomic
def lsoas_delete(*, actor: User, partnership: Partnership, lsoas: Iterable[LSOA]) -> int:
    """Delete neighbourhoods of the partnership (each audited), and draw the map without
    them: a boundary gone can change the frame of all the others. Returns how many."""
    _require(actor, permissions.can_edit_strategy, partnership, "You cannot delete neighbourhoods.")
    row = _lock(partnership)
    doomed = {lsoa.pk: lsoa for lsoa in lsoas}
    if any(lsoa.partnership_id != partnership.pk for lsoa in doomed.values()):
        raise PermissionDenied("You cannot delete another partnership's neighbourhoods.")
    held = _lsoas(partnership)
    before = _frame(held)
    for lsoa in doomed.values():
        record_delete(actor=actor, instance=lsoa)
    remaining = [lsoa for lsoa in held if lsoa.pk not in doomed]
    drawn_gone = any(lsoa.map_path or lsoa.boundary for lsoa in held if lsoa.pk in doomed)
    _draw(partnership, row, remaining, before=before, moved=drawn_gone)
    return len(doomed)


def geojson_boundaries(content: bytes) -> dict[str, dict | None]:
    """The boundaries of a GeoJSON FeatureCollection (the ONS LSOA 2021 boundaries), by the
    code in each feature's properties (`LSOA21CD`, or `code`)."""
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise ValidationError("The file is not GeoJSON.", code="invalid_boundary") from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise ValidationError("Give a GeoJSON FeatureCollection.", code="invalid_boundary")
    found = {}
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            properties = {}
        code = properties.get("LSOA21CD") or properties.get("code")
        if not isinstance(code, str):
            raise ValidationError(
                f"Feature {number} has no LSOA21CD (or code) property.", code="invalid_boundary"
            )
        found[code] = feature.get("geometry")
    return found
