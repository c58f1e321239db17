"""End-to-end: a user makes an API token on "Your account", copies it from the one page that
shows it, uses it, and revokes it after confirming; axe on every page."""

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, LSOAFactory, PartnershipFactory, UserFactory
from vru.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_user_makes_uses_and_revokes_an_api_token(checked):
    partnership = PartnershipFactory()
    LSOAFactory(partnership=partnership)
    UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana.lyst")
    page = checked.page
    checked.sign_in("ana.lyst", TEST_PASSWORD)

    page.get_by_role("link", name="Your account").click()
    page.wait_for_url(checked.url("/accounts/sessions/"))
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
    page.get_by_role("link", name="Make an API token").click()
    page.wait_for_url(checked.url("/accounts/tokens/new/"))
    checked.check()

    # sent without a name: the error names the field
    page.get_by_role("button", name="Make the token").click()
    expect(page).to_have_title("Error: Make an API token – VRU platform")
    checked.check()
    page.get_by_label("Name").fill("Power BI")
    page.get_by_label("30 days").check()
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new API token")
    checked.check()
    key = page.get_by_label("Token").input_value()

    api = page.context.request
    headers = {"Authorization": f"Token {key}"}
    assert api.get(checked.url("/api/lsoas/"), headers=headers).status == 200

    page.get_by_role("link", name="Back to your account").click()
    row = page.get_by_role("row", name="Power BI")
    expect(row).to_contain_text(key[:12])
    expect(row).to_contain_text("Read only")
    assert key not in page.content()
    checked.check()

    row.get_by_role("link", name="Revoke").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke the token “Power BI”?")
    checked.check()
    page.get_by_role("button", name="Yes, revoke it").click()
    page.wait_for_url(checked.url("/accounts/sessions/"))
    expect(page.get_by_text("The token “Power BI” has been revoked.")).to_be_visible()
    checked.check()
    assert api.get(checked.url("/api/lsoas/"), headers=headers).status == 401
