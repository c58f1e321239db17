"""End-to-end: the core pages in Debian's Chromium, against the live server.

Every page opened is checked with axe-core (WCAG 2.0/2.1/2.2 A and AA rules) and for browser
console errors, which include CSP violations (see helpers.PageChecker). The demo data
(vru.demo.load_demo, about 9 s on SQLite) is loaded only by the tests that need real data, and each of
those walks through all of a role's pages rather than one page per test.
"""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import demo_rows
from tests.factories import TEST_PASSWORD, PartnershipFactory, UserFactory
from vru import demo
from vru.models import LSOA, Role, StrategicNeedsAssessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots for people to look at; outside the repository.
SCREENSHOTS = Path(tempfile.gettempdir()) / "vru-browser-screenshots"
GOVUK_FOCUS_YELLOW = "rgb(255, 221, 0)"


@pytest.fixture
def demo_data(transactional_db):
    demo_rows.load_demo()


@pytest.fixture
def analyst(demo_data):
    return "essex.analyst"


def test_signed_out_pages(checked):
    page = checked.page
    checked.goto("/accounts/login/", title="Sign in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("navigation", name="Menu")).to_have_count(0)

    checked.goto("/accessibility/", title="Accessibility statement")
    # Signed-out users can reach the accessibility statement (a legal requirement).
    assert page.url == checked.url("/accessibility/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility")

    # Any other page sends a signed-out user to sign in, and back again afterwards.
    response = page.goto(checked.url("/neighbourhoods/"))
    assert response is not None
    assert page.url.startswith(checked.url("/accounts/login/?next="))
    checked.check()


def test_sign_in_error_keeps_username(checked):
    UserFactory(username="sam.tester", roles=[Role.ANALYST])
    page = checked.page
    checked.goto("/accounts/login/", title="Sign in")
    page.get_by_label("Username").fill("sam.tester")
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")

    expect(page).to_have_title("Error: Sign in – VRU platform")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    expect(summary.get_by_role("listitem")).not_to_have_count(0)
    # GOV.UK Frontend's error summary takes the focus, so screen readers announce it.
    expect(summary).to_be_focused()
    expect(page.get_by_label("Username")).to_have_value("sam.tester")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    checked.check()


def _tab_to_skip_link(checked, path: str, title: str):
    """Open a page, press Tab once: the skip link must take the focus, and show."""
    page = checked.page
    checked.goto(path, title=title)
    skip = page.get_by_role("link", name="Skip to main content")
    hidden_box = skip.bounding_box()
    assert hidden_box is not None
    assert hidden_box["width"] <= 1, f"skip link shown before focus: {hidden_box}"
    assert hidden_box["height"] <= 1, f"skip link shown before focus: {hidden_box}"

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 160)")
    assert skip.evaluate("el => el === document.activeElement"), (
        f"Tab on {path} did not reach the skip link first; the focus is on {focused}"
    )
    shown_box = skip.bounding_box()
    assert shown_box is not None
    assert shown_box["width"] > 10, f"the focused skip link is not shown: {shown_box}"
    assert shown_box["height"] > 10, f"the focused skip link is not shown: {shown_box}"
    # Visible focus (WCAG 2.4.7): GOV.UK's yellow focus background.
    assert skip.evaluate("el => getComputedStyle(el).backgroundColor") == GOVUK_FOCUS_YELLOW
    return skip


def test_skip_link_is_first_tab_stop_on_sign_in_page(checked):
    _tab_to_skip_link(checked, "/accounts/login/", "Sign in")
    page = checked.page
    page.keyboard.press("Enter")
    expect(page).to_have_url(checked.url("/accounts/login/#main-content"))
    expect(page.locator("main#main-content")).to_be_focused()
    # From the main content, the form in order: username, password.
    page.keyboard.press("Tab")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    checked.check()


def test_skip_link_shows_on_focus_and_skips_to_main(checked):
    """The same skip link (base.html) on a page with no form, signed out."""
    _tab_to_skip_link(checked, "/accessibility/", "Accessibility statement")
    page = checked.page
    page.keyboard.press("Enter")
    expect(page).to_have_url(checked.url("/accessibility/#main-content"))
    expect(page.locator("main#main-content")).to_be_focused()
    checked.check()


def test_analyst_visits_every_page(checked, analyst):
    page = checked.page
    checked.sign_in(analyst, demo.DEMO_PASSWORD)
    expect(page).to_have_title("Home – VRU platform")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Ana")
    menu = page.get_by_role("navigation", name="Menu")
    for label in ("Neighbourhoods", "Needs assessments", "Success measures"):
        expect(menu.get_by_role("link", name=label)).to_be_visible()

    # Neighbourhoods: the list, then filtered through the form, sorted, and page 2.
    menu.get_by_role("link", name="Neighbourhoods").click()
    expect(page).to_have_url(checked.url("/neighbourhoods/"))
    expect(page).to_have_title("Neighbourhoods – VRU platform")
    checked.check()
    total = LSOA.objects.filter(partnership__slug="essex-vvp").count()
    expect(page.get_by_role("status")).to_contain_text(f"{total:,}".replace(",", "") + " ")

    page.get_by_label("1 (most deprived)").check()
    page.get_by_label("2", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"imd_decile=1&imd_decile=2"))
    expect(page.get_by_role("status")).to_contain_text("match your filters")
    expect(page.get_by_label("1 (most deprived)")).to_be_checked()
    checked.check()

    page.get_by_role("columnheader", name="Population").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"sort=population"))
    expect(page.get_by_role("columnheader", name="Population")).to_have_attribute(
        "aria-sort", "ascending"
    )
    checked.check()

    pagination = page.get_by_role("navigation", name="Pagination")
    pagination.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(pagination.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    expect(page).to_have_url(re.compile(r"imd_decile=1&imd_decile=2"))
    expect(page).to_have_url(re.compile(r"sort=population"))
    checked.check()

    # One neighbourhood, with its boundary drawn as an SVG map.
    first = page.get_by_role("table").get_by_role("row").nth(1).get_by_role("link")
    code = first.inner_text()
    first.click()
    expect(page).to_have_url(checked.url(f"/neighbourhoods/{code}/"))
    lsoa = LSOA.objects.get(code=code)
    expect(page.get_by_role("heading", level=1)).to_have_text(lsoa.name)
    map_ = page.get_by_role("img", name=f"Outline of {lsoa.name}")
    expect(map_).to_be_visible()
    box = map_.bounding_box()
    assert box is not None
    assert box["width"] > 100, box
    assert box["height"] > 50, box
    assert page.locator("svg path.vru-map__area").get_attribute("d")
    checked.check()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "neighbourhood.png", full_page=True)
    page.get_by_role("link", name="Back to neighbourhoods").click()
    expect(page).to_have_url(checked.url("/neighbourhoods/"))

    # Needs assessments: the list and the published Essex SNA.
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Needs assessments"
    ).click()
    expect(page).to_have_title("Strategic needs assessments – VRU platform")
    checked.check()
    sna = StrategicNeedsAssessment.objects.get(partnership__slug="essex-vvp")
    page.get_by_role("link", name=sna.title).click()
    expect(page).to_have_url(checked.url(f"/needs-assessments/{sna.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(sna.title)
    checked.check()

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Success measures").click()
    expect(page).to_have_url(checked.url("/success-measures/"))
    checked.check()

    page.get_by_role("link", name="Accessibility statement").click()
    expect(page).to_have_url(checked.url("/accessibility/"))
    checked.check()

    # The 404 page: an unknown address, another partnership's neighbourhood, another
    # partnership's needs assessment.
    checked.goto("/no-such-page/", status=404, title="Page not found")
    beds_lsoa = LSOA.objects.filter(partnership__slug="bedfordshire-veru").first()
    checked.goto(f"/neighbourhoods/{beds_lsoa.code}/", status=404, title="Page not found")
    beds_sna = StrategicNeedsAssessment.objects.get(partnership__slug="bedfordshire-veru")
    checked.goto(f"/needs-assessments/{beds_sna.pk}/", status=404, title="Page not found")

    checked.sign_out()
    checked.check()


def test_reflow_at_320px(checked, analyst):
    """WCAG 1.4.10: at 320 CSS px (1280 px at 400% zoom) nothing scrolls sideways."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = checked.page
    page.set_viewport_size({"width": 320, "height": 720})
    checked.sign_in(analyst, demo.DEMO_PASSWORD)
    failures = []
    for name, path in [("home", "/"), ("neighbourhoods", "/neighbourhoods/")]:
        checked.goto(path)
        page.screenshot(path=SCREENSHOTS / f"{name}-320.png", full_page=True)
        page.screenshot(path=SCREENSHOTS / f"{name}-320-first-screen.png")
        try:
            checked.assert_no_horizontal_scroll()
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n".join(failures)


def test_youth_reviewer_sees_only_their_home_page(checked):
    partnership = PartnershipFactory()
    UserFactory(
        username="riley.reviewer",
        first_name="Riley",
        partnership=partnership,
        roles=[Role.YOUTH_REVIEWER],
    )
    page = checked.page
    checked.sign_in("riley.reviewer", TEST_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Riley")
    # Their home page leads to their grant reviews and nothing else.
    expect(page.get_by_role("heading", name="Community grants")).to_be_visible()
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Home")).to_be_visible()
    for label in (
        "Neighbourhoods",
        "Needs assessments",
        "Success measures",
        "Administration",
        "Programmes",
        "Caseload",
        "Listening projects",
    ):
        expect(menu.get_by_role("link", name=label)).to_have_count(0)

    for path in ("/neighbourhoods/", "/needs-assessments/", "/success-measures/"):
        checked.goto(path, status=404, title="Page not found")
