"""End-to-end: a practitioner chooses the young person's home neighbourhood by tapping it on
a map of one local authority, on a phone; the box then holds its code. Checked with axe."""

import pytest
from playwright.sync_api import expect

from tests.factories import (
    TEST_PASSWORD,
    LocalAuthorityFactory,
    LSOAFactory,
    PartnershipFactory,
    ProgrammeFactory,
    programme_staff,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _square(x: float, y: float) -> dict:
    ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_a_practitioner_taps_a_neighbourhood_on_the_map(checked):
    partnership = PartnershipFactory(short_name="Essex VVP")
    chelmsford = LocalAuthorityFactory(partnership=partnership, name="Chelmsford")
    LocalAuthorityFactory(partnership=partnership, name="Harlow")
    for n in range(4):
        LSOAFactory(
            local_authority=chelmsford,
            code=f"E0102123{n}",
            name=f"Chelmsford 00{n}A",
            boundary=_square(0.46 + 0.01 * (n % 2), 51.73 + 0.01 * (n // 2)),
        )
    programme_staff(ProgrammeFactory(partnership=partnership), "practitioner", username="priya")
    page = checked.page
    page.set_viewport_size({"width": 360, "height": 800})
    checked.sign_in("priya", TEST_PASSWORD)
    checked.goto("/programmes/referrals/new/", title="Record a referral")

    page.get_by_role("button", name="Choose on a map").click()
    page.get_by_role("link", name="Chelmsford").click()
    area = page.get_by_role("link", name="Chelmsford 002A (E01021232)")
    expect(area).to_be_visible()
    checked.check()
    area.click()

    expect(page.get_by_label("Home neighbourhood (LSOA)")).to_have_value("E01021232")
    expect(page.get_by_role("button", name="Choose on a map")).to_have_attribute(
        "aria-expanded", "false"
    )
    checked.assert_no_horizontal_scroll()
