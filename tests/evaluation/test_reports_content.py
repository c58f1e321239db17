"""Every headline figure of an impact report equals a direct query of the records."""

import datetime
import io
import json

import pytest
import time_machine
from django.db.models import Sum
from django.urls import reverse
from pypdf import PdfReader

from evaluation import services
from evaluation.models import ImpactReport
from programmes.models import Outcome, Referral, SessionCount
from tests.evaluation.report_data import make_year
from tests.factories import UserFactory
from vru.models import Role

pytestmark = pytest.mark.django_db


# On the last day of a financial year, "the last 365 days" of the test data is exactly the
# financial year 2025 to 2026: a period a commissioner may choose (whole months, quarters
# and financial years only).
LAST_DAY_OF_A_FINANCIAL_YEAR = datetime.datetime(2026, 3, 31, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _on_the_last_day_of_a_financial_year():
    with time_machine.travel(LAST_DAY_OF_A_FINANCIAL_YEAR, tick=True):
        yield


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


def test_the_pdf_opens_and_holds_the_headline_figures(
    commissioner, year, django_capture_on_commit_callbacks, client
):
    # given a built report
    report = build(commissioner, year, django_capture_on_commit_callbacks)
    client.force_login(commissioner)

    # when the commissioner downloads it
    response = client.get(reverse("evaluation:report_pdf", args=[report.pk]))

    # then it is a PDF whose text has every headline figure and its words
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join(page.extract_text() for page in reader.pages)
    text = " ".join(text.split())
    for item in headlines(report).values():
        assert item["figure"] in text
    assert "13" in text
    assert "62%" in text
    assert "44" in text
    assert "children and young people supported through grants to 2 community groups" in text
    assert reader.metadata.title == report.content["meta"]["title"]


def test_the_web_page_links_each_headline_to_the_table_behind_it(
    commissioner, year, django_capture_on_commit_callbacks, client
):
    report = build(commissioner, year, django_capture_on_commit_callbacks)
    client.force_login(commissioner)

    page = client.get(report.get_absolute_url()).content.decode()

    for item in headlines(report).values():
        anchor = item["link"].lstrip("#")
        assert f'href="#{anchor}"' in page
        assert f'id="{anchor}"' in page
    assert "Gap" in page  # recommendation 3 has nothing delivering it
    assert "<svg" in page  # the map and the charts


def test_a_commissioner_never_sees_a_reference_name_or_note_about_a_young_person(
    commissioner, year, django_capture_on_commit_callbacks, client
):
    from evaluation.models import FeedbackResponse
    from programmes.models import Contact, YoungPerson

    report = build(commissioner, year, django_capture_on_commit_callbacks)
    client.force_login(commissioner)
    page = client.get(report.get_absolute_url()).content.decode()
    snapshot = json.dumps(report.content)

    secrets = list(YoungPerson.objects.values_list("reference", flat=True))
    secrets += [f"Person{n}" for n in range(40)]  # ReferralFactory's last names
    secrets += [r.words for r in FeedbackResponse.objects.all()]
    secrets += [c.notes for c in Contact.objects.all() if c.notes]
    for secret in secrets:
        assert secret not in snapshot
        assert secret not in page


def test_reach_in_priority_neighbourhoods_is_split_from_elsewhere(
    commissioner, year, django_capture_on_commit_callbacks
):
    report = build(commissioner, year, django_capture_on_commit_callbacks)
    reach = next(s for s in report.content["sections"] if s["key"] == "reach")
    table = next(b for b in reach["blocks"] if b.get("id") == "table-reach")
    assert table["headers"][1:4] == ["Priority LSOAs", "Elsewhere", "Not recorded"]
    # 8 aged 15 in E01900001/2 (4 each, 1 priority) + 4 aged 19 in priority E01900003 + 1 age 12
    # with no LSOA: priority 4 + 4 = 8, elsewhere 4, not recorded 1 (hidden, with its partner)
    assert table["foot"][1:] == ["8", "<5", "<5", "13"]
    the_map = next(b for b in reach["blocks"] if b["type"] == "map")
    priority = {a["code"] for a in the_map["areas"] if a["is_priority"]}
    assert priority == year.priority


def test_success_measures_show_change_against_previous_period_and_baseline(
    commissioner, year, django_capture_on_commit_callbacks
):
    report = build(commissioner, year, django_capture_on_commit_callbacks)
    section = next(s for s in report.content["sections"] if s["key"] == "measures")
    table = next(b for b in section["blocks"] if b.get("id") == "table-measures")
    row = table["rows"][0]
    # 1100 -> 1066 is -3%; baseline 1176 -> 1066 is -9% (the Essex SNA's figure)
    assert row[2] == "1,066"
    assert row[4] == "-3%"
    assert row[6] == "-9%"
    chart = next(b for b in section["blocks"] if b["type"] == "bar_chart")
    assert chart["shown"] == ["1,176", "1,100", "1,066"]


def test_voice_lists_top_themes_and_what_was_done(
    commissioner, year, django_capture_on_commit_callbacks
):
    report = build(commissioner, year, django_capture_on_commit_callbacks)
    section = next(s for s in report.content["sections"] if s["key"] == "voice")
    themes = next(b for b in section["blocks"] if b.get("id") == "table-themes")
    assert themes["rows"] == [
        ["Street lighting and CCTV", "7", "Yes"],
        ["Youth facilities and safe spaces", "<5", "Not yet"],
    ]
    actions = next(b for b in section["blocks"] if b.get("id") == "table-actions")
    assert actions["rows"][0][:4] == [
        "Street lighting and CCTV",
        "Lit the station path.",
        "District council",
        "Delivered",
    ]


def test_the_coverage_matrix_highlights_recommendations_nothing_delivers(
    commissioner, year, django_capture_on_commit_callbacks
):
    report = build(commissioner, year, django_capture_on_commit_callbacks)
    section = next(s for s in report.content["sections"] if s["key"] == "coverage")
    table = next(b for b in section["blocks"] if b["type"] == "table")
    assert table["highlight"] == [False, False, True]
    first, second, _ = table["rows"]
    assert first[2] == "ReRoute"
    assert first[4] == "£50,000"
    assert first[5] == "13"
    assert second[3] == "Boxing Club, Youth Theatre"
    assert second[4] == "£6,000"
    assert second[5] == "44"


def test_the_figures_download_holds_the_same_suppressed_figures_and_is_audited(
    commissioner, year, django_capture_on_commit_callbacks, client
):
    from vru.models import AuditEvent

    report = build(
        commissioner,
        year,
        django_capture_on_commit_callbacks,
        scope="local_authority",
        local_authority=year.la_south,
    )
    client.force_login(commissioner)

    response = client.get(f"{report.get_absolute_url()}?format=csv")

    assert response.status_code == 200
    text = response.content.decode()
    assert "referrals of young people received,,<5" in text
    assert "Referrals received by age band and where the young person lives" in text
    # no count of people from 1 to 4 appears as a number anywhere in the download
    for line in text.splitlines()[1:]:
        value = line.rsplit(",", 1)[-1].replace('"', "")
        assert value not in {"1", "2", "3", "4"}, line
    assert AuditEvent.objects.filter(verb="impact_report.figures_exported").count() == 1
