"""Listening-project pages in Chromium: axe (WCAG 2.2 AA) and no console or CSP errors,
including an import of responses (checked, confirmed, undone) and the public "you said, we
did" page at phone width."""

import pytest
from playwright.sync_api import expect

from evaluation.models import FeedbackResponse
from tests.evaluation.factories import FeedbackResponseFactory, ListeningExerciseFactory
from tests.factories import TEST_PASSWORD, PartnershipFactory, UserFactory
from vru.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_records_and_themes_feedback_and_publishes_the_page(checked, tmp_path):
    partnership = PartnershipFactory()
    UserFactory(username="ana.analyst", partnership=partnership, roles=[Role.ANALYST])
    exercise = ListeningExerciseFactory(partnership=partnership, name="Youth clubs 2023")
    for _ in range(6):
        FeedbackResponseFactory(exercise=exercise, themes=[exercise.themes.first()])
    page = checked.page

    checked.sign_in("ana.analyst", TEST_PASSWORD)
    checked.goto("/evaluation/listening/", title="Listening projects")
    checked.goto(f"/evaluation/listening/{exercise.pk}/", title="Youth clubs 2023")
    checked.goto(f"/evaluation/listening/{exercise.pk}/responses/")
    # a spreadsheet of responses: checked (nothing changes), confirmed, then undone
    responses = tmp_path / "responses.csv"
    responses.write_text(
        "date,age_band,question,words,themes\n"
        "2023-01-10,14_15,What would help?,Lights in the park,Trusted adults\n"
        "2023-01-11,16_17,What would help?,A bus that runs late,\n"
    )
    before = FeedbackResponse.objects.count()
    checked.goto(f"/evaluation/listening/{exercise.pk}/responses/import/")
    page.get_by_label("Spreadsheet of responses").set_input_files(str(responses))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="What this file would add")).to_be_visible()
    checked.check()
    assert FeedbackResponse.objects.count() == before
    page.get_by_role("button", name="Import 2 responses").click()
    expect(page.get_by_role("heading", name="2 responses imported")).to_be_visible()
    checked.check()
    assert FeedbackResponse.objects.count() == before + 2
    page.get_by_role("link", name="Undo this import").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Undo the import")
    checked.check()
    page.get_by_role("button", name="Yes, undo the import").click()
    expect(page.get_by_text("Undone on")).to_be_visible()
    checked.check()
    assert FeedbackResponse.objects.count() == before

    # record a response with a mistake: the error is shown and the words are kept
    checked.goto(f"/evaluation/listening/{exercise.pk}/responses/new/")
    conversation = page.get_by_role("group", name="Date of the conversation")
    conversation.get_by_label("Day").fill("1")
    conversation.get_by_label("Month").fill("6")
    conversation.get_by_label("Year").fill("24")  # a two-digit year: the error keeps it
    page.get_by_label("Question asked").fill("What would help?")
    page.get_by_label("What the young person said").fill("A bus that runs late")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_label("What the young person said")).to_have_value("A bus that runs late")
    expect(page.get_by_role("link", name="Year must include 4 numbers")).to_be_visible()
    expect(conversation.get_by_label("Month")).to_have_value("6")
    expect(conversation.get_by_label("Year")).to_have_value("24")
    checked.check()

    # theme a response, then publish the public page
    page.get_by_role("link", name="Back to Youth clubs 2023").click()
    checked.goto(f"/evaluation/listening/{exercise.pk}/responses/")
    page.get_by_role("link", name="Choose themes").first.click()
    checked.check()
    page.get_by_label("Trusted adults").check()
    page.get_by_role("button", name="Save themes").click()
    checked.check()
    checked.goto(f"/evaluation/listening/{exercise.pk}/")
    page.get_by_role("button", name="Publish the public page").click()
    checked.check()

    # the public page, signed out, at phone width
    checked.sign_out()
    page.set_viewport_size({"width": 320, "height": 720})
    checked.goto(f"/evaluation/you-said-we-did/{exercise.public_slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You said, we did")
    checked.assert_no_horizontal_scroll()
