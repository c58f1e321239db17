"""Draw GeoJSON boundaries as SVG on the server: no map tiles, no third-party requests."""

import math
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class SvgShape:
    view_box: str
    path: str


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def boundary_svg(geometry: dict | None, *, width: float = 400.0) -> SvgShape | None:
    """One area's outline, scaled to `width` with north up and true proportions."""
    if not geometry:
        return None
    rings = _rings(geometry)
    points = [point for ring in rings for point in ring]
    if not points:
        return None
    min_x = min(p[0] for p in points)
    max_x = max(p[0] for p in points)
    min_y = min(p[1] for p in points)
    max_y = max(p[1] for p in points)
    # Longitude degrees shrink with latitude; scale them so shapes are not stretched.
    x_scale = math.cos(math.radians((min_y + max_y) / 2))
    span_x = max((max_x - min_x) * x_scale, 1e-9)
    span_y = max(max_y - min_y, 1e-9)
    scale = width / max(span_x, span_y)
    height = span_y * scale
    parts = []
    for ring in rings:
        coords = " ".join(
            f"{(x - min_x) * x_scale * scale:.1f},{(max_y - y) * scale:.1f}" for x, y in ring
        )
        parts.append(f"M{coords}Z")
    return SvgShape(view_box=f"0 0 {span_x * scale:.1f} {height:.1f}", path=" ".join(parts))


# --- Choropleths -------------------------------------------------------------------------

# ColorBrewer YlOrRd, 5 classes: ordered light (low) to dark (high), readable in greyscale.
BAND_COLOURS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
NO_DATA_COLOUR = "#d9d9d9"


@dataclass(frozen=True)
class MapArea:
    code: str
    name: str
    path: str
    colour: str
    band: int | None
    value: float | None
    rank: int | None
    is_priority: bool


@dataclass(frozen=True)
class Choropleth:
    view_box: str
    areas: list[MapArea]
    legend: list[tuple[str, str]]  # (colour, label)


def quantile_breaks(values: list[float], bands: int = len(BAND_COLOURS)) -> list[float]:
    """Upper bounds of equal-count bands (quantiles), lowest first."""
    ordered = sorted(values)
    if not ordered:
        return []
    return [
        ordered[min(len(ordered) - 1, (len(ordered) * i) // bands - 1)] for i in range(1, bands + 1)
    ]


def choropleth_legend(
    values: list[float], *, no_data: bool = False, value_format: str = "{:.2f}"
) -> list[tuple[str, str]]:
    """(colour, label) of each band a choropleth of these values draws, lowest first: the
    key beside a map, worked out without its boundaries."""
    breaks = quantile_breaks(values)
    legend = []
    lower = min(values) if values else None
    for colour, upper in zip(BAND_COLOURS, breaks, strict=False):
        legend.append((colour, f"{value_format.format(lower)} to {value_format.format(upper)}"))
        lower = upper
    if no_data:
        legend.append((NO_DATA_COLOUR, "No data"))
    return legend


def _band(value: float, breaks: list[float]) -> int:
    for index, upper in enumerate(breaks):
        if value <= upper:
            return index
    return len(breaks) - 1


def _ring_path(ring: list, min_x: float, max_y: float, sx: float, sy: float) -> str:
    """One ring in whole units, consecutive repeats dropped (a county map stays small)."""
    points: list[str] = []
    for x, y in ring:
        point = f"{round((x - min_x) * sx)},{round((max_y - y) * sy)}"
        if not points or points[-1] != point:
            points.append(point)
    return "M" + " ".join(points) + "Z" if len(points) > 2 else ""


@dataclass(frozen=True)
class MapFrame:
    """One shared projection of many areas: where their outlines' points land on the map."""

    min_x: float
    max_y: float
    x_scale: float  # map units per degree of longitude
    y_scale: float  # map units per degree of latitude
    view_box: str


def map_frame(geometries: list[dict], *, width: float = 800.0) -> MapFrame | None:
    """The frame that fits these outlines in `width`, north up, in true proportions (None
    when they hold no point)."""
    points = [p for geometry in geometries for ring in _rings(geometry) for p in ring]
    if not points:
        return None
    min_x = min(p[0] for p in points)
    max_x = max(p[0] for p in points)
    min_y = min(p[1] for p in points)
    max_y = max(p[1] for p in points)
    x_scale = math.cos(math.radians((min_y + max_y) / 2))
    span_x = max((max_x - min_x) * x_scale, 1e-9)
    span_y = max(max_y - min_y, 1e-9)
    scale = width / max(span_x, span_y)
    return MapFrame(
        min_x=min_x,
        max_y=max_y,
        x_scale=x_scale * scale,
        y_scale=scale,
        view_box=f"0 0 {span_x * scale:.1f} {span_y * scale:.1f}",
    )


def area_path(geometry: dict | None, frame: MapFrame) -> str:
    """One area's outline as an SVG path in a shared frame."""
    if not geometry:
        return ""
    return " ".join(
        _ring_path(ring, frame.min_x, frame.max_y, frame.x_scale, frame.y_scale)
        for ring in _rings(geometry)
    )


def choropleth_svg(
    rows: list[dict], *, width: float = 800.0, value_format: str = "{:.2f}"
) -> Choropleth | None:
    """Many areas on one shared projection, coloured by quantile band of `value`.

    `rows` hold code, name, boundary (GeoJSON), value, rank and is_priority.
    """
    shaped = [row for row in rows if row.get("boundary")]
    frame = map_frame([row["boundary"] for row in shaped], width=width)
    if frame is None:
        return None
    paths = [area_path(row["boundary"], frame) for row in shaped]
    return _choropleth(shaped, paths, frame.view_box, value_format)


def choropleth_of_paths(
    rows: list[dict], *, view_box: str, value_format: str = "{:.2f}"
) -> Choropleth | None:
    """The same map from outlines drawn beforehand in one frame (`view_box`): `rows` are the
    areas with a boundary, each with its `path`. Nothing is projected: a county is a join."""
    if not rows:
        return None
    return _choropleth(rows, [row["path"] for row in rows], view_box, value_format)


def _choropleth(rows: list[dict], paths: list[str], view_box: str, value_format: str) -> Choropleth:
    values = [row["value"] for row in rows if row.get("value") is not None]
    breaks = quantile_breaks(values)
    areas = []
    for row, path in zip(rows, paths, strict=True):
        value = row.get("value")
        band = _band(value, breaks) if value is not None and breaks else None
        areas.append(
            MapArea(
                code=row["code"],
                name=row["name"],
                path=path,
                colour=BAND_COLOURS[band] if band is not None else NO_DATA_COLOUR,
                band=band,
                value=value,
                rank=row.get("rank"),
                is_priority=bool(row.get("is_priority")),
            )
        )
    legend = choropleth_legend(
        values, no_data=any(a.band is None for a in areas), value_format=value_format
    )
    return Choropleth(view_box=view_box, areas=areas, legend=legend)


def linked_areas_markup(choropleth: Choropleth, *, href_template: str) -> str:
    """The map's areas as SVG, each a link (``href_template`` with ``{code}``) titled with
    its code, name, rank, value and priority. Built in one join: a template loop over a
    county's thousand-odd areas took most of the time of drawing the risk map."""
    parts = []
    for area in choropleth.areas:
        title = f"{area.code} {area.name}: rank {area.rank}"
        if area.value is not None:
            title += f", {area.value:.2f}"
        if area.is_priority:
            title += ", priority"
        hatch = (
            f'<path d="{area.path}" fill="url(#priority-hatch)"></path>' if area.is_priority else ""
        )
        parts.append(
            f'<a href="{escape(href_template.format(code=area.code))}"><title>{escape(title)}'
            f'</title><path d="{area.path}" fill="{area.colour}"></path>{hatch}</a>'
        )
    return "".join(parts)
