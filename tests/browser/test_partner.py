"""End-to-end: a partner from one local authority signs in, sees its area's figures, updates
an action their organisation owns, and gets 404 for everything else; at 360 px and at desktop
width, every page checked with axe and for sideways scrolling."""

import datetime

import pytest
from playwright.sync_api import expect

from duty import services
from duty.models import PartnerMember
from tests.factories import (
    TEST_PASSWORD,
    DutyHolderFactory,
    LocalAuthorityFactory,
    PartnershipFactory,
    RecommendationFactory,
    StrategicNeedsAssessmentFactory,
    UserFactory,
)
from vru.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [360, 1280], ids=["phone", "desktop"])
def test_a_councils_partner_sees_its_area_updates_its_action_and_nothing_else(checked, width):
    partnership = PartnershipFactory(short_name="Essex VVP")
    thurrock = LocalAuthorityFactory(partnership=partnership, name="Thurrock")
    LocalAuthorityFactory(partnership=partnership, name="Basildon")
    council = DutyHolderFactory(partnership=partnership, name="Thurrock Council")
    council.areas.set([thurrock])
    police = DutyHolderFactory(partnership=partnership, name="Essex Police", kind="police")
    pat = UserFactory(partnership=partnership, roles=[Role.PARTNER], username="pat")
    PartnerMember.objects.create(user=pat, holder=council)
    sna = StrategicNeedsAssessmentFactory(partnership=partnership, published=True)

    def action(owner, number, title):
        return services.action_create(
            actor=None,
            recommendation=RecommendationFactory(needs_assessment=sna, number=number),
            title=title,
            owner=owner,
            owner_name="A lead",
            due_on=datetime.date(2027, 3, 31),
        )

    ours = action(council, 1, "Open two youth hubs in Grays")
    theirs = action(police, 2, "Share custody data monthly")
    page = checked.page
    page.set_viewport_size({"width": width, "height": 900})
    checked.sign_in("pat", TEST_PASSWORD)

    # the home page opens on the area's figures, and names no other area
    expect(
        page.get_by_role("heading", name="Thurrock: financial year", exact=False)
    ).to_be_visible()
    expect(page.get_by_text("Basildon")).to_have_count(0)
    checked.assert_no_horizontal_scroll()
    checked.goto("/duty/your-area/", title="Your area's figures")
    checked.assert_no_horizontal_scroll()

    # the action plan shows only the council's action; the partner records progress on it
    checked.goto("/duty/action-plan/", title="Action plan")
    expect(page.get_by_role("link", name="Share custody data monthly")).to_have_count(0)
    page.get_by_role("link", name="Open two youth hubs in Grays").click()
    checked.check()
    page.get_by_label("Progress", exact=True).fill("First hub open at the library.")
    page.get_by_label("Status", exact=True).select_option("under_way")
    page.get_by_label("RAG rating").select_option("green")
    page.get_by_role("button", name="Record progress").click()
    page.wait_for_url(checked.url(f"/duty/actions/{ours.pk}/"))
    checked.check()
    expect(page.get_by_text("First hub open at the library.")).to_be_visible()
    checked.assert_no_horizontal_scroll()

    # everything else is not found
    for path in [
        f"/duty/actions/{theirs.pk}/",
        "/duty/",
        "/duty/annual-report/",
        "/programmes/",
        "/programmes/caseload/",
        "/grants/",
        "/evaluation/reports/",
        "/areas/",
    ]:
        checked.goto(path, status=404)
