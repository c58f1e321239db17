"""The impact report's "Evaluation findings and outcomes" section: the evaluations running in
the period, the change in outcome scores and value for money, equal to what the evaluation
selectors give a commissioner, suppressed for small groups, in scope, in the web page, the
PDF and the figures download, and never naming a young person."""

import datetime
import io
import json
import statistics
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from evaluation import selectors, services
from evaluation.models import ImpactReport, OutcomeScore
from evaluation.selectors.value_for_money import cost_benefit_for
from programmes.models import YoungPersonIdentity
from tests.evaluation.report_data import add_evaluation_work, make_year
from tests.factories import UserFactory
from tests.published import published
from vru.models import Role
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


TITLE = "Evaluation findings and outcomes"


@pytest.fixture
def year(partnership, other_partnership):
    return make_year(partnership, other_partnership)


@pytest.fixture
def work(year, other_partnership):
    return add_evaluation_work(year, other_partnership)


@pytest.fixture
def commissioner(partnership):
    return UserFactory(partnership=partnership, roles=[Role.COMMISSIONER])


def build(commissioner, year, capture, **scope) -> ImpactReport:
    with capture(execute=True):
        report = services.request_impact_report(
            actor=commissioner, period_start=year.start, period_end=year.end, **scope
        )
    report.refresh_from_db()
    assert report.status == ImpactReport.Status.READY, report.error
    return report


def section(report) -> dict:
    return next(s for s in report.content["sections"] if s["key"] == "evaluation")


def table(report, id: str) -> dict:
    return next(b for b in section(report)["blocks"] if b.get("id") == id)


def rows_by_label(report, id: str) -> dict:
    return {row[0]: row for row in table(report, id)["rows"]}


def change(referral, code) -> int:
    totals = list(
        OutcomeScore.objects.filter(referral=referral, instrument__code=code)
        .order_by("scored_on")
        .values_list("total", flat=True)
    )
    return totals[-1] - totals[0]


def test_evaluations_in_the_period_are_listed_as_the_selector_gives_them(
    commissioner, year, work, django_capture_on_commit_callbacks
):
    report = build(commissioner, year, django_capture_on_commit_callbacks)

    expected = selectors.evaluation_findings_for(
        viewer=commissioner, partnership=year.partnership, start=year.start, end=year.end
    )
    rows = table(report, "table-evaluations")["rows"]
    assert [row[0] for row in rows] == [e.title for e in expected]
    assert {row[0] for row in rows} == {
        "ReRoute diversion evaluation",
        "Detached youth work listening review",
        "Small grant pilot review",
    }  # not the one that ended before the period, nor another partnership's
    reroute = rows_by_label(report, "table-evaluations")["ReRoute diversion evaluation"]
    assert reroute[1:] == [
        "Programme: ReRoute",
        "Independent",
        "Comparison group",
        "University of Essex",
        "Reported",
        "Level 3",
    ]
    detached = rows_by_label(report, "table-evaluations")["Detached youth work listening review"]
    assert detached[-1] == "Not rated yet"
    findings = rows_by_label(report, "table-evaluation-findings")
    assert findings["ReRoute diversion evaluation"][1].startswith(
        "Reoffending fell by a third against the matched comparison group."
    )
    assert findings["Detached youth work listening review"][1] == "No findings reported yet."


def test_outcome_figures_are_the_published_counts_of_the_scored_referrals_as_the_selector_gives(
    commissioner, year, work, django_capture_on_commit_callbacks
):
    report = build(commissioner, year, django_capture_on_commit_callbacks)
    rows = {(row[0], row[1]): row for row in table(report, "table-outcomes")["rows"]}

    summaries = selectors.outcome_summaries_for(
        viewer=commissioner, partnership=year.partnership, start=year.start, end=year.end
    )
    assert set(rows) == {(s.programme.name, s.instrument.name) for s in summaries}
    reroute = next(s for s in summaries if s.programme == year.reroute)
    row = rows[("ReRoute", reroute.instrument.name)]
    # 10 young people scored in the period (the early referral's scores, before the period,
    # are not counted), 5 of them improved by 3 or more
    scored = work.scored_referrals[:10]
    changes = [change(r, "wemwbs") for r in scored]
    improved = [r for r, c in zip(scored, changes, strict=True) if c >= 3]
    assert (len(scored), len(improved)) == (10, 5)
    # the counts published are the disclosure control's counts of exactly those referrals
    participants = published("referral", scored)
    improved_n = published("referral", improved)
    assert row[2] == disclosure.shown_count(participants) == reroute.participants_shown
    if disclosure.is_small(participants):
        assert row[3:5] == ["not shown", "not shown"]
    else:
        # the mean and its interval are of the scores themselves
        assert row[3] == f"{statistics.mean(changes):+.1f}" == f"{reroute.mean_change:+.1f}"
        assert row[4] == f"{reroute.ci_low:+.1f} to {reroute.ci_high:+.1f}"
    share = disclosure.shown_percent(improved_n, participants)
    if share is None:
        # improved or not improved would be 1 to 4: neither the share nor the number shown
        assert row[6] == "not shown"
        assert row[5] in {disclosure.hidden_mark(), "not shown", "0"}
    else:
        assert row[6] == f"{share}%" == f"{reroute.share_improved}%"
        assert row[5] == disclosure.shown_count(improved_n)
    assert row[5] == reroute.improved_shown


def test_outcomes_of_fewer_than_five_young_people_show_no_count_mean_or_interval(
    commissioner, year, work, django_capture_on_commit_callbacks
):
    report = build(commissioner, year, django_capture_on_commit_callbacks)
    rows = {row[0]: row for row in table(report, "table-outcomes")["rows"]}

    # Detached: about 3 young people scored, all improved, whose published count is 1 to 4
    detached = work.scored_referrals[10:]
    assert {r.programme for r in detached} == {year.detached}
    assert all(change(r, "sdq-total") <= -3 for r in detached)  # all improved
    assert disclosure.is_small(published("referral", detached))
    assert rows["Detached Youth Work"][2:] == ["<5", "not shown", "not shown", "<5", "not shown"]
    # no count of people from 1 to 4 is published anywhere in the section
    for block in section(report)["blocks"]:
        for row in block.get("rows", []):
            for cell in row[1:]:
                assert cell not in {"1", "2", "3", "4"}, (block["id"], row)


def test_value_for_money_equals_the_selector_beside_the_essex_ratio(
    commissioner, year, work, django_capture_on_commit_callbacks
):
    report = build(commissioner, year, django_capture_on_commit_callbacks)
    rows = rows_by_label(report, "table-value-for-money")

    values = {
        row.evaluation.title: row
        for row in cost_benefit_for(
            viewer=commissioner, partnership=year.partnership, start=year.start, end=year.end
        )
    }
    assert set(rows) == set(values)
    reroute = values["ReRoute diversion evaluation"]
    # 40 participants × 0.2 violent offences averted × £14,050 = £112,400 against £50,000
    assert (
        reroute.ratio
        == Decimal("2.25")
        == (40 * Decimal("0.2") * 14050 / 50000).quantize(Decimal("0.01"))
    )
    assert rows["ReRoute diversion evaluation"][1:] == [
        "£50,000 (recorded cost)",
        "40",
        "£1,250",
        "£112,400",
        "2.25x",
        "3.5x",
    ]
    # 3 recorded participants: nothing that would reveal them
    assert rows["Small grant pilot review"][2:6] == ["<5", "not shown", "not shown", "not shown"]
    unit_costs = rows_by_label(report, "table-unit-costs")
    line = unit_costs["ReRoute diversion evaluation"]
    assert line[1:4] == ["Violence with injury", "£14,050 (2015/16 prices)", "0.2"]
    assert "Home Office" in line[4]


def test_a_programme_report_shows_only_that_programme(
    commissioner, year, work, django_capture_on_commit_callbacks
):
    report = build(
        commissioner,
        year,
        django_capture_on_commit_callbacks,
        scope="programme",
        programme=year.detached,
    )

    assert list(rows_by_label(report, "table-evaluations")) == [
        "Detached youth work listening review"
    ]
    assert list(rows_by_label(report, "table-outcomes")) == ["Detached Youth Work"]
    assert list(rows_by_label(report, "table-value-for-money")) == [
        "Detached youth work listening review"
    ]


def test_a_local_authority_report_keeps_programme_evaluations_and_its_own_young_people(
    commissioner, year, work, django_capture_on_commit_callbacks
):
    report = build(
        commissioner,
        year,
        django_capture_on_commit_callbacks,
        scope="local_authority",
        local_authority=year.la_north,
    )

    # programme evaluations whole; the grant's group is not based in Northtown
    assert set(rows_by_label(report, "table-evaluations")) == {
        "ReRoute diversion evaluation",
        "Detached youth work listening review",
    }
    # outcome scores of young people living in Northtown only
    assert list(rows_by_label(report, "table-outcomes")) == ["ReRoute"]
    assert (
        "outcome scores are those of young people living in the area"
        in (section(report)["blocks"][0]["text"])
    )


def test_an_empty_period_says_so(other_partnership, django_capture_on_commit_callbacks):
    commissioner = UserFactory(partnership=other_partnership, roles=[Role.COMMISSIONER])

    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_impact_report(
            actor=commissioner,
            period_start=datetime.date(2020, 4, 1),
            period_end=datetime.date(2021, 3, 31),
        )
    report.refresh_from_db()

    blocks = section(report)["blocks"]
    assert blocks[0]["text"].startswith("No evaluation reported in this period.")
    assert all(not b["rows"] for b in blocks if b["type"] == "table")


def test_no_young_persons_reference_or_name_is_published(
    commissioner, year, work, django_capture_on_commit_callbacks, client
):
    report = build(commissioner, year, django_capture_on_commit_callbacks)
    client.force_login(commissioner)
    published = json.dumps(report.content, ensure_ascii=False)
    page = client.get(report.get_absolute_url()).content.decode()
    pdf = PdfReader(
        io.BytesIO(
            b"".join(
                client.get(reverse("evaluation:report_pdf", args=[report.pk])).streaming_content
            )
        )
    )
    pdf_text = " ".join(page_.extract_text() for page_ in pdf.pages)
    csv = client.get(f"{report.get_absolute_url()}?format=csv").content.decode()

    # the reference a member of staff wrote into a findings text is removed
    assert "[reference removed] did especially well" in published
    assert "([reference removed] came every week)" in published  # whatever its case
    for referral in work.scored_referrals:
        reference = referral.young_person.reference
        identity = YoungPersonIdentity.objects.get(young_person=referral.young_person)
        for text in (published, page, pdf_text, csv):
            assert reference.lower() not in text.lower()
            assert identity.last_name.lower() not in text.lower()


def test_the_section_is_on_the_page_in_the_pdf_and_in_the_figures_download(
    commissioner, year, work, django_capture_on_commit_callbacks, client
):
    report = build(commissioner, year, django_capture_on_commit_callbacks)
    client.force_login(commissioner)

    page = client.get(report.get_absolute_url()).content.decode()
    assert TITLE in page
    assert 'id="table-value-for-money"' in page
    assert "2.25x" in page

    response = client.get(reverse("evaluation:report_pdf", args=[report.pk]))
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert TITLE in text
    assert "2.25x" in text
    assert "3.5x" in text
    assert "Reoffending fell by a third" in text

    csv = client.get(f"{report.get_absolute_url()}?format=csv").content.decode()
    assert f"{TITLE},Cost and benefit of each evaluation,ReRoute diversion evaluation," in csv
    assert "Benefit-cost ratio,2.25x" in csv
    xlsx = client.get(f"{report.get_absolute_url()}?format=xlsx")
    assert xlsx.status_code == 200
