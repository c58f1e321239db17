"""End-to-end: a practitioner sees which of their cases' consent has expired or is due to be
reconfirmed, on the caseload and on the referral page, in Chromium with axe."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programmes import services
from programmes.models import Referral
from tests.factories import TEST_PASSWORD, ProgrammeFactory, ReferralFactory, UserFactory
from vru.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_practitioner_sees_expired_and_soon_due_consents(checked):
    practitioner = UserFactory(username="worker", roles=[Role.PRACTITIONER])
    programme = ProgrammeFactory(partnership=practitioner.partnership, name="ReRoute")
    services.programme_staff_set(
        actor=None, programme=programme, user=practitioner, role="practitioner"
    )
    today = timezone.localdate()
    cases = {}
    for name, reconfirm_by in (
        ("expired", today - datetime.timedelta(days=3)),
        ("soon", today + datetime.timedelta(days=7)),
    ):
        referral = ReferralFactory(
            programme=programme,
            assigned_to=practitioner,
            consent_given_by="both",
            consent_given_at=timezone.now() - datetime.timedelta(days=30),
        )
        Referral.objects.filter(pk=referral.pk).update(consent_reconfirm_by=reconfirm_by)
        cases[name] = referral
    page = checked.page
    checked.sign_in("worker", TEST_PASSWORD)

    checked.goto("/programmes/caseload/", title="Caseload")
    expired_row = page.locator("tr", has_text=cases["expired"].young_person.reference)
    expect(expired_row).to_contain_text("Consent expired")
    soon = today + datetime.timedelta(days=7)
    soon_row = page.locator("tr", has_text=cases["soon"].young_person.reference)
    expect(soon_row).to_contain_text(f"Reconfirm consent by {soon.day} {soon:%b %Y}")

    expired_row.get_by_role("link", name=cases["expired"].young_person.reference).click()
    checked.check()
    expect(page.get_by_text("Consent expired")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Given by young person and parent or carer")
