"""End-to-end: a grants officer adds an applicant organisation (after a mistake the form
explains), finds it in the list and gives an applicant access, axe-checked on every page."""

import pytest
from playwright.sync_api import expect

from grants.models import Organisation
from tests.factories import TEST_PASSWORD, PartnershipFactory, UserFactory
from vru.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_grants_officer_adds_an_organisation_and_its_applicant(checked):
    partnership = PartnershipFactory()
    UserFactory(username="gina.grants", partnership=partnership, roles=[Role.GRANTS_OFFICER])
    UserFactory(username="pat.applicant", partnership=partnership, roles=[Role.APPLICANT])
    page = checked.page
    checked.sign_in("gina.grants", TEST_PASSWORD)

    checked.goto("/grants/organisations/", title="Organisations")
    page.get_by_role("link", name="Add an organisation").first.click()
    expect(page).to_have_title("Add an organisation – VRU platform")
    checked.check()

    page.get_by_label("Address").fill("Unit 4, Cranes Farm Road")
    page.get_by_role("button", name="Add organisation").click()
    expect(page).to_have_title("Error: Add an organisation – VRU platform")
    expect(page.get_by_label("Address")).to_have_value("Unit 4, Cranes Farm Road")
    checked.check()

    page.get_by_label("Organisation name").fill("Basildon Boxing Club")
    page.get_by_label("Constituted community group").check()
    page.get_by_role("button", name="Add organisation").click()
    expect(page.get_by_role("heading", name="Basildon Boxing Club")).to_be_visible()
    checked.check()

    page.get_by_label("Username of the applicant").fill("pat.applicant")
    page.get_by_role("button", name="Add applicant").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("can now apply")
    checked.check()

    checked.goto("/grants/organisations/", title="Organisations")
    expect(page.get_by_role("link", name="Basildon Boxing Club")).to_be_visible()
    assert Organisation.objects.get().memberships.count() == 1
