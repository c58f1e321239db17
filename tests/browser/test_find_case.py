"""End-to-end: a practitioner finds a case in seconds, by first name, by part of the
reference and by date of birth, on a phone (360 px: cards, filters behind a button) and at
desktop width (a table), in Chromium with axe on every page."""

import datetime

import pytest
from playwright.sync_api import expect

from programmes import services
from tests.factories import TEST_PASSWORD, ProgrammeFactory, ReferralFactory, UserFactory
from vru.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "desktop"])
def test_a_practitioner_finds_a_case_by_first_name_reference_and_date_of_birth(checked, viewport):
    # given a practitioner of ReRoute with three open cases and a closed one
    practitioner = UserFactory(username="pat", roles=[Role.PRACTITIONER])
    programme = ProgrammeFactory(partnership=practitioner.partnership, name="ReRoute")
    services.programme_staff_set(
        actor=None, programme=programme, user=practitioner, role="practitioner"
    )
    jay = ReferralFactory(
        programme=programme,
        assigned_to=practitioner,
        first_name="Jay",
        last_name="Smith",
        date_of_birth=datetime.date(2009, 3, 14),
    )
    for first in ("Sam", "Alex"):
        ReferralFactory(programme=programme, assigned_to=practitioner, first_name=first)
    closed = ReferralFactory(programme=programme, assigned_to=practitioner, first_name="Jay")
    services.referral_status_change(
        actor=None, referral=closed, to_status="closed", closure_reason="completed"
    )
    reference = jay.young_person.reference
    page = checked.page
    page.set_viewport_size(viewport)
    checked.sign_in("pat", TEST_PASSWORD)

    # the caseload opens on the open cases only
    checked.goto("/programmes/caseload/", title="Caseload")
    expect(page.get_by_role("status")).to_contain_text("3 open referrals")
    filters_button = page.get_by_role("button", name="Show filters")
    toggle = page.locator(".vru-filters-toggle")
    if viewport is PHONE:
        # cards, and the filters folded away behind a button that opens them
        expect(page.get_by_label("Programme")).to_be_hidden()
        filters_button.click()
        expect(page.get_by_label("Programme")).to_be_visible()
        expect(page.get_by_role("button", name="Hide filters")).to_have_attribute(
            "aria-expanded", "true"
        )
        checked.check()
        assert page.locator("tbody tr").first.evaluate("e => getComputedStyle(e).display") == (
            "block"
        )
        checked.assert_no_horizontal_scroll()
    else:
        expect(toggle).to_be_hidden()  # neither "Show" nor "Hide": the filters just show
        expect(page.get_by_label("Programme")).to_be_visible()
        assert page.locator("tbody tr").first.evaluate("e => getComputedStyle(e).display") == (
            "table-row"
        )

    def search(text: str) -> None:
        page.get_by_label("Find a case").fill(text)
        page.get_by_role("button", name="Search", exact=True).click()
        page.wait_for_load_state("load")
        checked.check()
        expect(page.locator("tbody tr")).to_have_count(1)
        expect(page.locator("tbody")).to_contain_text(reference)
        if viewport is PHONE:
            checked.assert_no_horizontal_scroll()

    # by first name (the closed Jay stays behind the status filter)
    search("jay")
    # by a part of the reference, lower case
    search(reference[3:9].lower())
    # by date of birth, as people write it
    search("14/03/2009")

    # the case opened is then among the recently viewed
    page.get_by_role("link", name=reference).click()
    checked.check()
    checked.goto("/programmes/caseload/", title="Caseload")
    recent = page.get_by_role("navigation", name="Recently viewed")
    expect(recent.get_by_role("link", name=reference)).to_be_visible()
