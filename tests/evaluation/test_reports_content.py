"""Every headline figure of an impact report is the disclosure control's count of a direct query
of the records it covers (worked out in Python by tests.published)."""

import datetime
import io
import json

import pytest
import time_machine
from django.db.models import F, Sum
from django.urls import reverse
from pypdf import PdfReader

from evaluation import services
from evaluation.models import FeedbackResponse, ImpactReport
from grants.models import MonitoringReturn
from programmes.models import Outcome, Referral, SessionCount
from tests.evaluation.report_data import add_small_local_authority, make_year
from tests.factories import UserFactory
from tests.published import published, published_count
from vru import age_bands
from vru.age_bands import AGE_NOT_KNOWN, AgeBand
from vru.models import RiskRun, Role
from vru.selectors import disclosure

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


def period_referrals(year):
    return in_period(Referral.objects.filter(partnership=year.partnership), year, "referred_at")


def period_session_counts(year, kind):
    return SessionCount.objects.filter(
        session__programme__partnership=year.partnership,
        session__held_on__gte=year.start,
        session__held_on__lte=year.end,
        session__kind=kind,
    )


def approved_returns(year):
    return MonitoringReturn.objects.filter(
        award__decision__application__grant_round__partnership=year.partnership,
        status=MonitoringReturn.Status.APPROVED,
        approved_at__date__gte=year.start,
        approved_at__date__lte=year.end,
    )


def reached(monitoring_return) -> int:
    return sum(monitoring_return.young_people_by_age_band.values())


def people_at(counts) -> int:
    """What the report publishes for session head-count rows."""
    return published_count("session_count", counts, lambda row: row.count)


def assert_publishes(item, count):
    """A headline shows `count` (an adjusted count of people) as the disclosure control does,
    and gives its value only when the figure is shown as a number."""
    assert item["figure"] == disclosure.shown_count(count)
    assert item["value"] == (None if disclosure.is_small(count) else count)


def test_every_headline_figure_is_the_published_count_of_a_direct_query_of_the_records(
    commissioner, year, django_capture_on_commit_callbacks
):
    report = build(commissioner, year, django_capture_on_commit_callbacks)
    figures = headlines(report)

    referrals = period_referrals(year)
    assert referrals.count() == 13
    assert_publishes(figures["referrals"], published("referral", referrals))
    met = referrals.filter(first_contact_at__lte=F("due_at"))
    late = referrals.exclude(first_contact_at__lte=F("due_at"))
    assert (met.count(), late.count()) == (8, 5)
    met_n, late_n = published("referral", met), published("referral", late)
    percent = disclosure.shown_percent(met_n, met_n + late_n)
    assert figures["compliance"]["value"] == percent
    assert figures["compliance"]["figure"] == ("–" if percent is None else f"{percent}%")
    outcomes = Outcome.objects.filter(
        referral__partnership=year.partnership,
        achieved_on__gte=year.start,
        achieved_on__lte=year.end,
    )
    diverted, eet = outcomes.filter(kind="diverted"), outcomes.filter(kind="eet")
    assert (diverted.count(), eet.count()) == (6, 5)
    assert_publishes(figures["diverted"], published("outcome", diverted))
    assert_publishes(figures["eet"], published("outcome", eet))
    detached = period_session_counts(year, "detached")
    assert detached.aggregate(n=Sum("count"))["n"] == 40
    assert_publishes(figures["detached"], people_at(detached))
    group = period_session_counts(year, "group")
    assert group.aggregate(n=Sum("count"))["n"] == 9
    assert_publishes(figures["group_work"], people_at(group))
    returns = list(approved_returns(year))
    assert sum(reached(r) for r in returns) == 14 + 27 + 3
    assert_publishes(figures["grant_reach"], published_count("monitoring_return", returns, reached))
    assert "to 2 community groups" in figures["grant_reach"]["text"]


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
    north = period_referrals(year).filter(lsoa__local_authority=year.la_north)
    assert north.count() == 8
    assert_publishes(figures["referrals"], published("referral", north))
    north_detached = period_session_counts(year, "detached").filter(
        session__lsoa__local_authority=year.la_north
    )
    assert north_detached.aggregate(n=Sum("count"))["n"] == 25
    assert_publishes(figures["detached"], people_at(north_detached))
    # and not the whole partnership's
    everywhere = people_at(period_session_counts(year, "detached"))
    assert people_at(north_detached) != everywhere
    assert figures["detached"]["figure"] != disclosure.shown_count(everywhere)


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
    reroute = period_referrals(year).filter(programme=year.reroute)
    assert reroute.count() == 13
    assert_publishes(figures["referrals"], published("referral", reroute))
    assert figures["detached"]["value"] == 0


def test_small_counts_are_published_as_less_than_five(
    commissioner, year, django_capture_on_commit_callbacks
):
    # given a local authority where a few young people were referred (a published count of
    # people from 1 to 4, whatever the adjustments)
    westtown, referrals = add_small_local_authority(year)
    in_westtown = period_referrals(year).filter(lsoa__local_authority=westtown)
    assert in_westtown.count() == len(referrals) >= 1
    n = published("referral", in_westtown)
    assert disclosure.is_small(n)

    report = build(
        commissioner,
        year,
        django_capture_on_commit_callbacks,
        scope="local_authority",
        local_authority=westtown,
    )

    figures = headlines(report)
    assert figures["referrals"]["figure"] == "<5"
    assert figures["referrals"]["value"] is None
    # and the referrals table shows neither the count nor any other number from 1 to 4
    table = next(
        b for b in report.content["sections"][0]["blocks"] if b.get("id") == "table-referrals"
    )
    assert table["rows"] == [["ReRoute", "<5"]]
    assert table["foot"] == ["Total", "<5"]


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
    # (the same figures as the web snapshot, which are the published counts of the records)
    figures = headlines(report)
    for item in figures.values():
        assert item["figure"] in text
    referrals = period_referrals(year)
    assert figures["referrals"]["figure"] == disclosure.shown_count(
        published("referral", referrals)
    )
    returns = approved_returns(year)
    assert figures["grant_reach"]["figure"] == disclosure.shown_count(
        published_count("monitoring_return", returns, reached)
    )
    assert f"{figures['referrals']['figure']} referrals of young people received" in text
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
    # with no LSOA: priority 4 + 4 = 8, elsewhere 4, not recorded 1; each cell publishes its
    # referrals' adjusted count, protected as a table with totals
    places = ["priority", "elsewhere", "unknown"]
    bands = [*AgeBand.values, AGE_NOT_KNOWN[0]]
    grid = {(band, place): [] for band in bands for place in places}
    for referral in period_referrals(year).select_related("lsoa"):
        band = age_bands.band_of(referral.age_at_referral) or AGE_NOT_KNOWN[0]
        if referral.lsoa is None:
            place = "unknown"
        else:
            place = "priority" if referral.lsoa.code in year.priority else "elsewhere"
        grid[(band, place)].append(referral)
    assert [sum(len(grid[(b, p)]) for b in bands) for p in places] == [8, 4, 1]
    expected = disclosure.protect_table(
        [[published("referral", grid[(b, p)]) for p in places] for b in bands]
    )
    assert table["foot"][1:] == [*expected.column_totals, expected.grand_total]
    assert [row[1:] for row in table["rows"]] == [
        [*cells, total] for cells, total in zip(expected.cells, expected.row_totals, strict=True)
    ]
    the_map = next(b for b in reach["blocks"] if b["type"] == "map")
    priority = {a["code"] for a in the_map["areas"] if a["is_priority"]}
    assert priority == year.priority


def test_the_reach_section_says_which_risk_run_and_period_decide_priority(
    commissioner, year, django_capture_on_commit_callbacks
):
    # A report for one year may rest on a risk run over older crime data: the reader is told.
    run = RiskRun.objects.get(partnership=commissioner.partnership, is_current=True)
    report = build(commissioner, year, django_capture_on_commit_callbacks)
    reach = next(s for s in report.content["sections"] if s["key"] == "reach")
    basis = reach["blocks"][0]["text"]
    assert f"from {run.period_start:%B %Y} to {run.period_end:%B %Y}" in basis


def test_success_measures_show_only_the_comparisons_the_needs_assessment_makes(
    commissioner, year, django_capture_on_commit_callbacks
):
    report = build(commissioner, year, django_capture_on_commit_callbacks)
    section = next(s for s in report.content["sections"] if s["key"] == "measures")

    # the headline names both periods: baseline 1176 -> 1066 is -9% (the Essex SNA's figure)
    headline = next(b for b in section["blocks"] if b.get("id") == "table-measures")
    assert headline["rows"] == [["Knife crime (offences)", "This year against 2019/20: -9%"]]
    table = next(b for b in section["blocks"] if b.get("id") == "table-measure-comparisons")
    assert [row[1:] for row in table["rows"]] == [
        [
            "This year against Last year",
            "Against the previous period",
            "Last year: 1,100",
            "This year: 1,066",
            "-3%",
            "Rolling years.",
        ],
        [
            "This year against 2019/20",
            "Against the baseline (Table B)",
            "2019/20: 1,176",
            "This year: 1,066",
            "-9%",
            "Financial year 2019/20 compared with the year to the report's end.",
        ],
    ]
    chart = next(b for b in section["blocks"] if b["type"] == "bar_chart")
    assert chart["shown"] == ["1,176", "1,100", "1,066"]


def test_the_report_works_out_no_change_between_values_without_a_comparison(
    commissioner, year, django_capture_on_commit_callbacks
):
    # given a measure whose values the needs assessment never compares
    from tests.factories import SuccessMeasureFactory, SuccessMeasureValueFactory

    measure = SuccessMeasureFactory(partnership=year.partnership, name="Homicides")
    for year_number, value in [(2021, 20), (2022, 10)]:
        SuccessMeasureValueFactory(
            measure=measure,
            period_start=datetime.date(year_number, 1, 1),
            period_end=datetime.date(year_number, 12, 31),
            value=value,
        )

    # when
    report = build(commissioner, year, django_capture_on_commit_callbacks)

    # then
    section = next(s for s in report.content["sections"] if s["key"] == "measures")
    headline = next(b for b in section["blocks"] if b.get("id") == "table-measures")
    assert ["Homicides (offences)", "No comparison recorded"] in headline["rows"]
    table = next(b for b in section["blocks"] if b.get("id") == "table-measure-comparisons")
    assert all(row[0] != "Homicides (offences)" for row in table["rows"])
    assert "-50%" not in json.dumps(section)


def test_the_report_hides_a_small_count_of_people_and_its_change(
    commissioner, year, django_capture_on_commit_callbacks
):
    from tests.factories import (
        SuccessMeasureComparisonFactory,
        SuccessMeasureFactory,
        SuccessMeasureValueFactory,
    )

    measure = SuccessMeasureFactory(
        partnership=year.partnership, name="Knife homicides", unit="homicides", counts_people=True
    )
    SuccessMeasureComparisonFactory(
        earlier=SuccessMeasureValueFactory(
            measure=measure,
            period_start=datetime.date(2021, 1, 1),
            period_end=datetime.date(2021, 12, 31),
            value=10,
            is_baseline=True,
        ),
        later=SuccessMeasureValueFactory(
            measure=measure,
            period_start=datetime.date(2022, 1, 1),
            period_end=datetime.date(2022, 12, 31),
            value=3,
        ),
        kind="baseline",
    )

    report = build(commissioner, year, django_capture_on_commit_callbacks)

    section = next(s for s in report.content["sections"] if s["key"] == "measures")
    headline = next(b for b in section["blocks"] if b.get("id") == "table-measures")
    row = next(r for r in headline["rows"] if r[0] == "Knife homicides (homicides)")
    assert row[1].endswith(": change not shown")
    assert "-70%" not in json.dumps(section)
    chart = next(b for b in section["blocks"] if b.get("id") == f"chart-measure-{measure.pk}")
    assert chart["shown"][-1] == "<5"
    assert chart["values"][-1] is None


def test_voice_lists_top_themes_and_what_was_done(
    commissioner, year, django_capture_on_commit_callbacks
):
    report = build(commissioner, year, django_capture_on_commit_callbacks)
    section = next(s for s in report.content["sections"] if s["key"] == "voice")
    themes = next(b for b in section["blocks"] if b.get("id") == "table-themes")
    # 7 or more responses about lighting whose published count is 5 or over, about 3 about
    # safe spaces whose published count is 1 to 4: the themes in order of what is published
    lighting = FeedbackResponse.objects.filter(themes__name="Street lighting and CCTV")
    spaces = FeedbackResponse.objects.filter(themes__name="Youth facilities and safe spaces")
    assert lighting.count() >= 7
    assert spaces.count() >= 1
    lighting_n = published("feedback_response", lighting)
    assert lighting_n >= 5
    assert disclosure.is_small(published("feedback_response", spaces))
    assert themes["rows"] == [
        ["Street lighting and CCTV", disclosure.shown_count(lighting_n), "Yes"],
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
    first, second, third = table["rows"]
    # reach is what the headline tables publish for what delivers the recommendation (ReRoute's
    # 13 referrals; the Boxing Club's 44 young people and the Youth Theatre's none), "[c]"
    # where those tables hide it
    referrals = period_referrals(year)
    assert referrals.filter(programme=year.reroute).count() == 13
    reroute = published("referral", referrals.filter(programme=year.reroute))
    [[reroute_hidden]] = disclosure.protect_list([reroute]).hidden
    returns = list(approved_returns(year))
    assert [reached(r) for r in returns] == [44]
    boxing = published_count("monitoring_return", returns, reached)
    grants = disclosure.protect_list([boxing, 0])  # Boxing Club, Youth Theatre
    assert first[2] == "ReRoute"
    assert first[4] == "£50,000"
    assert first[5] == ("[c]" if reroute_hidden else disclosure.shown_count(reroute))
    assert second[3] == "Boxing Club, Youth Theatre"
    assert second[4] == "£6,000"
    assert second[5] == (
        "[c]" if any(row[0] for row in grants.hidden) else disclosure.shown_count(boxing)
    )
    assert third[2:] == ["None", "None", "£0", "0"]


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
    south = period_referrals(year).filter(lsoa__local_authority=year.la_south)
    assert south.count() == 4
    shown = disclosure.shown_count(published("referral", south))
    assert f"referrals of young people received,,{shown}" in text
    # Southtown's responses about safe spaces (a published count from 1 to 4) are hidden
    assert "Youth facilities and safe spaces,Responses,<5" in text
    assert "Referrals received by age band and where the young person lives" in text
    # no count of people from 1 to 4 appears as a number anywhere in the download
    for line in text.splitlines()[1:]:
        value = line.rsplit(",", 1)[-1].replace('"', "")
        assert value not in {"1", "2", "3", "4"}, line
    assert AuditEvent.objects.filter(verb="impact_report.figures_exported").count() == 1
