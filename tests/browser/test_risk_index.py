"""End-to-end: the risk index pages (issue 3) in Chromium with the real demo data, each checked
with axe-core and for console/CSP errors; the map is reachable by keyboard and opens an LSOA."""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import demo_rows
from vru import demo
from vru.models import RiskRun

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(tempfile.gettempdir()) / "vru-browser-screenshots"


@pytest.fixture
def analyst(transactional_db):
    demo_rows.load_demo()
    return "essex.analyst"


def test_analyst_reads_the_risk_index_map_and_its_pages(checked, analyst):
    SCREENSHOTS.mkdir(exist_ok=True)
    page = checked.page
    checked.sign_in(analyst, demo.DEMO_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Risk index").click()
    expect(page).to_have_url(checked.url("/risk/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk index")
    expect(page.get_by_role("group", name=re.compile("Map of the risk index"))).to_be_visible()
    expect(page.get_by_text("Summary (text alternative)")).to_be_visible()
    checked.check()
    page.screenshot(path=SCREENSHOTS / "risk-map.png", full_page=True)

    # Keyboard: the areas on the map are links; focus one and open it with Enter.
    first_area = page.locator(".vru-map svg a").first
    first_area.focus()
    expect(first_area).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/neighbourhoods/E01\d{6}/$"))
    expect(page.get_by_text("Rank history")).to_be_visible()
    checked.check()

    checked.goto("/risk/?factor=income", title="Risk index: IMD 2025 income domain score")
    run = RiskRun.objects.get(partnership__slug="essex-vvp", is_current=True)
    for path in (
        f"/risk/runs/{run.pk}/",
        "/risk/runs/",
        "/risk/runs/new/",
        "/risk/hotspots/",
        "/area-profiles/",
        "/crime-imports/",
        "/area-indicators/",
    ):
        checked.goto(path)
    page.screenshot(path=SCREENSHOTS / "area-profiles.png", full_page=True)
