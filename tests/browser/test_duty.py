"""End-to-end: an analyst keeps the Serious Violence Duty record (adds an organisation, records
a strategy review and progress on an action) and a commissioner reads it; at 360 px and at
desktop width, every page checked with axe and for sideways scrolling."""

import datetime

import pytest
from playwright.sync_api import expect

from duty import services
from duty.models import ReadinessArea
from tests.factories import (
    TEST_PASSWORD,
    DutyHolderFactory,
    PartnershipFactory,
    RecommendationFactory,
    StrategicNeedsAssessmentFactory,
    StrategyFactory,
    UserFactory,
)
from vru.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [360, 1280], ids=["phone", "desktop"])
def test_an_analyst_keeps_the_duty_record_and_a_commissioner_reads_it(checked, width):
    partnership = PartnershipFactory(short_name="Essex VVP")
    UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana")
    UserFactory(partnership=partnership, roles=[Role.COMMISSIONER], username="cam")
    police = DutyHolderFactory(partnership=partnership, name="Essex Police", kind="police")
    strategy = StrategyFactory(
        partnership=partnership,
        title="Serious Violence Strategy",
        published_on=datetime.date(2024, 1, 31),
        next_review_on=datetime.date(2025, 1, 31),
    )
    services.readiness_assessment_record(
        actor=None,
        partnership=partnership,
        assessed_on=datetime.date(2023, 6, 30),
        kind="external",
        scores={area.value: 3 for area in ReadinessArea},
    )
    sna = StrategicNeedsAssessmentFactory(partnership=partnership, published=True)
    action = services.action_create(
        actor=None,
        recommendation=RecommendationFactory(needs_assessment=sna, number=1),
        title="Share custody data monthly",
        owner=police,
        owner_name="DCI Lee",
        due_on=datetime.date(2026, 12, 31),
    )
    page = checked.page
    page.set_viewport_size({"width": width, "height": 900})
    checked.sign_in("ana", TEST_PASSWORD)

    # the overview: register, strategy (overdue for review), readiness chart and its table
    checked.goto("/duty/", title="Serious Violence Duty")
    expect(page.get_by_text("Overdue")).to_be_visible()
    expect(page.get_by_role("img")).to_have_count(1)
    checked.assert_no_horizontal_scroll()

    # an analyst adds an organisation
    page.get_by_role("link", name="Add an organisation").click()
    checked.check()
    page.get_by_label("Organisation", exact=True).fill("Thurrock Council")
    page.get_by_label("Kind of organisation").select_option("local_authority")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(checked.url("/duty/"))
    checked.check()
    expect(page.get_by_role("cell", name="Local authority")).to_be_visible()

    # records the strategy review
    checked.goto(f"/duty/strategies/{strategy.pk}/review/", title="Record a review of the strategy")
    page.get_by_label("Day").first.fill("20")
    page.get_by_label("Month").first.fill("1")
    page.get_by_label("Year").first.fill("2025")
    page.get_by_label("What changed").fill("Added exploitation to the priorities.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(checked.url("/duty/"))
    checked.check()
    expect(page.get_by_text("The next review is due on 20 January 2026")).to_be_visible()

    # and progress on an action, rated amber with its reason
    checked.goto(f"/duty/actions/{action.pk}/", title="Share custody data monthly")
    page.get_by_label("Progress", exact=True).fill("Agreement drafted with the ICB.")
    page.get_by_label("Status", exact=True).select_option("under_way")
    page.get_by_label("RAG rating").select_option("amber")
    page.get_by_label("Reason for the rating").fill("Waiting for sign-off.")
    page.get_by_role("button", name="Record progress").click()
    page.wait_for_url(checked.url(f"/duty/actions/{action.pk}/"))
    checked.check()
    expect(page.get_by_text("Agreement drafted with the ICB.")).to_be_visible()
    checked.assert_no_horizontal_scroll()

    # a commissioner reads the plan, without the buttons that change it
    page.context.clear_cookies()
    checked.sign_in("cam", TEST_PASSWORD)
    checked.goto("/duty/action-plan/", title="Action plan")
    expect(page.get_by_role("link", name="Share custody data monthly")).to_be_visible()
    expect(page.get_by_role("link", name="Add an action")).to_have_count(0)
    checked.goto("/duty/readiness/", title="Readiness for the Serious Violence Duty")
    checked.assert_no_horizontal_scroll()
