"""End-to-end: a programme manager's caseload (seek pagination), the custody-spreadsheet
import (refused with its row errors; checked, confirmed and undone from its page), and a
session's named attendees, in Chromium with axe."""

import datetime

import pytest
from playwright.sync_api import expect

from programmes import services
from programmes.models import Referral
from tests.factories import TEST_PASSWORD, ProgrammeFactory, ReferralFactory, UserFactory
from vru.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_pages_the_caseload_imports_and_names_attendees(checked, tmp_path):
    # given a manager of ReRoute with 51 referrals (two pages) and a group session
    manager = UserFactory(username="manager", roles=[Role.PROGRAMME_MANAGER])
    programme = ProgrammeFactory(partnership=manager.partnership, name="ReRoute")
    services.programme_staff_set(actor=None, programme=programme, user=manager, role="manager")
    referrals = [ReferralFactory(programme=programme) for _ in range(51)]
    session = services.session_record(
        actor=None,
        programme=programme,
        kind="group",
        held_on=datetime.date(2026, 3, 2),
        place="Youth club",
        counts={("14-17", "male"): 4},
    )
    page = checked.page
    checked.sign_in("manager", TEST_PASSWORD)

    # the caseload: 51 referrals, the next page holds the last one, and back again
    checked.goto("/programmes/caseload/", title="Caseload")
    expect(page.get_by_role("status")).to_contain_text("51 open referrals")
    page.get_by_role("link", name="Next page").click()
    checked.check()
    expect(page.locator("tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Previous page").click()
    checked.check()
    expect(page.locator("tbody tr")).to_have_count(50)

    # the import: a file with a bad row is refused on its page with that row's error
    upload = tmp_path / "custody.csv"
    upload.write_text(
        "first_name,last_name,date_of_birth,reason,event_at\n"
        "Ann,One,2010-02-03,knife,2026-03-01 10:00\n"
        "Bob,Two,2010-02-03,juggling,2026-03-01 10:00\n"
    )
    checked.goto("/programmes/referrals/import/", title="Import referrals")
    page.get_by_label("Programme").select_option(label="ReRoute")
    page.get_by_label("Custody spreadsheet").set_input_files(str(upload))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("custody.csv")
    expect(page.get_by_text("This file was not imported: nothing changed")).to_be_visible()
    checked.check()
    expect(page.get_by_role("table")).to_contain_text("Unknown reason “juggling”")

    # the valid rows only: the check shows what would be added, nothing changes until the
    # confirmation, and the import is undone from its page after a confirmation
    before = Referral.objects.count()
    checked.goto("/programmes/referrals/import/", title="Import referrals")
    page.get_by_label("Programme").select_option(label="ReRoute")
    page.get_by_label("Custody spreadsheet").set_input_files(str(upload))
    page.get_by_label("Import the valid rows even if some rows have errors").check()
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="What this file would add")).to_be_visible()
    checked.check()
    assert Referral.objects.count() == before
    page.get_by_role("button", name="Import 1 referral").click()
    expect(page.get_by_role("heading", name="1 referral imported")).to_be_visible()
    checked.check()
    assert Referral.objects.count() == before + 1
    # the manager who ran it may undo it
    page.get_by_role("link", name="Undo this import").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Undo the import")
    checked.check()
    page.get_by_role("button", name="Yes, undo the import").click()
    expect(page.get_by_text("Undone on")).to_be_visible()
    checked.check()
    assert Referral.objects.count() == before

    # named attendees: add one of the caseload by reference, then remove them
    reference = referrals[0].young_person.reference
    checked.goto(
        f"/programmes/sessions/{session.pk}/attendees/", title=f"Named attendees: {session}"
    )
    page.get_by_label("Reference of the young person").fill(reference)
    page.get_by_role("button", name="Add").click()
    checked.check()
    expect(page.get_by_role("table")).to_contain_text(reference)
    page.get_by_role("button", name=f"Remove {reference}").click()
    checked.check()
    expect(page.get_by_text("Nobody is named yet.")).to_be_visible()

    # a session recorded through the GOV.UK date boxes: an unreal date keeps what was typed
    checked.goto("/programmes/sessions/new/", title="Record a session")
    page.get_by_label("Programme").select_option(label="ReRoute")
    held_on = page.get_by_role("group", name="Date of the session")
    held_on.get_by_label("Day").fill("30")
    held_on.get_by_label("Month").fill("2")
    held_on.get_by_label("Year").fill("2026")
    page.get_by_label("Place").fill("Skate park")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("link", name="Date of the session must be a real date")).to_be_visible()
    expect(held_on.get_by_label("Day")).to_have_value("30")
    expect(held_on.get_by_label("Month")).to_have_value("2")
    checked.check()
    held_on.get_by_label("Day").fill("28")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session recorded.")).to_be_visible()
    checked.check()
