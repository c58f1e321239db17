"""Area lists (risk runs, hotspots, area profiles, crime imports, indicators; pages and API)
do not query per row: a partnership with fifty of everything costs the same number of queries
as one with two. Kept apart from the area permission matrix (test_areas_access.py), whose
module-wide world would share the partnerships these tests fill."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CrimeCountFactory, CrimeFactorFactory, LSOAFactory, make_risk_run
from vru import services
from vru.models import Role

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(partnership, n, prefix):
    codes = [f"E01{prefix}{i:03d}" for i in range(n)]
    factor = CrimeFactorFactory(partnership=partnership, key="violence")
    for i, code in enumerate(codes):
        lsoa = LSOAFactory(partnership=partnership, code=code, population=1000)
        CrimeCountFactory(lsoa=lsoa, count=200 if i % 2 == 0 else 1)  # every other one hot
    services.hotspots_compute(actor=None, partnership=partnership, factor=factor, year=2019)
    services.area_profiles_generate(
        actor=None, partnership=partnership, month=datetime.date(2019, 1, 1)
    )
    run = make_risk_run(partnership, values={c: float(i) for i, c in enumerate(codes)})
    services.risk_run_make_current(actor=None, run=run)
    return run


@pytest.mark.parametrize(
    "url",
    [
        "/risk/",
        "/risk/runs/",
        "/risk/runs/{run}/",
        "/risk/hotspots/",
        "/area-profiles/",
        "/crime-imports/",
        "/area-indicators/",
        "/api/risk-runs/",
        "/api/risk-runs/{run}/scores/",
        "/api/hotspots/",
        "/api/area-profiles/",
    ],
)
def test_area_lists_do_not_query_per_row(
    client, api_client, user_with_role, partnership, other_partnership, url
):
    small = _grow(partnership, 2, "030")  # one hotspot, two of everything else
    big = _grow(other_partnership, 50, "031")
    analyst = user_with_role(Role.ANALYST)
    other_analyst = user_with_role(Role.ANALYST, partnership=other_partnership)

    def count(user, run):
        target = url.format(run=run.pk)
        if target.startswith("/api/"):
            api_client.force_authenticate(user)
            return _queries(api_client, target)
        client.force_login(user)
        return _queries(client, target)

    assert count(analyst, small) == count(other_analyst, big)
