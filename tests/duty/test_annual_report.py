"""The Duty's annual report for the board: readiness, the action plan's RAG summary by
recommendation and by duty holder, strategy review dates and success measures, as a page,
a PDF and a spreadsheet that all say the same."""

import csv
import datetime
import io
import subprocess

import pytest

from duty import selectors, services
from duty.models import ReadinessArea, Strategy
from tests.factories import (
    DutyHolderFactory,
    RecommendationFactory,
    StrategicNeedsAssessmentFactory,
)
from vru.models import Role, StrategicNeedsAssessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def duty_record(partnership):
    sna = StrategicNeedsAssessmentFactory(
        partnership=partnership, status=StrategicNeedsAssessment.Status.PUBLISHED
    )
    police = DutyHolderFactory(partnership=partnership, name="Essex Police", kind="police")
    council = DutyHolderFactory(partnership=partnership, name="Thurrock Council")
    first = RecommendationFactory(needs_assessment=sna, number=1, text="Share custody data")
    second = RecommendationFactory(needs_assessment=sna, number=2, text="Fund youth work")
    for recommendation, owner, rag in [
        (first, police, "green"),
        (first, council, "red"),
        (second, council, "amber"),
    ]:
        services.action_create(
            actor=None,
            recommendation=recommendation,
            title=f"{owner} on {recommendation.number}",
            owner=owner,
            owner_name="Lead",
            due_on=datetime.date(2030, 1, 1),
            rag=rag,
            rag_reason="" if rag == "green" else "Behind plan",
        )
    services.readiness_assessment_record(
        actor=None,
        partnership=partnership,
        assessed_on=datetime.date(2026, 6, 30),
        kind="self",
        scores={area.value: 2 + n % 3 for n, area in enumerate(ReadinessArea)},
    )
    Strategy.objects.create(
        partnership=partnership,
        title="Serious Violence Strategy",
        published_on=datetime.date(2024, 1, 31),
        next_review_on=datetime.date(2027, 1, 31),
    )


def _table(report, id):
    return next(b for s in report.sections for b in s["blocks"] if b.get("id") == id)


def test_the_report_counts_open_actions_by_rating_for_each_recommendation_and_holder(
    duty_record, user_with_role
):
    report = selectors.annual_report(viewer=user_with_role(Role.COMMISSIONER))

    plan = _table(report, "table-plan")["rows"]
    assert [row[1:6] for row in plan] == [["2", "1", "0", "1", "0"], ["1", "0", "1", "0", "0"]]
    holders = {row[0]: row[1:5] for row in _table(report, "table-holders")["rows"]}
    assert holders == {
        "Essex Police": ["1", "1", "0", "0"],
        "Thurrock Council": ["2", "0", "1", "1"],
    }
    (strategy,) = _table(report, "table-strategy")["rows"]
    assert strategy[3] == "31 January 2027"
    assert [row[1] for row in _table(report, "table-readiness")["rows"]] == [
        str(2 + n % 3) for n in range(8)
    ]


def test_the_page_the_pdf_and_the_spreadsheet_say_the_same(
    client, duty_record, user_with_role, settings
):
    settings.VRU_REAUTH_REQUIRED = False  # the confirm-it-is-you step has its own tests
    analyst = user_with_role(Role.ANALYST)
    client.force_login(analyst)

    page = client.get("/duty/annual-report/").content.decode()
    pdf = client.get("/duty/annual-report/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    for said in ["Thurrock Council", "Share custody data", "31 January 2027", "Readiness"]:
        assert said in page
        assert said in text
    sheet = client.get("/duty/annual-report/?format=csv").content.decode()
    rows = list(csv.reader(io.StringIO(sheet)))
    assert ["Open actions each duty holder owns, by rating", "Thurrock Council", "Red", "1"] in rows


def test_partners_applicants_and_other_partnerships_get_no_annual_report(
    client, duty_record, user_with_role, other_partnership
):
    from tests.factories import UserFactory

    for user in [
        user_with_role(Role.PARTNER),
        user_with_role(Role.APPLICANT),
    ]:
        assert selectors.annual_report(viewer=user) is None
        client.force_login(user)
        assert client.get("/duty/annual-report/").status_code == 404
    elsewhere = UserFactory(partnership=other_partnership, roles=[Role.ANALYST])
    report = selectors.annual_report(viewer=elsewhere)
    assert _table(report, "table-plan")["rows"] == []
