"""The risk page draws its map once per run and factor and keeps it in the cache, reads no
boundaries for the page around it, and is sent compressed."""

import gzip
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import LSOAFactory, make_risk_run
from vru.models import Role

pytestmark = pytest.mark.django_db


def _square(n: int) -> dict:
    x = 0.1 * n
    return {
        "type": "Polygon",
        "coordinates": [[[x, 51], [x + 0.1, 51], [x + 0.1, 51.1], [x, 51.1], [x, 51]]],
    }


@pytest.fixture
def run(partnership):
    for n in range(1, 6):
        LSOAFactory(partnership=partnership, code=f"E0100010{n}", boundary=_square(n))
    return make_risk_run(
        partnership, values={f"E0100010{n}": float(n) for n in range(1, 6)}, top_percent=20
    )


@pytest.fixture
def analyst_client(client, user_with_role, run):
    client.force_login(user_with_role(Role.ANALYST))
    return client


def _boundary_reads(queries) -> int:
    """Queries that load boundaries (select the column, not only test it for null)."""
    selects = re.compile(r'"boundary"\s*(,|FROM)')
    return sum(bool(selects.search(q["sql"])) for q in queries.captured_queries)


def test_the_map_is_drawn_once_then_served_from_the_cache(analyst_client, run):
    with CaptureQueriesContext(connection) as first:
        drawn = analyst_client.get(f"/risk/?run={run.pk}")
    with CaptureQueriesContext(connection) as second:
        again = analyst_client.get(f"/risk/?run={run.pk}")

    assert drawn.context["map_html"].count('<a href="/neighbourhoods/') == 5
    assert again.context["map_html"] == drawn.context["map_html"]
    assert _boundary_reads(first) == 1  # drawing it reads the boundaries once
    assert _boundary_reads(second) == 0  # the page around it never does


def test_each_factor_has_its_own_map(analyst_client, run):
    score = analyst_client.get(f"/risk/?run={run.pk}").context["map_html"]
    need = analyst_client.get(f"/risk/?run={run.pk}&factor=need").context["map_html"]

    assert "the risk index score" in score
    assert "Need" in need


def test_the_key_and_the_summary_are_on_the_page_without_the_boundaries(analyst_client, run):
    body = analyst_client.get(f"/risk/?run={run.pk}").content.decode()

    assert body.count('fill="#') >= 5  # the key's five bands
    assert "priority LSOA" in body


def test_the_page_is_sent_compressed(analyst_client, run):
    response = analyst_client.get(f"/risk/?run={run.pk}", HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert "Map of the risk index score" in gzip.decompress(response.content).decode()
