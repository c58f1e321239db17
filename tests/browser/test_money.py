"""End-to-end: a grants officer produces, reviews and locks a quarterly return and reads fair
reach; an administrator opens the records behind a figure of it. At 360 px and at desktop
width, every page checked with axe and for sideways scrolling (the return is 30 columns wide:
it scrolls inside its own region, never the page)."""

import re

import pytest
from playwright.sync_api import expect

from finance.models import QuarterlyReturn
from tests.factories import TEST_PASSWORD, UserFactory
from tests.finance.test_quarterly_return import (  # noqa: F401 - fixtures
    at,
    contact,
    officer,
    records,
    referral,
)
from vru.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_reauthentication(settings):
    settings.VRU_REAUTH_REQUIRED = False


@pytest.mark.parametrize("width", [360, 1280], ids=["phone", "desktop"])
def test_a_grants_officer_locks_a_return_and_an_administrator_opens_the_records_behind_it(
    checked,
    partnership,
    officer,  # noqa: F811
    records,  # noqa: F811
    width,
):
    page = checked.page
    page.set_viewport_size({"width": width, "height": 900})
    checked.sign_in(officer.username, TEST_PASSWORD)

    checked.goto("/finance/returns/", title="Quarterly returns")
    expect(page.get_by_text("No quarterly return has been produced.")).to_be_visible()
    page.get_by_label("Financial year").fill("2025")
    page.get_by_label("Quarter").select_option("2")
    page.get_by_role("button", name="Produce the draft").click()
    page.wait_for_load_state("load")
    checked.check()
    produced = QuarterlyReturn.objects.get(partnership=partnership)
    assert page.url == checked.url(produced.get_absolute_url())
    checked.assert_no_horizontal_scroll()
    expect(page.get_by_role("region", name="One row per intervention")).to_be_visible()
    expect(page.get_by_role("rowheader", name="ReRoute (programme)")).to_be_visible()

    page.get_by_role("button", name="Mark as reviewed").click()
    page.wait_for_load_state("load")
    checked.check()
    page.get_by_role("button", name="Lock the return").click()
    page.wait_for_load_state("load")
    checked.check()
    produced.refresh_from_db()
    assert produced.status == QuarterlyReturn.Status.LOCKED
    assert produced.locked_by == officer
    # a grants officer sees the figures but not the cases behind them
    expect(page.get_by_role("link", name="the records behind")).to_have_count(0)

    checked.goto("/finance/fair-reach/?financial_year=2025&quarter=2")
    expect(page.get_by_role("table", name="By ethnic group", exact=False)).to_be_visible()
    checked.assert_no_horizontal_scroll()
    page.context.clear_cookies()  # signed out (the phone menu hides the button)

    admin = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR], username="ada")
    checked.sign_in(admin.username, TEST_PASSWORD)
    checked.goto(produced.get_absolute_url())
    checked.assert_no_horizontal_scroll()  # each figure a link, with hidden words for it
    reached = produced.rows[[r["intervention"] for r in produced.rows].index("ReRoute")]
    page.get_by_role(
        "link", name="the records behind young people reached, ReRoute", exact=False
    ).click()
    page.wait_for_load_state("load")
    checked.check()
    checked.assert_no_horizontal_scroll()
    figure = reached["young_people_reached"]
    expect(page.get_by_text(f"still give the locked figure, {figure}.")).to_be_visible()
    # one referral per young person counted, by reference only (the factories' names: Person<n>)
    expect(page.get_by_role("link", name="Referral ")).to_have_count(figure)
    expect(page.get_by_text(re.compile(r"Person\d"))).to_have_count(0)
