"""The demo's area data: a current risk run for both partnerships computed from the real IMD,
population and police.uk data, with a map a person can read, and idempotent reloading."""

import pytest
from django.db.models import Sum

from tests import demo_rows
from vru import demo, selectors
from vru.models import AreaProfile, CrimeCount, CrimeImport, Hotspot, RiskRun, User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), demo_rows.rolled_back():
        demo_rows.load_demo()
        yield


@pytest.mark.parametrize(
    ("slug", "lsoas", "priority"), [("essex-vvp", 1111, 55), ("bedfordshire-veru", 417, 20)]
)
def test_each_partnership_has_a_current_run_over_all_its_lsoas(loaded, slug, lsoas, priority):
    run = RiskRun.objects.get(partnership__slug=slug, is_current=True)

    assert run.status == RiskRun.Status.DONE
    assert run.lsoa_count == lsoas
    assert run.priority_count == priority
    assert run.has_proxies
    assert len(selectors.priority_lsoa_codes(run.partnership)) == priority
    # Every factor has data for nearly every LSOA (IMD for all, crime rates where people live).
    score = run.scores.get(rank=1)
    assert all(value is not None for value in score.inputs.values())


def test_the_essex_police_files_import_with_the_documented_quirks(loaded):
    imports = {i.file_name: i for i in CrimeImport.objects.filter(partnership__slug="essex-vvp")}

    november = imports["2018-11-essex-street.csv"]
    assert november.rows_read == 17050
    assert november.skipped["no LSOA (no location)"] == 91
    assert november.notes["counted without a Crime ID (anti-social behaviour)"] > 3000
    total = CrimeCount.objects.filter(partnership__slug="essex-vvp", month="2018-11-01").aggregate(
        n=Sum("count")
    )["n"]
    assert total == november.rows_counted


def test_hotspots_and_profiles_exist_for_both_partnerships(loaded):
    for slug in ("essex-vvp", "bedfordshire-veru"):
        assert Hotspot.objects.filter(partnership__slug=slug).exists()
        assert AreaProfile.objects.filter(partnership__slug=slug, kind="csp").exists()


def test_the_demo_map_is_drawn_for_the_analyst(loaded, client):
    client.force_login(User.objects.get(username="essex.analyst"))

    response = client.get("/risk/")

    assert response.status_code == 200
    assert response.context["map_html"].count('<a href="/neighbourhoods/') == 1111
    assert "55 priority LSOAs" in response.text


def test_loading_the_demo_again_changes_no_area_data(loaded):
    def counts():
        return [m.objects.count() for m in (CrimeImport, CrimeCount, RiskRun, Hotspot, AreaProfile)]

    before = counts()
    demo.load_demo()

    assert counts() == before
