"""End-to-end: a young reviewer declares no conflict and sends their scores, in Debian's
Chromium against the live server, with axe-core (WCAG 2.2 AA) and the console checked on
every page (grants, issue 5)."""

import pytest
from playwright.sync_api import expect

from grants.models import Assignment, Score
from tests.factories import (
    TEST_PASSWORD,
    AssignmentFactory,
    GrantRoundFactory,
    PanelMemberFactory,
    PartnershipFactory,
    UserFactory,
)
from vru.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def assignment(transactional_db):
    partnership = PartnershipFactory()
    user = UserFactory(
        username="riley.reviewer",
        partnership=partnership,
        roles=[Role.YOUTH_REVIEWER],
        first_name="Riley",
    )
    member = PanelMemberFactory(partnership=partnership, user=user)
    grant_round = GrantRoundFactory(partnership=partnership)
    return AssignmentFactory(
        application__grant_round=grant_round,
        application__title="Friday Night Football",
        reviewer=member,
    )


def test_a_young_reviewer_declares_no_conflict_and_sends_scores(checked, assignment):
    page = checked.page
    checked.sign_in("riley.reviewer", TEST_PASSWORD)

    checked.goto("/grants/reviews/", title="Your reviews")
    page.get_by_role("link", name="Friday Night Football").click()
    expect(page).to_have_title("Do you know anyone involved? – VRU platform")
    checked.check()

    # Continuing without an answer shows the GOV.UK error summary.
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Error: Do you know anyone involved? – VRU platform")
    checked.check()

    page.get_by_label("No, I don't know anyone involved").check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Review: Friday Night Football – VRU platform")
    expect(page.get_by_text(assignment.application.contact_email)).to_have_count(0)
    checked.check()

    criteria = list(assignment.application.grant_round.criteria.all())
    page.get_by_text("See an example").first.click()
    # Score each criterion: radio n is "n – descriptor"; index n - 1.
    for criterion, score in zip(criteria, (4, 3), strict=True):
        page.locator(f"#id_score_{criterion.pk}_{score - 1}").check()
        page.get_by_label(f"Why did you give this score? ({criterion.title})").fill(
            "They explain clearly who they will help."
        )
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")
    checked.check()

    page.get_by_role("button", name="Send my scores").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your scores before sending them"
    )
    checked.check()
    page.get_by_role("button", name="Confirm and send my scores").click()
    expect(page.get_by_role("heading", name="Scores sent")).to_be_visible()
    checked.check()

    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED
    scores = Score.objects.filter(assignment=assignment).values_list("score", flat=True)
    assert sorted(scores) == [3, 4]
