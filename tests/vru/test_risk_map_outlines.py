"""Each neighbourhood's outline is drawn once, when its boundary is written, in its
partnership's frame: the risk map is then a join of those outlines, the same map as one
projected from the boundaries, and its first view reads no boundary. Every door that writes
a boundary, or deletes a neighbourhood, leaves the stored map equal to that projection."""

import importlib
import io
import json
import re

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import LSOAFactory, make_risk_run
from vru import demo, services
from vru.models import LSOA, AuditEvent, Partnership, Role
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


# --- Every door that writes boundaries draws what it changed -----------------------------
# Each door below changes a boundary (or which neighbourhoods hold one); the map the page
# then joins from the stored outlines must be the map projected from the boundaries now.


def _projected_map(client, run, factor: str = "") -> str:
    """The map projected from the boundaries as they are now: the page's own projection,
    made by forgetting every drawn outline for the length of one view."""
    with transaction.atomic():
        LSOA.objects.update(map_path="")
        projected = _map(client, run, factor)
        transaction.set_rollback(True)
    return projected


def _assert_the_stored_map_is_the_projection(client, run, areas: int) -> None:
    for factor in ("", "need"):
        joined = _map(client, run, factor)
        assert joined.count('<a href="/neighbourhoods/') == areas
        assert joined == _projected_map(client, run, factor)
    assert not LSOA.objects.filter(boundary__isnull=False, map_path="").exists()


def _moved(shape: dict, dx: float, dy: float) -> dict:
    def move(ring):
        return [[x + dx, y + dy] for x, y in ring]

    if shape["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [move(r) for r in shape["coordinates"]]}
    return {
        "type": "MultiPolygon",
        "coordinates": [[move(r) for r in polygon] for polygon in shape["coordinates"]],
    }


@pytest.fixture
def drawn(partnership, run):
    services.area_maps_draw(partnership=partnership)
    partnership.refresh_from_db()
    return partnership


def test_a_boundary_changed_inside_the_frame_redraws_that_outline_only(analyst_client, run, drawn):
    # given the middle neighbourhood's boundary moved a little, inside the frame
    others = dict(LSOA.objects.exclude(code="E01000203").values_list("code", "map_path"))
    view_box = drawn.map_view_box

    # when
    changed = services.lsoa_boundaries_set(
        actor=None, partnership=drawn, boundaries={"E01000203": _moved(_shape(3), 0.002, 0.001)}
    )

    # then
    assert changed == 1
    assert Partnership.objects.get(pk=drawn.pk).map_view_box == view_box
    assert dict(LSOA.objects.exclude(code="E01000203").values_list("code", "map_path")) == others
    _assert_the_stored_map_is_the_projection(analyst_client, run, areas=5)


def test_a_boundary_that_moves_the_frame_redraws_the_frame_and_every_outline(
    analyst_client, run, drawn
):
    view_box = drawn.map_view_box

    services.lsoa_boundaries_set(
        actor=None, partnership=drawn, boundaries={"E01000205": _moved(_shape(5), 0.3, 0.2)}
    )

    assert Partnership.objects.get(pk=drawn.pk).map_view_box != view_box
    _assert_the_stored_map_is_the_projection(analyst_client, run, areas=5)


@pytest.mark.parametrize(
    ("boundaries", "areas"),
    [
        ({"E01000209": _shape(4)}, 6),  # a neighbourhood without one is given one
        ({"E01000201": None}, 4),  # a boundary taken away, at the edge of the frame
    ],
    ids=["given", "taken-away"],
)
def test_giving_or_taking_away_a_boundary_draws_the_map_again(
    analyst_client, run, drawn, boundaries, areas
):
    services.lsoa_boundaries_set(actor=None, partnership=drawn, boundaries=boundaries)

    _assert_the_stored_map_is_the_projection(analyst_client, run, areas=areas)


def test_a_map_in_the_cache_is_not_served_after_its_outlines_are_drawn_again(
    analyst_client, run, drawn
):
    # given the map in the cache
    cache.clear()
    before = analyst_client.get(f"/risk/?run={run.pk}").context["map_html"]

    # when a boundary changes, the cache left as it is
    services.lsoa_boundaries_set(
        actor=None, partnership=drawn, boundaries={"E01000205": _moved(_shape(5), 0.3, 0.2)}
    )
    after = analyst_client.get(f"/risk/?run={run.pk}").context["map_html"]

    # then the page shows the new map, not the one kept
    assert after != before
    assert after == _projected_map(analyst_client, run)


def test_boundaries_that_change_nothing_leave_the_map_and_its_version_alone(run, drawn):
    version = drawn.map_version

    changed = services.lsoa_boundaries_set(
        actor=None, partnership=drawn, boundaries={"E01000202": _shape(2)}
    )

    assert changed == 0
    assert Partnership.objects.get(pk=drawn.pk).map_version == version
    assert not AuditEvent.objects.filter(verb="lsoa.boundaries_set").exists()


@pytest.mark.parametrize(
    ("boundaries", "message"),
    [
        ({"E01000301": _shape(1)}, "E01000301 is not a neighbourhood of"),
        ({"E01000202": {"type": "Point", "coordinates": [0.1, 51.7]}}, "Polygon"),
        ({"E01000202": {"type": "Polygon", "coordinates": [[[0, 51], [1, 51]]]}}, "four"),
        ({"E01000202": _moved(_shape(2), 400, 0)}, "longitude, latitude"),
    ],
    ids=["another-partnerships", "a-point", "too-few-points", "not-degrees"],
)
def test_a_refused_boundary_writes_nothing(run, drawn, other_partnership, boundaries, message):
    LSOAFactory(partnership=other_partnership, code="E01000301", boundary=_shape(1))
    held = dict(LSOA.objects.values_list("code", "boundary"))

    with pytest.raises(ValidationError) as refused:
        services.lsoa_boundaries_set(
            actor=None,
            partnership=drawn,
            boundaries={"E01000203": _moved(_shape(3), 0.3, 0), **boundaries},
        )

    assert message in " ".join(refused.value.messages)
    assert dict(LSOA.objects.values_list("code", "boundary")) == held


def test_only_an_analyst_or_administrator_of_the_partnership_sets_boundaries(
    run, drawn, user_with_role, other_partnership
):
    analyst = user_with_role(Role.ANALYST)
    elsewhere = user_with_role(Role.ANALYST, partnership=other_partnership)
    commissioner = user_with_role(Role.COMMISSIONER)
    boundaries = {"E01000203": _moved(_shape(3), 0.002, 0)}

    for refused in (elsewhere, commissioner):
        with pytest.raises(PermissionDenied):
            services.lsoa_boundaries_set(actor=refused, partnership=drawn, boundaries=boundaries)
    services.lsoa_boundaries_set(actor=analyst, partnership=drawn, boundaries=boundaries)

    assert AuditEvent.objects.get(verb="lsoa.boundaries_set").actor == analyst


def test_the_boundaries_command_loads_the_partnerships_boundaries_and_draws_them(
    analyst_client, run, drawn, tmp_path
):
    # given an ONS file holding one of ours, moved, and one of another partnership
    features = [
        {
            "type": "Feature",
            "properties": {"LSOA21CD": code, "LSOA21NM": "Somewhere"},
            "geometry": geometry,
        }
        for code, geometry in [
            ("E01000204", _moved(_shape(4), -0.4, 0.1)),
            ("E01999999", _shape(1)),
        ]
    ]
    file = tmp_path / "lsoa21.geojson"
    file.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    out = io.StringIO()

    # when
    call_command("import_boundaries", str(file), "--partnership", drawn.slug, stdout=out)

    # then
    assert "1 of the file's 2 boundaries" in out.getvalue()
    assert LSOA.objects.get(code="E01000204").boundary == _moved(_shape(4), -0.4, 0.1)
    _assert_the_stored_map_is_the_projection(analyst_client, run, areas=5)


def test_the_boundaries_command_refuses_a_file_that_is_not_lsoa_geojson(drawn, tmp_path):
    file = tmp_path / "points.geojson"
    file.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "x"}]}))

    with pytest.raises(CommandError, match="no LSOA21CD"):
        call_command("import_boundaries", str(file), "--partnership", drawn.slug)


def test_the_demo_load_draws_the_boundaries_it_loads(client, user_with_role, partnership):
    # given neighbourhoods with real codes, other boundaries, and their map drawn
    codes = ["E01015693", "E01015694", "E01015695", "E01015696", "E01015697"]
    for n, code in enumerate(codes, start=1):
        LSOAFactory(partnership=partnership, code=code, boundary=_shape(n))
    run = make_risk_run(partnership, values={code: float(n) for n, code in enumerate(codes)})
    services.area_maps_draw(partnership=partnership)
    client.force_login(user_with_role(Role.ANALYST))

    # when
    demo._boundaries(partnership)

    # then
    assert LSOA.objects.get(code="E01015693").boundary != _shape(1)
    _assert_the_stored_map_is_the_projection(client, run, areas=5)


def _admin(user_with_role) -> Client:
    admin = Client()
    admin.force_login(user_with_role(Role.ADMINISTRATOR))
    return admin


# The admin deletes a neighbourhood only while no risk score, indicator or crime count
# refers to it (those are read-only there): one loaded but not yet ranked.
def test_deleting_a_neighbourhood_in_the_admin_draws_the_map_without_it(
    user_with_role, analyst_client, run, partnership
):
    # given a neighbourhood not yet ranked, drawn with the others, at the edge of the frame
    lsoa = LSOAFactory(
        partnership=partnership, code="E01000210", boundary=_moved(_shape(5), 0.3, 0.2)
    )
    services.area_maps_draw(partnership=partnership)

    # when
    response = _admin(user_with_role).post(f"/admin/vru/lsoa/{lsoa.pk}/delete/", {"post": "yes"})

    # then
    assert response.status_code == 302
    assert not LSOA.objects.filter(code="E01000210").exists()
    _assert_the_stored_map_is_the_projection(analyst_client, run, areas=5)


def test_deleting_neighbourhoods_in_bulk_in_the_admin_draws_the_map_once(
    user_with_role, analyst_client, run, partnership
):
    doomed = [
        LSOAFactory(partnership=partnership, boundary=_moved(_shape(n), 0.3, -0.2)).pk
        for n in (1, 5)
    ]
    services.area_maps_draw(partnership=partnership)
    version = Partnership.objects.get(pk=partnership.pk).map_version

    response = _admin(user_with_role).post(
        "/admin/vru/lsoa/",
        {"action": "delete_selected", "_selected_action": doomed, "post": "yes"},
    )

    assert response.status_code == 302
    assert not LSOA.objects.filter(pk__in=doomed).exists()
    assert Partnership.objects.get(pk=partnership.pk).map_version == version + 1
    assert AuditEvent.objects.filter(verb="lsoa.deleted").count() == 2
    _assert_the_stored_map_is_the_projection(analyst_client, run, areas=5)
