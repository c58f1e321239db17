"""Lists of neighbourhoods, and lists that show a neighbourhood beside their records, never read
the columns that draw it (its boundary and outline: kilobytes each, LSOA.DRAWING); only its own
page and the maps do."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from programmes import services
from tests.factories import LSOAFactory, ProgrammeFactory, programme_staff
from vru.models import Role

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[0, 51], [0, 51.01], [0.01, 51.01], [0, 51]]]}


def _read(client, path) -> str:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return " ".join(query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize("path", ["/neighbourhoods/", "/api/lsoas/"])
def test_the_neighbourhood_lists_leave_the_drawings_out(client, partnership, user_with_role, path):
    LSOAFactory(partnership=partnership, boundary=SQUARE, map_path="M0 0L1 1Z")
    client.force_login(user_with_role(Role.ANALYST))

    sql = _read(client, path)

    assert '"boundary"' not in sql
    assert '"map_path"' not in sql


def test_the_sessions_list_leaves_its_places_drawings_out(client, partnership):
    programme = ProgrammeFactory(partnership=partnership)
    worker = programme_staff(programme, "practitioner")
    lsoa = LSOAFactory(partnership=partnership, boundary=SQUARE, map_path="M0 0L1 1Z")
    services.session_record(
        actor=worker,
        programme=programme,
        kind="detached",
        held_on=timezone.localdate(),
        place="Town park",
        lsoa=lsoa,
    )
    client.force_login(worker)

    sql = _read(client, "/programmes/sessions/")

    assert '"vru_lsoa"' in sql  # the place is shown
    assert '"boundary"' not in sql
    assert '"map_path"' not in sql
