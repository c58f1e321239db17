"""Draw GeoJSON boundaries as SVG on the server: no map tiles, no third-party requests."""

import math
from dataclasses import dataclass


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
