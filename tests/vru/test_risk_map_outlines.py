"""Each neighbourhood's outline is drawn once, when boundaries are loaded, in its
partnership's frame: the risk map is then a join of those outlines, the same map as one
projected from the boundaries, and its first view reads no boundary."""

import importlib
import io
import re

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import LSOAFactory, make_risk_run
from vru import services
from vru.models import LSOA, Partnership, Role
from vru.selectors import maps

pytestmark = pytest.mark.django_db


def _shape(n: int) -> dict:
    """Irregular outlines, one with a hole and one in two parts, so rounding shows."""
    x, y = -0.3 + 0.0731 * n, 51.7 + 0.0123 * n
    outer = [[x, y], [x + 0.061, y + 0.004], [x + 0.05, y + 0.047], [x - 0.003, y + 0.05]]
    outer.append(outer[0])
    if n == 2:
        hole = [
            [x + 0.01, y + 0.01],
            [x + 0.02, y + 0.01],
            [x + 0.02, y + 0.02],
            [x + 0.01, y + 0.01],
        ]
        return {"type": "Polygon", "coordinates": [outer, hole]}
    if n == 3:
        island = [[x + 0.1, y], [x + 0.11, y], [x + 0.11, y + 0.01], [x + 0.1, y]]
        return {"type": "MultiPolygon", "coordinates": [[outer], [island]]}
    return {"type": "Polygon", "coordinates": [outer]}


@pytest.fixture
def run(partnership):
    for n in range(1, 6):
        LSOAFactory(partnership=partnership, code=f"E0100020{n}", boundary=_shape(n))
    LSOAFactory(partnership=partnership, code="E01000209", boundary=None)
    return make_risk_run(
        partnership,
        values={f"E0100020{n}": float(n) for n in [*range(1, 6), 9]},
        top_percent=20,
    )


@pytest.fixture
def analyst_client(client, user_with_role, run):
    client.force_login(user_with_role(Role.ANALYST))
    return client


def _boundary_reads(queries) -> int:
    selects = re.compile(r'"boundary"\s*(,|FROM)')
    return sum(bool(selects.search(q["sql"])) for q in queries.captured_queries)


def _map(client, run, factor: str = "") -> str:
    cache.clear()
    return client.get(f"/risk/?run={run.pk}&factor={factor}").context["map_html"]


@pytest.mark.parametrize("factor", ["", "need"])
def test_the_joined_map_is_the_map_projected_from_the_boundaries(
    analyst_client, run, partnership, factor
):
    projected = _map(analyst_client, run, factor)  # nothing drawn yet: projected now
    services.area_maps_draw(partnership=partnership)

    joined = _map(analyst_client, run, factor)

    assert joined.count('<a href="/neighbourhoods/') == 5
    assert joined == projected


def test_the_first_view_of_a_drawn_map_reads_no_boundary(analyst_client, run, partnership):
    services.area_maps_draw(partnership=partnership)
    cache.clear()

    with CaptureQueriesContext(connection) as queries:
        response = analyst_client.get(f"/risk/?run={run.pk}")

    assert response.context["map_html"].count('<a href="/neighbourhoods/') == 5
    assert _boundary_reads(queries) == 0


def test_an_outline_not_yet_drawn_has_the_map_projected_from_the_boundaries(
    analyst_client, run, partnership
):
    services.area_maps_draw(partnership=partnership)
    LSOA.objects.filter(code="E01000203").update(map_path="")
    cache.clear()

    with CaptureQueriesContext(connection) as queries:
        html = analyst_client.get(f"/risk/?run={run.pk}").context["map_html"]

    assert html.count('<a href="/neighbourhoods/') == 5
    assert _boundary_reads(queries) == 1


def test_drawing_keeps_each_outline_and_the_frame_that_fits_them_all(partnership, run):
    drawn = services.area_maps_draw(partnership=partnership)

    frame = maps.map_frame([_shape(n) for n in range(1, 6)])
    assert drawn == 5
    assert Partnership.objects.get(pk=partnership.pk).map_view_box == frame.view_box
    assert LSOA.objects.get(code="E01000202").map_path == maps.area_path(_shape(2), frame)
    assert LSOA.objects.get(code="E01000209").map_path == ""


def test_the_command_draws_every_partnerships_outlines(partnership, other_partnership, run):
    LSOAFactory(partnership=other_partnership, code="E01000301", boundary=_shape(1))

    call_command("draw_area_maps", stdout=io.StringIO())

    assert LSOA.objects.filter(boundary__isnull=False, map_path="").count() == 0
    assert Partnership.objects.get(pk=other_partnership.pk).map_view_box


def test_the_migration_draws_the_outlines_held_before_it_as_loading_does(partnership, run):
    migration = importlib.import_module("vru.migrations.0021_draw_lsoa_map_paths")

    migration.draw(apps, None)
    by_migration = dict(LSOA.objects.values_list("code", "map_path"))
    services.area_maps_draw(partnership=partnership)

    assert by_migration == dict(LSOA.objects.values_list("code", "map_path"))
    assert sum(bool(path) for path in by_migration.values()) == 5
