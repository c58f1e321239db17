"""The permission matrix of issue 3's doors: every role against every risk index, hotspot,
area profile and crime import page, export and API endpoint; and the partnership boundary.
Query counts that do not grow with rows: test_areas_queries.py."""

import datetime
from dataclasses import dataclass

import pytest

from tests import shared_world
from tests.factories import (
    CrimeCountFactory,
    CrimeFactorFactory,
    LSOAFactory,
    make_risk_run,
)
from vru import services
from vru.models import AreaProfile, Hotspot, RiskRun, Role

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)
ROLE_IDS = [r.value for r in ALL_ROLES]
READERS = {
    Role.ADMINISTRATOR,
    Role.ANALYST,
    Role.PROGRAMME_MANAGER,
    Role.PRACTITIONER,
    Role.GRANTS_OFFICER,
    Role.COMMISSIONER,
}
EDITORS = {Role.ADMINISTRATOR, Role.ANALYST}


@dataclass
class World:
    run: RiskRun
    older_run: RiskRun
    other_run: RiskRun
    hotspot: Hotspot
    other_hotspot: Hotspot
    profile: AreaProfile
    other_profile: AreaProfile


def _square(i: int) -> dict:
    x = 0.5 + i * 0.01
    ring = [[x, 51.5], [x + 0.01, 51.5], [x + 0.01, 51.51], [x, 51.51], [x, 51.5]]
    return {"type": "Polygon", "coordinates": [ring]}


def _crime_world(partnership, codes):
    factor = CrimeFactorFactory(partnership=partnership, key="violence")
    lsoas = [
        LSOAFactory(partnership=partnership, code=code, population=1000, boundary=_square(i))
        for i, code in enumerate(codes)
    ]
    CrimeCountFactory(lsoa=lsoas[0], count=60)
    for lsoa in lsoas[1:]:
        CrimeCountFactory(lsoa=lsoa, count=5)
    services.hotspots_compute(actor=None, partnership=partnership, factor=factor, year=2019)
    services.area_profiles_generate(
        actor=None, partnership=partnership, month=datetime.date(2019, 1, 1)
    )
    services.crime_file_import(
        actor=None,
        partnership=partnership,
        file_name="2019-02-test-street.csv",
        content=(
            "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
            "LSOA name,Crime type,Last outcome category,Context\n"
            f"x,2019-02,P,P,0,51,Here,{codes[0]},A,Robbery,None,\n"
        ).encode(),
    )


def _build(partnership, other_partnership):
    mine = [f"E01021{n:03d}" for n in range(1, 7)]
    theirs = [f"E01015{n:03d}" for n in range(1, 7)]
    _crime_world(partnership, mine)
    _crime_world(other_partnership, theirs)
    older = make_risk_run(partnership, values={c: float(i) for i, c in enumerate(mine)})
    run = services.risk_run_compute(
        run_id=services.risk_run_create(
            actor=None,
            partnership=partnership,
            weights={"need": 1, "violence": 1},
            period_start=datetime.date(2019, 1, 1),
            period_end=datetime.date(2019, 12, 31),
            label="Second run",
        ).pk
    )
    services.risk_run_make_current(actor=None, run=run)
    other_run = make_risk_run(other_partnership, values=dict.fromkeys(theirs, 1.0))
    return World(
        run=run,
        older_run=older,
        other_run=other_run,
        hotspot=Hotspot.objects.get(partnership=partnership),
        other_hotspot=Hotspot.objects.get(partnership=other_partnership),
        profile=AreaProfile.objects.filter(partnership=partnership).first(),
        other_profile=AreaProfile.objects.filter(partnership=other_partnership).first(),
    )


# built once for the module; each test gets its own copy (tests/shared_world.py)
shared = shared_world.fixture(_build)
shared_copy, world, partnership, other_partnership = shared_world.copies()


@pytest.fixture
def signed_in(client, user_with_role):
    def sign_in(role):
        client.force_login(user_with_role(role))
        return client

    return sign_in


@pytest.fixture
def api_as(api_client, user_with_role):
    def sign_in(role):
        api_client.force_authenticate(user_with_role(role))
        return api_client

    return sign_in


PAGES = [
    ("risk_map", lambda w: "/risk/", READERS),
    ("risk_map_factor", lambda w: "/risk/?factor=violence", READERS),
    ("risk_runs", lambda w: "/risk/runs/", READERS),
    ("risk_run", lambda w: f"/risk/runs/{w.run.pk}/", READERS),
    ("compare", lambda w: f"/risk/runs/{w.run.pk}/compare/?other={w.older_run.pk}", READERS),
    ("hotspots", lambda w: "/risk/hotspots/", READERS),
    ("area_profiles", lambda w: "/area-profiles/", READERS),
    ("new_run", lambda w: "/risk/runs/new/", EDITORS),
    ("make_current", lambda w: f"/risk/runs/{w.older_run.pk}/make-current/", EDITORS),
    ("crime_imports", lambda w: "/crime-imports/", EDITORS),
    ("indicators", lambda w: "/area-indicators/", EDITORS),
    ("neighbourhood", lambda w: f"/neighbourhoods/{w.run.scores.first().lsoa.code}/", READERS),
]
EXPORTS = [
    ("risk_runs", lambda w: "/risk/runs/", READERS),
    ("scores", lambda w: f"/risk/runs/{w.run.pk}/", READERS),
    ("hotspots", lambda w: "/risk/hotspots/", READERS),
    ("area_profiles", lambda w: "/area-profiles/", READERS),
    ("crime_imports", lambda w: "/crime-imports/", EDITORS),
    ("indicators", lambda w: "/area-indicators/", EDITORS),
]
OTHER_PARTNERSHIP = [
    ("risk_run", lambda w: f"/risk/runs/{w.other_run.pk}/"),
    ("map_of_run", lambda w: f"/risk/?run={w.other_run.pk}"),
    ("compare", lambda w: f"/risk/runs/{w.run.pk}/compare/?other={w.other_run.pk}"),
    ("make_current", lambda w: f"/risk/runs/{w.other_run.pk}/make-current/"),
    ("api_run", lambda w: f"/api/risk-runs/{w.other_run.pk}/"),
    ("api_scores", lambda w: f"/api/risk-runs/{w.other_run.pk}/scores/"),
    ("api_hotspot", lambda w: f"/api/hotspots/{w.other_hotspot.pk}/"),
    ("api_profile", lambda w: f"/api/area-profiles/{w.other_profile.pk}/"),
]


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize(("url", "allowed"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_area_page_is_open_to_its_roles_and_missing_for_the_others(
    signed_in, world, role, url, allowed
):
    response = signed_in(role).get(url(world))

    assert response.status_code == (200 if role in allowed else 404)


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize(("url", "allowed"), [e[1:] for e in EXPORTS], ids=[e[0] for e in EXPORTS])
def test_area_export_is_open_to_its_roles_and_missing_for_the_others(
    signed_in, world, role, export_format, url, allowed
):
    response = signed_in(role).get(url(world), {"format": export_format})

    if role in allowed:
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize(
    "url", [o[1] for o in OTHER_PARTNERSHIP], ids=[o[0] for o in OTHER_PARTNERSHIP]
)
def test_another_partnerships_area_records_are_missing_for_every_role(
    signed_in, api_as, world, role, url
):
    target = url(world)
    client = api_as(role) if target.startswith("/api/") else signed_in(role)

    assert client.get(target).status_code == 404


def test_the_scores_export_holds_only_the_runs_own_lsoas(signed_in, world):
    response = signed_in(Role.COMMISSIONER).get(f"/risk/runs/{world.run.pk}/", {"format": "csv"})
    lines = response.content.decode("utf-8-sig").splitlines()

    assert lines[0].startswith("rank,lsoa_code,lsoa_name")
    assert len(lines) == 1 + 6
    assert all(",E01021" in line for line in lines[1:])


def test_the_map_shows_the_current_run_with_a_link_per_lsoa_and_a_text_alternative(
    signed_in, world
):
    response = signed_in(Role.PRACTITIONER).get("/risk/")

    assert response.context["run"] == world.run
    text = response.text
    assert 'aria-describedby="map-desc"' in text
    assert "Summary (text alternative)" in text
    assert text.count('<a href="/neighbourhoods/E01021') == 6


def test_a_proxy_run_is_labelled_as_such(signed_in, world):
    response = signed_in(Role.COMMISSIONER).get(f"/risk/runs/{world.run.pk}/")

    assert "public proxies" in response.text
    assert "Proxy</strong>" in response.text


def test_an_analyst_starts_a_run_from_the_form(signed_in, world):
    response = signed_in(Role.ANALYST).post(
        "/risk/runs/new/",
        {
            "label": "From the form",
            "period_start": "2019-01-01",
            "period_end": "2019-12-31",
            "top_percent": "10",
            "weight_need": "0",
            "weight_violence": "2",
        },
    )

    run = RiskRun.objects.get(label="From the form")
    assert response.status_code == 302
    assert response["Location"] == run.get_absolute_url()
    assert run.weights == {"violence": "2"}


def test_the_run_form_keeps_what_was_typed_when_it_has_errors(signed_in, world):
    response = signed_in(Role.ANALYST).post(
        "/risk/runs/new/",
        {
            "label": "Kept",
            "period_start": "2019-12-31",
            "period_end": "2019-01-01",
            "top_percent": "5",
            "weight_need": "0",
            "weight_violence": "0",
        },
    )

    assert response.status_code == 200
    assert 'value="Kept"' in response.text
    assert "There is a problem" in response.text
    assert not RiskRun.objects.filter(label="Kept").exists()


def test_making_a_run_current_asks_first_then_switches(signed_in, world):
    client = signed_in(Role.ANALYST)
    confirm = client.get(f"/risk/runs/{world.older_run.pk}/make-current/")
    assert "Yes, make it current" in confirm.text

    response = client.post(f"/risk/runs/{world.older_run.pk}/make-current/")

    assert response.status_code == 302
    world.older_run.refresh_from_db()
    assert world.older_run.is_current


@pytest.mark.parametrize("role", sorted(set(ALL_ROLES) - EDITORS), ids=str)
def test_other_roles_cannot_post_a_run_or_switch_the_current_one(signed_in, world, role):
    client = signed_in(role)

    assert client.post("/risk/runs/new/", {}).status_code == 404
    assert client.post(f"/risk/runs/{world.older_run.pk}/make-current/").status_code == 404
    assert client.post("/area-profiles/", {"month": "2019-01"}).status_code == 404
    assert client.post("/risk/hotspots/", {"alpha": "0.05"}).status_code == 404
    world.older_run.refresh_from_db()
    assert not world.older_run.is_current


def test_an_analyst_recomputes_hotspots_with_another_threshold(
    signed_in, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(Role.ANALYST).post("/risk/hotspots/", {"alpha": "0.2"})

    assert response.status_code == 302
    alphas = set(
        Hotspot.objects.filter(partnership=world.run.partnership).values_list("alpha", flat=True)
    )
    assert alphas == {0.2}


def test_a_bad_threshold_is_refused_and_kept_on_the_page(signed_in, world):
    response = signed_in(Role.ANALYST).post("/risk/hotspots/", {"alpha": "2"})

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'value="2"' in response.text


def test_an_analyst_generates_profiles_on_demand(
    signed_in, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(Role.ANALYST).post("/area-profiles/", {"month": "2019-02"})

    assert response.status_code == 302
    assert AreaProfile.objects.filter(
        partnership=world.run.partnership, month=datetime.date(2019, 2, 1)
    ).exists()


def test_an_analyst_uploads_a_police_file_checks_it_confirms_and_sees_the_report(
    signed_in, world, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = (
        b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
        b"LSOA name,Crime type,Last outcome category,Context\n"
        b",2019-03,P,P,0,51,Here,E01021001,A,Anti-social behaviour,,\n"
        b",2019-03,P,P,,,No location,,,Anti-social behaviour,,\n"
    )
    client = signed_in(Role.ANALYST)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/crime-imports/", {"file": SimpleUploadedFile("2019-03-x-street.csv", content)}
        )

    assert response.status_code == 302
    check = client.get(response["Location"])
    assert "no LSOA (no location): 1" in check.text
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(response["Location"]).status_code == 302
    page = client.get("/crime-imports/")
    assert "no LSOA (no location): 1" in page.text


# --- API ---------------------------------------------------------------------------------

API_LISTS = [
    ("risk_runs", lambda w: "/api/risk-runs/", 2),
    ("scores", lambda w: f"/api/risk-runs/{w.run.pk}/scores/", 6),
    ("hotspots", lambda w: "/api/hotspots/", 1),
    ("area_profiles", lambda w: "/api/area-profiles/", 12),  # 6 LAs + 6 CSPs
]


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize(
    ("url", "count"), [a[1:] for a in API_LISTS], ids=[a[0] for a in API_LISTS]
)
def test_area_api_lists_what_readers_may_see_and_nothing_otherwise(api_as, world, role, url, count):
    response = api_as(role).get(url(world))

    if role in READERS:
        assert response.status_code == 200
        assert response.json()["count"] == count
    elif "scores" in url(world):
        assert response.status_code == 404  # the run itself is invisible
    else:
        assert response.status_code == 200
        assert response.json()["count"] == 0


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
def test_api_run_detail_is_found_by_readers_only(api_as, world, role):
    response = api_as(role).get(f"/api/risk-runs/{world.run.pk}/")

    assert response.status_code == (200 if role in READERS else 404)
    if role in READERS:
        assert response.json()["has_proxies"] is True


def test_the_api_filters_priority_scores(api_as, world):
    response = api_as(Role.ANALYST).get(f"/api/risk-runs/{world.run.pk}/scores/?priority=1")

    assert response.json()["count"] == world.run.priority_count == 1


def test_anonymous_callers_get_nothing(client, api_client, world):
    assert client.get("/risk/").status_code == 302
    assert api_client.get("/api/risk-runs/").status_code in {401, 403}


# --- Query counts ------------------------------------------------------------------------


def test_an_analyst_uploads_indicators_and_row_errors_import_nothing(
    signed_in, world, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(Role.ANALYST)
    bad = b"lsoa_code,factor,period,period_start,value,source\nE01021001,need,year,2026,x,t\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/area-indicators/", {"file": SimpleUploadedFile("i.csv", bad)})
    assert response.status_code == 302  # to the import's page, where the check is shown
    page = client.get(response["Location"])
    assert "This file was not imported" in page.text
    assert "Enter a number." in page.text

    good = b"lsoa_code,factor,period,period_start,value,source\nE01021001,need,year,2026,7,t\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/area-indicators/", {"file": SimpleUploadedFile("i.csv", good)})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(response["Location"]).status_code == 302  # confirmed: nothing replaced
    export = client.get("/area-indicators/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "E01021001,need,year,2026-01-01,7.0,t" in export
