"""End-to-end: a practitioner opens a case, corrects the young person's address and home
neighbourhood with a reason, and sees the version history; at 360 px and at desktop width,
each page checked with axe."""

import datetime

import pytest
from playwright.sync_api import expect

from programmes import services
from tests.factories import TEST_PASSWORD, LSOAFactory, ProgrammeFactory, programme_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [360, 1280], ids=["phone", "desktop"])
def test_a_practitioner_corrects_an_address_and_sees_the_version_history(checked, width):
    # given a practitioner holding a case whose address was typed wrongly
    programme = ProgrammeFactory(name="ReRoute")
    practitioner = programme_staff(programme, "practitioner", username="pat")
    home = LSOAFactory(partnership=programme.partnership, name="Chelmsford 001A")
    moved = LSOAFactory(partnership=programme.partnership, name="Chelmsford 002B")
    event = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=5)
    referral = services.referral_create(
        actor=practitioner,
        programme=programme,
        first_name="Sam",
        last_name="Smith",
        date_of_birth=datetime.date(2010, 5, 1),
        source="custody",
        reason="knife",
        event_at=event,
        referred_at=event + datetime.timedelta(hours=1),
        home_lsoa=home.code,
        address="1 High Stret",
    )
    page = checked.page
    page.set_viewport_size({"width": width, "height": 900})
    checked.sign_in("pat", TEST_PASSWORD)

    # when they open the case and choose to correct it
    checked.goto(referral.get_absolute_url(), title=f"Referral {referral.young_person.reference}")
    expect(page.get_by_text("Not corrected since it was recorded")).to_be_visible()
    page.get_by_role("link", name="Correct the referral or the young person's details").click()
    checked.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct the referral")
    checked.assert_no_horizontal_scroll()

    # a correction without a reason is refused (400), with the error named
    checked.expected_failures.add(page.url)
    page.get_by_label("Address").fill("1 High Street")
    page.get_by_role("button", name="Save the correction").click()
    checked.check()
    expect(page.get_by_role("alert")).to_contain_text("Enter why you are making this change")

    # then with the reason and the home neighbourhood too
    page.get_by_label("Home neighbourhood (LSOA)").fill(moved.code)
    page.get_by_label("Why are you making this change?").fill("Typed wrongly at custody")
    page.get_by_role("button", name="Save the correction").click()
    page.wait_for_url(checked.url(referral.get_absolute_url()))
    checked.check()

    # the case shows the corrected values and the version history: who, when, what, why
    expect(page.get_by_text("Correction saved")).to_be_visible()
    history = page.locator(".govuk-summary-card", has_text="Referral, version 2")
    expect(history).to_contain_text("Typed wrongly at custody")
    expect(history).to_contain_text("Address")
    expect(history).to_contain_text("1 High Stret")
    expect(history).to_contain_text("1 High Street")
    expect(history).to_contain_text("Home neighbourhood")
    expect(history).to_contain_text("Chelmsford 002B")
    expect(history).to_contain_text("Changed by")
    checked.assert_no_horizontal_scroll()
