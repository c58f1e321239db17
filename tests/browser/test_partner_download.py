"""End-to-end: an administrator downloads the caseload, filtered, for a partner organisation:
the caseload links to the choice on a page of its own, which offers only the agreement in
force covering referrals; the download holds the filtered cases and the disclosure is
recorded against the agreement. At 360 px and at desktop width, axe on every page."""

import pytest
from playwright.sync_api import expect

from programmes import services
from sharing import services as sharing_services
from sharing.models import DisclosureLog
from tests.factories import TEST_PASSWORD, ProgrammeFactory, ReferralFactory, UserFactory
from tests.sharing.conftest import make_agreement
from vru.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "desktop"])
def test_an_administrator_downloads_filtered_cases_for_a_partner_under_an_agreement(
    checked, viewport
):
    admin = UserFactory(username="ada", roles=[Role.ADMINISTRATOR])
    partnership = admin.partnership
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    knives = [ReferralFactory(programme=programme, reason="knife") for _ in range(2)]
    ReferralFactory(programme=programme, reason="drug_supply")
    police = sharing_services.organisation_save(
        actor=None, partnership=partnership, name="Essex Police", kind="police"
    )
    agreement = make_agreement(partnership, [police], title="Police referrals")
    make_agreement(partnership, [police], title="Listening only", kinds=["listening"])
    services.programme_staff_set(actor=None, programme=programme, user=admin, role="manager")
    page = checked.page
    page.set_viewport_size(viewport)
    checked.sign_in("ada", TEST_PASSWORD)

    checked.goto("/programmes/caseload/?reason=knife", title="Caseload")
    page.get_by_role("link", name="Download for a partner organisation").click()
    page.wait_for_load_state("load")
    expect(page).to_have_title("Download for a partner organisation – VRU platform")
    checked.check()
    checked.assert_no_horizontal_scroll()
    agreements = page.get_by_label("Agreement it is shared under")
    expect(agreements.locator("option")).to_have_text(
        ["Choose the agreement", "Police referrals (Essex Police)"]
    )
    page.get_by_label("Partner organisation").select_option(label="Essex Police")
    agreements.select_option(label="Police referrals (Essex Police)")
    page.get_by_label("Why it is shared (optional)").fill("Joint review of knife cases")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV for the partner").click()

    assert download.value.suggested_filename.endswith(".csv")
    log = DisclosureLog.objects.get()
    assert (log.agreement, log.recipient, log.purpose) == (
        agreement,
        police,
        "Joint review of knife cases",
    )
    assert sorted(log.records.values_list("record_id", flat=True)) == sorted(r.pk for r in knives)
