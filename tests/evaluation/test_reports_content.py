"""Every headline figure of an impact report equals a direct query of the records."""

import pytest
from django.db.models import Sum

from evaluation import services
from evaluation.models import ImpactReport
from programmes.models import Outcome, Referral, SessionCount
from tests.evaluation.report_data import make_year
from tests.factories import UserFactory
from vru.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(partnership, other_partnership):
    return make_year(partnership, other_partnership)


@pytest.fixture
def commissioner(partnership):
    return UserFactory(partnership=partnership, roles=[Role.COMMISSIONER])


def build(commissioner, year, django_capture_on_commit_callbacks, **scope) -> ImpactReport:
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_impact_report(
            actor=commissioner, period_start=year.start, period_end=year.end, **scope
        )
    report.refresh_from_db()
    assert report.status == ImpactReport.Status.READY, report.error
    return report


def headlines(report) -> dict:
    section = next(s for s in report.content["sections"] if s["key"] == "headlines")
    return {item["key"]: item for item in section["blocks"][0]["items"]}


def in_period(qs, year, field):
    return qs.filter(**{f"{field}__date__gte": year.start, f"{field}__date__lte": year.end})


def test_every_headline_figure_equals_a_direct_query_of_the_records(
    commissioner, year, django_capture_on_commit_callbacks
):
    report = build(commissioner, year, django_capture_on_commit_callbacks)
    figures = headlines(report)

    referrals = in_period(
        Referral.objects.filter(partnership=year.partnership), year, "referred_at"
    )
    assert figures["referrals"]["value"] == referrals.count() == 13
    met = referrals.filter(first_contact_at__lte=models_f("due_at")).count()
    decided = met + referrals.exclude(first_contact_at__lte=models_f("due_at")).count()
    assert figures["compliance"]["value"] == round(100 * met / decided) == 62
    outcomes = Outcome.objects.filter(
        referral__partnership=year.partnership,
        achieved_on__gte=year.start,
        achieved_on__lte=year.end,
    )
    assert figures["diverted"]["value"] == outcomes.filter(kind="diverted").count() == 6
    assert figures["eet"]["value"] == outcomes.filter(kind="eet").count() == 5
    counts = SessionCount.objects.filter(
        session__programme__partnership=year.partnership,
        session__held_on__gte=year.start,
        session__held_on__lte=year.end,
    )
    detached = counts.filter(session__kind="detached").aggregate(n=Sum("count"))["n"]
    assert figures["detached"]["value"] == detached == 40
    group = counts.filter(session__kind="group").aggregate(n=Sum("count"))["n"]
    assert figures["group_work"]["value"] == group == 9
    assert figures["grant_reach"]["value"] == 14 + 27 + 3
    assert "to 2 community groups" in figures["grant_reach"]["text"]


def models_f(name):
    from django.db.models import F

    return F(name)


def test_a_report_for_one_local_authority_counts_only_its_neighbourhoods(
    commissioner, year, django_capture_on_commit_callbacks
):
    report = build(
        commissioner,
        year,
        django_capture_on_commit_callbacks,
        scope="local_authority",
        local_authority=year.la_north,
    )
    figures = headlines(report)
    north = in_period(
        Referral.objects.filter(lsoa__local_authority=year.la_north), year, "referred_at"
    )
    assert figures["referrals"]["value"] == north.count() == 8
    assert figures["detached"]["value"] == 25


def test_a_report_for_one_programme_leaves_out_grants(
    commissioner, year, django_capture_on_commit_callbacks
):
    report = build(
        commissioner,
        year,
        django_capture_on_commit_callbacks,
        scope="programme",
        programme=year.reroute,
    )
    figures = headlines(report)
    assert "grant_reach" not in figures
    assert figures["referrals"]["value"] == 13
    assert figures["detached"]["value"] == 0


def test_small_counts_are_published_as_less_than_five(
    commissioner, year, django_capture_on_commit_callbacks
):
    report = build(
        commissioner,
        year,
        django_capture_on_commit_callbacks,
        scope="local_authority",
        local_authority=year.la_south,
    )
    figures = headlines(report)
    # 4 referrals live in Southtown: a count of people from 1 to 4
    assert figures["referrals"]["figure"] == "<5"
    assert figures["referrals"]["value"] is None
    assert "4" not in str(
        next(b for b in report.content["sections"][0]["blocks"] if b.get("id") == "table-referrals")
    )
