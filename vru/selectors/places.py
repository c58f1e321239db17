"""Neighbourhoods (LSOAs), local authorities and community safety partnerships, as the viewer may see them."""

import re
from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet, Sum

from vru import compiled, permissions
from vru.filters import LSOAFilter
from vru.models import (
    LSOA,
    CommunitySafetyPartnership,
    ImportJob,
    LocalAuthority,
    Postcode,
    User,
)
from vru.selectors import maps
from vru.validators import POSTCODE, postcode_key


def lsoa_list(*, viewer: User, filters: dict | None = None) -> QuerySet[LSOA]:
    if not permissions.can_view_areas(viewer):
        return LSOA.objects.none()
    qs = (
        LSOA.objects.for_viewer(viewer)
        .select_related("local_authority", "community_safety_partnership")
        .defer(*LSOA.drawing())  # drawn only on the LSOA's own page and the maps
    )
    if filters is not None:
        qs = LSOAFilter(filters, queryset=qs).qs
    return qs


def lsoa_rows(
    *,
    viewer: User,
    fields: list[str],
    order_by: list[str],
    start: int,
    size: int,
    count_as: str,
) -> list[dict]:
    """A page of the viewer's neighbourhoods, none filtered out, as rows of ``fields`` in
    ``order_by``, each with the number of them all under ``count_as``: one query, built and
    compiled through the ORM once per shape and then only run (vru.compiled), as the
    referral list's. The same neighbourhoods as ``lsoa_list``."""
    if not permissions.can_view_areas(viewer) or viewer.partnership_id is None:
        return []

    def build(inputs: list) -> QuerySet:
        (partnership_id,) = inputs
        visible = LSOA.objects.in_partnership(partnership_id)
        rows = visible.values(*fields).annotate(**{count_as: compiled.count_expression(visible)})
        return rows.order_by(*order_by)[start : start + size]

    key = ("lsoa rows", tuple(fields), tuple(order_by), start, size, count_as)
    found = compiled.rows(key, build, [int], [viewer.partnership_id])
    return list(build([viewer.partnership_id])) if found is None else found


def lsoa_get(*, viewer: User, code: str) -> LSOA | None:
    if not permissions.can_view_areas(viewer):
        return None
    return (
        LSOA.objects.for_viewer(viewer)
        .filter(code=code)
        .select_related("local_authority", "community_safety_partnership")
        .first()
    )


def local_authority_list(*, viewer: User) -> QuerySet[LocalAuthority]:
    if not permissions.can_view_areas(viewer):
        return LocalAuthority.objects.none()
    return LocalAuthority.objects.for_viewer(viewer).select_related("community_safety_partnership")


def community_safety_partnership_list(*, viewer: User) -> QuerySet[CommunitySafetyPartnership]:
    if not permissions.can_view_areas(viewer):
        return CommunitySafetyPartnership.objects.none()
    return CommunitySafetyPartnership.objects.for_viewer(viewer)


def area_summary(*, viewer: User) -> dict:
    """Headline figures about the partnership's neighbourhoods, computed in the database."""
    qs = lsoa_list(viewer=viewer)
    figures = qs.aggregate(
        lsoas=Count("pk"),
        population=Sum("population"),
        most_deprived=Count("pk", filter=Q(imd_decile__lte=2)),
        average_imd_score=Avg("imd_score"),
        local_authorities=Count("local_authority", distinct=True),
        csps=Count("community_safety_partnership", distinct=True),
    )
    return figures


# --- Picking a place: a code, an LSOA name or a place's name -------------------------------

LSOA_CODE = re.compile(r"^[EW]01\d{6}$", re.IGNORECASE)
SUGGESTIONS = 10


@dataclass(frozen=True)
class PlaceMatch:
    """What a typed place names in the viewer's partnership: the one neighbourhood it names
    (``lsoa``), else how many it matches and a few of them (none: unknown; more: ambiguous)."""

    text: str
    lsoa: LSOA | None
    count: int
    examples: tuple[LSOA, ...] = ()
    postcode: bool = False


def _pickable(viewer: User) -> QuerySet[LSOA]:
    # anyone of a partnership who records a place may pick one of its neighbourhoods: names
    # and codes of LSOAs are public (ONS), and only the viewer's partnership's are offered
    if not permissions.belongs_to_a_partnership(viewer):
        return LSOA.objects.none()
    return LSOA.objects.for_viewer(viewer).select_related("local_authority").defer(*LSOA.drawing())


def place_find(*, viewer: User, text: str) -> PlaceMatch:
    """The neighbourhood of the viewer's partnership that ``text`` names: its LSOA code
    (E01021237), a postcode (CM1 1AA, where the postcode directory has been imported), its
    LSOA name (Chelmsford 001A), or a place, ward or local authority name
    that only one of its neighbourhoods bears. One query for a code or a full name, two
    otherwise; at most a few rows are read."""
    text = " ".join(str(text or "").split())
    qs = _pickable(viewer)
    if not text:
        return PlaceMatch(text, None, 0)
    if LSOA_CODE.match(text):
        found = qs.filter(code=text.upper()).first()
        return PlaceMatch(text, found, int(found is not None), (found,) if found else ())
    if POSTCODE.match(postcode_key(text)):
        # a postcode of the imported directory (vru.services.postcodes), in this partnership
        found = qs.filter(postcodes__postcode=postcode_key(text)).first()
        return PlaceMatch(text, found, int(found is not None), (found,) if found else (), True)
    exact = list(qs.filter(name__iexact=text)[:2])
    if len(exact) == 1:
        return PlaceMatch(text, exact[0], 1, tuple(exact))
    matching = qs.filter(
        Q(name__istartswith=text) | Q(local_authority__name__iexact=text)
    ).order_by("name", "code")
    examples = tuple(matching[:3])
    count = len(examples) if len(examples) < 3 else matching.count()
    return PlaceMatch(text, examples[0] if count == 1 else None, count, examples)


def place_suggestions(*, viewer: User, text: str, limit: int = SUGGESTIONS) -> list[dict]:
    """Up to ``limit`` neighbourhoods of the viewer's partnership whose code, LSOA name or
    local authority begins with ``text`` (or whose name holds it), for suggestions as one
    types: {code, name, local_authority}."""
    text = " ".join(str(text or "").split())
    if len(text) < 2:
        return []
    rows = (
        _pickable(viewer)
        .filter(
            Q(code__istartswith=text)
            | Q(name__icontains=text)
            | Q(local_authority__name__istartswith=text)
        )
        .order_by("name", "code")
        .values("code", "name", "local_authority__name")[: max(0, min(limit, SUGGESTIONS))]
    )
    return [
        {"code": r["code"], "name": r["name"], "local_authority": r["local_authority__name"]}
        for r in rows
    ]


def place_map(
    *, viewer: User, local_authority_code: str
) -> tuple[list[LocalAuthority], maps.Choropleth | None]:
    """For choosing a place on a map: the viewer's partnership's local authorities, and the
    neighbourhoods of the one chosen drawn on one projection (none chosen or unknown: None).
    One local authority at a time keeps the drawing small enough for a phone."""
    authorities = list(
        LocalAuthority.objects.filter(
            pk__in=_pickable(viewer).values("local_authority_id")
        ).order_by("name")
    )
    chosen = next((la for la in authorities if la.code == local_authority_code), None)
    if chosen is None:
        return authorities, None
    rows = [
        {"code": code, "name": name, "boundary": boundary, "value": None}
        for code, name, boundary in LSOA.objects.for_viewer(viewer)
        .filter(local_authority=chosen)
        .order_by("code")
        .values_list("code", "name", "boundary")
    ]
    return authorities, maps.choropleth_svg(rows, width=360.0)


# --- Where a phone is: the neighbourhood whose boundary holds a point ----------------------


def _ring_holds(ring: list, x: float, y: float) -> bool:
    """Ray casting: does the closed ring of [lon, lat] points hold (x, y)?"""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _polygons(geometry: dict) -> list:
    kind = (geometry or {}).get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def geometry_holds(geometry: dict, latitude: float, longitude: float) -> bool:
    """A GeoJSON Polygon or MultiPolygon (WGS84) holds the point: inside an outer ring and
    in none of its holes."""
    for rings in _polygons(geometry):
        if (
            rings
            and _ring_holds(rings[0], longitude, latitude)
            and not any(_ring_holds(hole, longitude, latitude) for hole in rings[1:])
        ):
            return True
    return False


def lsoa_at(*, viewer: User, latitude: float, longitude: float) -> LSOA | None:
    """The neighbourhood of the viewer's partnership whose boundary holds the point (from a
    phone's location), or None: outside them all, or the partnership has no boundaries.
    The boundaries are read a bounding box first, in Python (no spatial database)."""
    found = None
    rows = _pickable(viewer).filter(boundary__isnull=False).values_list("pk", "boundary")
    for pk, geometry in rows.iterator(chunk_size=200):
        polygons = _polygons(geometry)
        points = [p for rings in polygons for p in (rings[0] if rings else [])]
        if not points:
            continue
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        if not (min(lons) <= longitude <= max(lons) and min(lats) <= latitude <= max(lats)):
            continue
        if geometry_holds(geometry, latitude, longitude):
            found = pk
            break
    return _pickable(viewer).filter(pk=found).first() if found else None


# --- The ONS postcode directory's uploads ----------------------------------------------


def postcode_import_job_list(*, viewer: User) -> QuerySet[ImportJob]:
    """Postcode-directory uploads (checked, waiting, imported, undone) of the viewer's
    partnership, for those who may import area data; nobody else sees any (404)."""
    if not permissions.can_import_area_data(viewer):
        return ImportJob.objects.none()
    return (
        ImportJob.objects.for_viewer(viewer)
        .filter(kind=ImportJob.Kind.POSTCODES)
        .select_related("created_by", "confirmed_by", "restored_by")
        .defer("content")
    )


def postcode_count(*, viewer: User) -> int:
    """How many postcodes are held for the viewer's partnership's neighbourhoods."""
    if not permissions.can_import_area_data(viewer):
        return 0
    return Postcode.objects.filter(lsoa__partnership_id=viewer.partnership_id).count()
