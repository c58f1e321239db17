"""End-to-end, at 360 px and at desktop width, with axe on every page: a manager assigns a
case seeing each person's open cases and reads the programme dashboard over a period; a
commissioner sees the partnership's headline figures on the home page; a youth reviewer
reads the whole application and checks their scores before sending them."""

import pytest
from playwright.sync_api import expect

from grants.models import Assignment
from programmes import services
from tests.factories import (
    TEST_PASSWORD,
    AssignmentFactory,
    GrantRoundFactory,
    PanelMemberFactory,
    PartnershipFactory,
    ProgrammeFactory,
    ReferralFactory,
    UserFactory,
)
from vru.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [360, 1280]


def _at(checked, width):
    checked.page.set_viewport_size({"width": width, "height": 800})


def _checked_narrow(checked, width):
    checked.check()
    if width == 360:
        checked.assert_no_horizontal_scroll()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_manager_assigns_a_case_seeing_workloads_and_reads_the_dashboard(checked, width):
    manager = UserFactory(username="mo.manager", roles=[Role.PROGRAMME_MANAGER])
    programme = ProgrammeFactory(partnership=manager.partnership, name="ReRoute")
    services.programme_staff_set(actor=None, programme=programme, user=manager, role="manager")
    ana = UserFactory(
        partnership=manager.partnership,
        roles=[Role.PRACTITIONER],
        first_name="Ana",
        last_name="Busy",
    )
    services.programme_staff_set(actor=None, programme=programme, user=ana, role="practitioner")
    for _ in range(2):
        ReferralFactory(programme=programme, assigned_to=ana)
    waiting = ReferralFactory(programme=programme)
    page = checked.page
    _at(checked, width)
    checked.sign_in("mo.manager", TEST_PASSWORD)

    checked.goto(f"/programmes/referrals/{waiting.pk}/assign/")
    _checked_narrow(checked, width)
    picker = page.get_by_label("Assigned practitioner")
    expect(picker.locator("option", has_text="Ana Busy (2 open cases)")).to_have_count(1)
    picker.select_option(label="Ana Busy (2 open cases)")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Caseload updated.")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.assigned_to == ana

    checked.goto(f"/programmes/{programme.pk}/")
    _checked_narrow(checked, width)
    page.get_by_role("link", name="this financial year").click()
    expect(page.get_by_role("heading", name="Financial year", exact=False)).to_be_visible()
    expect(page.get_by_role("figure", name="Referrals by status")).to_be_visible()
    page.get_by_text("Table of the figures").first.click()
    _checked_narrow(checked, width)
    # an end before the start is named beside its field
    page.locator("#id_start_0").fill("31")
    page.locator("#id_start_1").fill("3")
    page.locator("#id_start_2").fill("2026")
    page.locator("#id_end_0").fill("1")
    page.locator("#id_end_1").fill("3")
    page.locator("#id_end_2").fill("2026")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "End date must be the same as or after start date"
    )
    _checked_narrow(checked, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_commissioner_sees_the_headline_figures_on_the_home_page(checked, width):
    commissioner = UserFactory(username="cara.commissioner", roles=[Role.COMMISSIONER])
    programme = ProgrammeFactory(partnership=commissioner.partnership, name="ReRoute")
    for _ in range(12):
        ReferralFactory(programme=programme)
    page = checked.page
    _at(checked, width)

    checked.sign_in("cara.commissioner", TEST_PASSWORD)

    _checked_narrow(checked, width)
    expect(page.get_by_role("heading", name="The partnership's figures")).to_be_visible()
    expect(page.locator("#headline-referrals")).to_contain_text(
        "referrals of young people received"
    )
    page.locator("#headline-referrals").get_by_role("link").click()
    expect(page).to_have_url(checked.url("/programmes/"))
    checked.check()
    page.get_by_role("link", name="ReRoute").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    _checked_narrow(checked, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_reviewer_reads_the_whole_application_and_confirms_before_sending(checked, width):
    partnership = PartnershipFactory()
    user = UserFactory(
        username="riley.reviewer", partnership=partnership, roles=[Role.YOUTH_REVIEWER]
    )
    member = PanelMemberFactory(partnership=partnership, user=user)
    grant_round = GrantRoundFactory(partnership=partnership)
    assignment = AssignmentFactory(
        application__grant_round=grant_round,
        application__title="Friday Night Football",
        reviewer=member,
    )
    application = assignment.application
    page = checked.page
    _at(checked, width)
    checked.sign_in("riley.reviewer", TEST_PASSWORD)

    checked.goto(assignment.get_absolute_url())
    page.get_by_label("No, I don't know anyone involved").check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Review: Friday Night Football – VRU platform")
    _checked_narrow(checked, width)
    expect(page.get_by_text(application.summary)).to_be_visible()
    expect(page.get_by_text(application.budget_lines.first().description)).to_be_visible()
    for contact in (application.contact_name, application.contact_email):
        expect(page.get_by_text(contact)).to_have_count(0)

    criteria = list(grant_round.criteria.all())
    for criterion, score in zip(criteria, (4, 3), strict=True):
        page.locator(f"#id_score_{criterion.pk}_{score - 1}").check()
        page.get_by_label(f"Why did you give this score? ({criterion.title})").fill(
            f"Because of {criterion.title.lower()}."
        )
    page.get_by_role("button", name="Send my scores").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your scores before sending them"
    )
    _checked_narrow(checked, width)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.IN_PROGRESS

    # change one, come back, then confirm
    page.get_by_role("link", name=f"Change your score for {criteria[0].title}").click()
    page.locator(f"#id_score_{criteria[0].pk}_4").check()
    page.get_by_role("button", name="Send my scores").click()
    expect(page.get_by_text("5 out of 5")).to_be_visible()
    page.get_by_role("button", name="Confirm and send my scores").click()
    expect(page.get_by_role("heading", name="Scores sent")).to_be_visible()
    _checked_narrow(checked, width)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED
