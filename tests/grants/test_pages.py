"""The grants pages end to end through Django's test client: forms keep what was typed,
services do the work, errors are shown in the GOV.UK error summary."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.contrib import messages
from django.urls import reverse

from grants import services
from grants.models import Application, Assignment, Decision, Score
from tests.factories import ApplicationFactory, AssignmentFactory, LSOAFactory, govuk_date
from tests.grants.helpers import close_round, ready_to_decide, submit_all

pytestmark = pytest.mark.django_db


def form_data(application, **overrides):
    lsoa = application.lsoas.first()
    data = {
        "title": "Park nights",
        "summary": "Football",
        "amount_requested": "3000",
        "young_people_expected": "50",
        "lsoa_codes": lsoa.code,
        "contact_name": "Pat",
        "contact_email": "pat@example.org",
        "contact_phone": "0",
        "budget-TOTAL_FORMS": "2",
        "budget-INITIAL_FORMS": "0",
        "budget-0-description": "Coaches",
        "budget-0-amount": "2000",
        "budget-1-description": "Kit",
        "budget-1-amount": "1000",
    }
    for question in application.grant_round.eligibility_questions.all():
        data[f"question_{question.pk}"] = "yes"
    data.update(overrides)
    return data


def test_the_applicant_starts_saves_and_submits_a_draft(client, applicant, grant_round):
    client.force_login(applicant)
    page = client.get(reverse("grants:application_list")).content.decode()
    assert "The deadline is" in page
    response = client.post(reverse("grants:application_start", args=[grant_round.pk]))
    application = Application.objects.get()
    assert response["Location"] == reverse("grants:application_edit", args=[application.pk])
    edit = client.get(response["Location"]).content.decode()
    assert grant_round.closes_at.strftime("%Y") in edit
    LSOAFactory(partnership=grant_round.partnership, code="E01021234")
    application.lsoas.add(LSOAFactory(partnership=grant_round.partnership))
    data = form_data(application, lsoa_codes="E01021234")
    assert client.post(response["Location"], {**data, "save": ""}).status_code == 302
    application.refresh_from_db()
    assert application.title == "Park nights"
    assert application.status == "draft"
    assert client.post(response["Location"], {**data, "submit": ""}).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    detail = client.get(application.get_absolute_url()).content.decode()
    assert "Submitted" in detail


def test_a_budget_that_does_not_add_up_is_shown_and_what_was_typed_kept(client, applicant, draft):
    client.force_login(applicant)
    url = reverse("grants:application_edit", args=[draft.pk])
    data = form_data(draft, **{"budget-1-amount": "500", "title": "Typed title", "submit": ""})
    response = client.post(url, data)
    assert response.status_code == 422  # not submitted: the page again, with the problems
    body = response.content.decode()
    assert "There is a problem" in body
    assert "add up to £2,500.00" in body
    assert 'value="Typed title"' in body


def test_after_the_deadline_the_page_says_so_and_refuses(client, applicant, draft, grant_round):
    url = reverse("grants:application_edit", args=[draft.pk])
    with time_machine.travel(grant_round.closes_at + datetime.timedelta(minutes=1)):
        client.force_login(applicant)  # sessions are short: sign in at the travelled time
        body = client.get(url).content.decode()
        assert "This round closed" in body
        response = client.post(url, {**form_data(draft), "submit": ""})
    assert response.status_code == 422
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_staff_check_eligibility_assign_and_decide_through_the_pages(
    client, officer, grant_round, panel
):
    application = ApplicationFactory(grant_round=grant_round, status="submitted")
    client.force_login(officer)
    response = client.post(
        reverse("grants:application_eligibility", args=[application.pk]), {"eligible": "yes"}
    )
    assert response.status_code == 302
    client.post(reverse("grants:round_assign", args=[grant_round.pk]))
    assignments = Assignment.objects.filter(application=application)
    assert assignments.count() == 2
    for assignment in assignments:
        submit_all(assignment, assignment.reviewer.user)
    close_round(grant_round)
    response = client.post(
        reverse("grants:application_decide", args=[application.pk]),
        {
            "outcome": "fund",
            "amount": "2500",
            "reasons": "Strong",
            **govuk_date("starts_on", "2027-01-01"),
            **govuk_date("ends_on", "2027-06-30"),
            "tranche_count": "2",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(application=application)
    assert decision.award.tranches.count() == 2


def test_a_decision_without_reasons_keeps_the_form(client, officer, grant_round):
    application = ApplicationFactory(grant_round=grant_round, status="eligible")
    client.force_login(officer)
    response = client.post(
        reverse("grants:application_decide", args=[application.pk]),
        {"outcome": "fund", "amount": "2500", "reasons": ""},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_a_reviewer_declares_no_conflict_then_saves_and_submits_scores(client, grant_round, panel):
    member = panel[0]
    assignment = AssignmentFactory(application__grant_round=grant_round, reviewer=member)
    client.force_login(member.user)
    url = assignment.get_absolute_url()
    assert "do you know anyone involved?" in client.get(url).content.decode()
    assert client.post(url, {"knows_someone": "no"}).status_code == 302
    first, second = grant_round.criteria.all()
    page = client.get(url).content.decode()
    assert first.guidance in page
    assert first.worked_example in page
    assert client.post(url, {f"score_{first.pk}": "4", "save": ""}).status_code == 302
    response = client.post(url, {f"score_{first.pk}": "4", "submit": ""})
    assert response.status_code == 200  # second criterion not scored
    to_check = client.post(
        url,
        {
            f"score_{first.pk}": "4",
            f"score_{second.pk}": "3",
            f"comment_{second.pk}": "OK",
            "submit": "",
        },
    )
    # "Send my scores" shows them to check first; only the confirmation sends them
    check_url = reverse("grants:review_check", args=[assignment.pk])
    assert to_check["Location"] == check_url
    assignment.refresh_from_db()
    assert assignment.status == "in_progress"
    client.post(check_url)
    assignment.refresh_from_db()
    assert assignment.status == "submitted"
    assert Score.objects.get(assignment=assignment, criterion=second).comment == "OK"


def test_a_reviewer_who_declares_a_conflict_loses_the_application(client, grant_round, panel):
    member = panel[0]
    assignment = AssignmentFactory(application__grant_round=grant_round, reviewer=member)
    client.force_login(member.user)
    url = assignment.get_absolute_url()
    response = client.post(url, {"knows_someone": "yes", "reason": ""})
    assert response.status_code == 200
    client.post(url, {"knows_someone": "yes", "reason": "My cousin runs it"})
    assert client.get(url).status_code == 404
    assert (
        Assignment.objects.filter(application=assignment.application)
        .exclude(status="conflicted")
        .exists()
    )


def test_releasing_a_tranche_asks_first_then_releases(client, officer, grant_round):
    from grants import services

    application = ApplicationFactory(grant_round=grant_round, status="eligible")
    decision = services.decision_record(
        actor=officer,
        override_reason="Decided early to set up this test.",
        application=application,
        outcome="fund",
        amount=Decimal("2000"),
        reasons="Good",
    )
    award = services.award_create(
        actor=officer,
        decision=decision,
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 6, 30),
    )
    first, second = award.tranches.all()
    client.force_login(officer)
    url = reverse("grants:tranche_release", args=[first.pk])
    assert "Yes, release the payment" in client.get(url).content.decode()
    client.post(url)
    first.refresh_from_db()
    assert first.released_at is not None
    blocked = client.get(reverse("grants:tranche_release", args=[second.pk])).content.decode()
    assert "Monitoring return 1 must be approved first." in blocked


def test_removing_a_reviewer_asks_for_confirmation(client, officer, grant_round, panel):
    assignment = AssignmentFactory(application__grant_round=grant_round, reviewer=panel[0])
    client.force_login(officer)
    url = reverse("grants:assignment_remove", args=[assignment.pk])
    assert "Yes, remove the reviewer" in client.get(url).content.decode()
    client.post(url)
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_attachments_download_only_for_those_who_see_the_application(
    client, applicant, draft, officer, user_with_role
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(applicant)
    client.post(
        reverse("grants:attachment_upload", args=[draft.pk]),
        {"title": "Budget", "file": SimpleUploadedFile("b.pdf", b"%PDF-1.7\n%%EOF")},
    )
    attachment = draft.attachments.get()
    url = reverse("grants:attachment_download", args=[draft.pk, attachment.pk])
    assert client.get(url).status_code == 200
    client.force_login(officer)
    assert client.get(url).status_code == 200
    client.force_login(user_with_role("youth_reviewer"))
    assert client.get(url).status_code == 404
    fake = SimpleUploadedFile("c.pdf", b"GIF89a not a pdf")
    client.force_login(applicant)
    client.post(reverse("grants:attachment_upload", args=[draft.pk]), {"title": "X", "file": fake})
    assert draft.attachments.count() == 1


def test_a_grants_officer_creates_a_round_with_its_rubric(client, officer, partnership):
    from grants.models import GrantRound

    lsoa = LSOAFactory(partnership=partnership, code="E01021234")
    client.force_login(officer)
    url = reverse("grants:round_create")
    assert client.get(url).status_code == 200
    data = {
        "fund": "Violence Reduction Fund",
        "title": "Spring grants",
        "budget": "20000",
        "minimum_award": "1000",
        "maximum_award": "5000",
        **govuk_date("opens_at", "2027-01-01 09:00"),
        **govuk_date("closes_at", "2027-02-01 12:00"),
        **govuk_date("panel_deadline", "2027-03-01 12:00"),
        "reviewers_per_application": "3",
        "identifier_prefix": "360G-essexvvp",
        "target_lsoa_codes": lsoa.code,
        "listening_themes": "Safe spaces\nTrusted adults",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-title": "Helps young people",
        "criteria-0-guidance": "Look for...",
        "criteria-0-worked_example": "For example...",
        "criteria-0-weight": "2",
        **{f"criteria-0-descriptor_{n}": f"Level {n}" for n in range(1, 6)},
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-0-text": "Are you for profit?",
        "questions-0-pass_answer": "no",
    }
    response = client.post(url, data)
    grant_round = GrantRound.objects.get()
    assert response["Location"] == grant_round.get_absolute_url()
    assert grant_round.listening_themes == ["Safe spaces", "Trusted adults"]
    assert list(grant_round.target_lsoas.all()) == [lsoa]
    assert grant_round.criteria.get().weight == 2
    assert grant_round.eligibility_questions.get().pass_answer is False
    # an incomplete criterion keeps everything typed and says what is missing
    data["criteria-0-guidance"] = ""
    data["title"] = "Typed again"
    response = client.post(url, data)
    assert response.status_code == 200
    assert 'value="Typed again"' in response.content.decode()
    assert "Enter guidance for young reviewers" in response.content.decode()


@pytest.mark.parametrize(
    "role",
    ["analyst", "practitioner", "youth_reviewer", "applicant", "commissioner", "programme_manager"],
)
def test_only_grants_staff_open_the_new_round_page(client, user_with_role, role):
    client.force_login(user_with_role(role))
    assert client.get(reverse("grants:round_create")).status_code == 404


def test_staff_add_a_young_reviewer_then_record_training_and_consent(
    client, officer, user_with_role
):
    from grants.models import PanelMember

    young = user_with_role("youth_reviewer")
    client.force_login(officer)
    url = reverse("grants:panel")
    response = client.post(url, {"user": young.pk, **govuk_date("date_of_birth", "2011-05-01")})
    assert response.status_code == 302
    member = PanelMember.objects.get(user=young)
    assert not member.may_score_on(datetime.date(2026, 11, 1))  # 15: no training, no consent
    edit = reverse("grants:panel_member", args=[member.pk])
    client.post(edit, {**govuk_date("training_completed_on", "2026-10-01"), "active": "on"})
    member.refresh_from_db()
    assert not member.may_score_on(datetime.date(2026, 11, 1))  # still no consent
    client.post(
        edit,
        {
            **govuk_date("training_completed_on", "2026-10-01"),
            **govuk_date("guardian_consent_recorded_on", "2026-09-20"),
            "active": "on",
        },
    )
    member.refresh_from_db()
    assert member.may_score_on(datetime.date(2026, 11, 1))


# Review findings: downloads, removals, decisions and how failures are shown -------------

FORMULA = "=HYPERLINK(1)"


def _cells(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _award_titled(grant_round, officer, title):
    application = ApplicationFactory(grant_round=grant_round, status="eligible", title=title)
    return services.application_decide(
        actor=officer,
        override_reason="Decided early to set up this test.",
        application=application,
        outcome="fund",
        amount=Decimal("3000"),
        reasons="Good",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )


@pytest.mark.parametrize(
    "url",
    [
        lambda r: reverse("grants:application_list") + "?format=csv",
        lambda r: reverse("grants:award_list") + "?format=csv",
        lambda r: reverse("grants:round_moderation", args=[r.pk]) + "?format=csv",
        lambda r: reverse("grants:award_360giving", args=["csv"]),
    ],
    ids=["applications", "awards", "moderation", "360giving"],
)
def test_grants_downloads_escape_formulas(client, officer, grant_round, url):
    # given: an applicant titled their project as a spreadsheet formula
    _award_titled(grant_round, officer, FORMULA)
    client.force_login(officer)

    # when
    response = client.get(url(grant_round))

    # then
    assert response.status_code == 200
    cells = [cell for row in _cells(response) for cell in row]
    assert "'" + FORMULA in cells
    assert FORMULA not in cells


@pytest.mark.parametrize(
    ("url", "verb"),
    [
        (
            lambda r: reverse("grants:round_moderation", args=[r.pk]) + "?format=csv",
            "round.moderation_exported",
        ),
        (lambda r: reverse("grants:award_360giving", args=["csv"]), "award.360giving_exported"),
    ],
    ids=["moderation", "360giving"],
)
def test_every_grants_download_is_audited(client, officer, grant_round, url, verb):
    from vru.models import AuditEvent

    _award_titled(grant_round, officer, "Youth club")
    client.force_login(officer)

    assert client.get(url(grant_round)).status_code == 200
    event = AuditEvent.objects.get(verb=verb)
    assert event.actor == officer
    assert event.action == AuditEvent.Action.EXPORT


def test_the_applications_xlsx_download_escapes_formulas(client, officer, grant_round):
    from openpyxl import load_workbook

    _award_titled(grant_round, officer, FORMULA)
    client.force_login(officer)
    response = client.get(reverse("grants:application_list") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'" + FORMULA in values
    assert FORMULA not in values


def test_a_conflicted_assignment_has_no_remove_link_and_cannot_be_removed(
    client, officer, grant_round, panel
):
    # given
    member = panel[0]
    assignment = AssignmentFactory(application__grant_round=grant_round, reviewer=member)
    services.conflict_declare(actor=member.user, assignment=assignment, reason="I know them")
    client.force_login(officer)
    remove_url = reverse("grants:assignment_remove", args=[assignment.pk])

    # when
    page = client.get(assignment.application.get_absolute_url()).content.decode()
    response = client.post(remove_url, follow=True)

    # then
    assert remove_url not in page
    assert Assignment.objects.filter(pk=assignment.pk, status="conflicted").exists()
    levels = [m.level for m in response.context["messages"]]
    assert levels == [messages.ERROR]
    assert "govuk-notification-banner--success" not in response.content.decode()


def test_an_awaiting_assignment_still_has_its_remove_link(client, officer, grant_round, panel):
    assignment = AssignmentFactory(application__grant_round=grant_round, reviewer=panel[0])
    client.force_login(officer)
    page = client.get(assignment.application.get_absolute_url()).content.decode()
    assert reverse("grants:assignment_remove", args=[assignment.pk]) in page


def test_a_decision_with_an_end_before_its_start_saves_nothing(client, officer, grant_round):
    application = ApplicationFactory(grant_round=grant_round, status="eligible")
    ready_to_decide(application)
    client.force_login(officer)
    response = client.post(
        reverse("grants:application_decide", args=[application.pk]),
        {
            "outcome": "fund",
            "amount": "2500",
            "reasons": "Strong",
            **govuk_date("starts_on", "2027-06-30"),
            **govuk_date("ends_on", "2027-01-01"),
            "tranche_count": "2",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "The end date must be after the start date" in body
    assert not Decision.objects.filter(application=application).exists()
    application.refresh_from_db()
    assert application.status == Application.Status.ELIGIBLE


def test_a_refused_tranche_release_is_shown_as_an_error(client, officer, grant_round):
    award = _award_titled(grant_round, officer, "Park nights").award
    second = award.tranches.get(number=2)
    client.force_login(officer)
    response = client.post(reverse("grants:tranche_release", args=[second.pk]), follow=True)
    assert [m.level for m in response.context["messages"]] == [messages.ERROR]
    second.refresh_from_db()
    assert second.released_at is None


def test_adding_a_reviewer_twice_is_shown_as_an_error(client, officer, grant_round, panel):
    assignment = AssignmentFactory(application__grant_round=grant_round, reviewer=panel[0])
    client.force_login(officer)
    response = client.post(
        reverse("grants:assignment_add", args=[assignment.application.pk]),
        {"reviewer": panel[0].pk},
        follow=True,
    )
    assert [m.level for m in response.context["messages"]] == [messages.ERROR]


def test_a_draft_with_a_neighbourhood_outside_the_area_answers_422_and_saves_nothing(
    client, applicant, draft, other_partnership
):
    # The autosave script reads the 422 and says the draft was not saved.
    theirs = LSOAFactory(partnership=other_partnership)
    client.force_login(applicant)
    url = reverse("grants:application_edit", args=[draft.pk])
    response = client.post(url, form_data(draft, lsoa_codes=theirs.code, save=""))
    assert response.status_code == 422
    assert f"Not in this area: {theirs.code}" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title != "Park nights"
    assert theirs not in draft.lsoas.all()


def test_an_invalid_draft_form_answers_422(client, applicant, draft):
    client.force_login(applicant)
    url = reverse("grants:application_edit", args=[draft.pk])
    response = client.post(url, form_data(draft, amount_requested="lots", save=""))
    assert response.status_code == 422


def test_the_autosave_script_reports_a_refused_draft():
    script = (settings.BASE_DIR / "grants/static/grants/autosave.js").read_text()
    assert "response.status === 422" in script
    assert "was not saved" in script
