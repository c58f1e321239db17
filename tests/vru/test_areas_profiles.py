"""Area profiles per CSP and local authority per month, harm weights as data, the beat task,
and the management commands."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.factories import CrimeCountFactory, LocalAuthorityFactory, LSOAFactory
from vru import services, tasks
from vru.models import AreaProfile, CrimeCount, RiskRun

pytestmark = pytest.mark.django_db
JAN, FEB = datetime.date(2019, 1, 1), datetime.date(2019, 2, 1)


@pytest.fixture
def two_districts(partnership):
    busy = LocalAuthorityFactory(partnership=partnership, name="Busytown")
    quiet = LocalAuthorityFactory(partnership=partnership, name="Quietville")
    busy_lsoa = LSOAFactory(local_authority=busy, partnership=partnership, population=2000)
    quiet_lsoa = LSOAFactory(local_authority=quiet, partnership=partnership, population=4000)
    CrimeCountFactory(lsoa=busy_lsoa, month=JAN, crime_type="Robbery", count=10)
    CrimeCountFactory(lsoa=busy_lsoa, month=JAN, crime_type="Anti-social behaviour", count=50)
    CrimeCountFactory(lsoa=quiet_lsoa, month=JAN, crime_type="Shoplifting", count=4)
    CrimeCountFactory(lsoa=busy_lsoa, month=FEB, crime_type="Robbery", count=5)
    services.harm_weights_load(
        actor=None,
        partnership=partnership,
        rows=[
            {"crime_type": "Robbery", "weight": "365", "source": "illustrative"},
            {"crime_type": "Shoplifting", "weight": "1", "source": "illustrative"},
        ],
    )
    return busy, quiet


def test_profiles_give_rate_rank_and_harm_without_asb(partnership, two_districts):
    services.area_profiles_generate(actor=None, partnership=partnership, month=JAN)

    busy = AreaProfile.objects.get(kind="la", area_name="Busytown", month=JAN)
    quiet = AreaProfile.objects.get(kind="la", area_name="Quietville", month=JAN)
    assert (busy.offences, busy.population, busy.rate_per_1000) == (10, 2000, 5.0)
    assert (quiet.offences, quiet.rate_per_1000) == (4, 1.0)
    assert (busy.rank, quiet.rank) == (1, 2)
    assert busy.harm == 3650.0
    assert quiet.harm == 4.0
    assert AreaProfile.objects.filter(kind="csp", month=JAN).count() == 2


def test_the_trend_compares_with_the_month_before(partnership, two_districts):
    services.area_profiles_generate(actor=None, partnership=partnership, month=JAN)
    services.area_profiles_generate(actor=None, partnership=partnership, month=FEB)

    busy = AreaProfile.objects.get(kind="la", area_name="Busytown", month=FEB)
    assert busy.previous_rate_per_1000 == 5.0
    assert busy.trend_percent == -50.0


def test_generating_a_month_again_replaces_it(partnership, two_districts):
    for _ in range(2):
        services.area_profiles_generate(actor=None, partnership=partnership, month=JAN)

    assert AreaProfile.objects.filter(month=JAN).count() == 4


def test_the_monthly_beat_task_is_scheduled_and_builds_the_latest_months(
    partnership, two_districts
):
    entry = settings.CELERY_BEAT_SCHEDULE["vru-area-profiles-monthly"]
    assert entry["task"] == "vru.tasks.area_profiles_generate_latest"

    made = tasks.area_profiles_generate_latest.delay().get()

    assert made == 8  # two months x (2 local authorities + 2 CSPs)


def test_the_police_import_command_reports_what_it_skipped(partnership, tmp_path):
    LSOAFactory(partnership=partnership, code="E01021000", lsoa11_code="E01021000")
    path = tmp_path / "2019-01-essex-street.csv"
    path.write_text(
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
        "LSOA name,Crime type,Last outcome category,Context\n"
        "a,2019-01,P,P,0,51,Here,E01021000,A,Robbery,None,\n"
        "b,2019-01,P,P,,,No location,,,Robbery,None,\n"
    )

    out = StringIO()
    call_command("import_police_uk", str(path), partnership=partnership.slug, stdout=out)

    assert "1 of 2 rows counted" in out.getvalue()
    assert "no LSOA (no location)" in out.getvalue()
    assert CrimeCount.objects.get().count == 1


def test_the_risk_index_command_computes_and_can_make_the_run_current(partnership, tmp_path):
    LSOAFactory(partnership=partnership, code="E01021000", population=1000)
    LSOAFactory(partnership=partnership, code="E01021001", population=1000)
    indicators = tmp_path / "indicators.csv"
    indicators.write_text(
        "lsoa_code,factor,period,period_start,value,source\n"
        "E01021000,income,year,2025,0.3,IoD2025\n"
        "E01021001,income,year,2025,0.1,IoD2025\n"
    )
    call_command(
        "import_area_indicators",
        str(indicators),
        partnership=partnership.slug,
        factor_set="proxies",
        stdout=StringIO(),
    )

    call_command(
        "compute_risk_index",
        partnership=partnership.slug,
        start=datetime.date(2019, 1, 1),
        end=datetime.date(2019, 12, 31),
        weight=["income=2"],
        make_current=True,
        stdout=StringIO(),
    )

    run = RiskRun.objects.get(is_current=True)
    assert run.weights["income"] == "2"
    assert run.scores.get(rank=1).lsoa.code == "E01021000"
