"""End-to-end: an administrator logs a subject access request (meeting the error summary
first), gathers the records, redacts a third party's name with a reason and downloads the
bundle once; anyone reads the privacy notice. At 360 px and desktop width, every page
checked with axe and for sideways scrolling."""

import datetime

import pytest
from playwright.sync_api import expect

from programmes import services as programme_services
from tests.factories import (
    TEST_PASSWORD,
    PartnershipFactory,
    ProgrammeFactory,
    ReferralFactory,
    UserFactory,
)
from vru.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [360, 1280], ids=["phone", "desktop"])
def test_an_administrator_answers_a_subject_access_request(checked, width):
    partnership = PartnershipFactory(short_name="Essex VVP")
    UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR], username="ada")
    referral = ReferralFactory(
        programme=ProgrammeFactory(partnership=partnership), first_name="Jaylen"
    )
    programme_services.contact_record(
        actor=None,
        referral=referral,
        occurred_at=referral.referred_at + datetime.timedelta(hours=1),
        method="phone",
        notes="Talked about Morgan Thirdparty.",
    )
    reference = referral.young_person.reference
    page = checked.page
    page.set_viewport_size({"width": width, "height": 900})

    checked.goto("/rights/privacy/young-people/", title="How we use your information")
    checked.assert_no_horizontal_scroll()

    checked.sign_in("ada", TEST_PASSWORD)
    checked.goto("/rights/requests/", title="Subject access requests")
    expect(page.get_by_text("No requests have been logged.")).to_be_visible()

    page.get_by_role("link", name="Log a request").click()
    checked.check()
    page.get_by_label("Young person's reference").fill("YP-NOBODY")
    page.get_by_role("button", name="Log the request").click()
    checked.check()
    expect(page.locator(".govuk-error-summary")).to_be_visible()

    page.get_by_label("Young person's reference").fill(reference)
    page.get_by_label("Name of the person asking").fill("Jaylen")
    page.get_by_label("Their relationship to the young person").select_option("self")
    page.get_by_label("How identity was checked").select_option("photo_id")
    page.get_by_role("button", name="Log the request").click()
    checked.check()
    expect(page.get_by_text("left.")).to_be_visible()

    page.get_by_role("button", name="Gather the records").click()
    checked.check()
    page.get_by_role("link", name="Review and redact").click()
    checked.check()
    checked.assert_no_horizontal_scroll()
    page.get_by_role("link", name="Redact Notes of Contact").click()
    checked.check()
    page.get_by_label("Words to redact").fill("Morgan Thirdparty")
    page.get_by_label("Reason for the redaction").fill("Another young person's name")
    page.get_by_role("button", name="Redact").click()
    checked.check()
    expect(page.get_by_text("Talked about [redacted].")).to_be_visible()
    expect(page.get_by_text("Morgan")).to_have_count(0)

    page.get_by_role("link", name="Back to the request").click()
    page.get_by_role("link", name="Download the bundle").click()
    checked.check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the bundle").click()
    assert download.value.suggested_filename.endswith(".zip")
