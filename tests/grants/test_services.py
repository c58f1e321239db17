"""The grants journey through its services: drafts, deadlines, eligibility, panels,
conflicts, scores, decisions, letters, tranches, returns and reminders."""

import datetime
import io
from decimal import Decimal
from smtplib import SMTPException
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from grants import selectors, services
from grants.models import Application, Assignment, Decision, MonitoringReturn, Score
from grants.services.awards import tranche_release_problem
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    GrantRoundFactory,
    LSOAFactory,
    OrganisationFactory,
    PanelMemberFactory,
    RecommendationFactory,
    UserFactory,
    applicant_for,
)
from tests.grants.helpers import ready_to_decide
from vru.models import OutboxMessage, Role
from vru.services import outbox

pytestmark = pytest.mark.django_db


def submit_all(assignment, user, score=4):
    services.no_conflict_declare(actor=user, assignment=assignment)
    criteria = assignment.application.grant_round.criteria.all()
    return services.scores_save(
        actor=user,
        assignment=assignment,
        scores={c.pk: (score, f"Comment on {c.title}") for c in criteria},
        submit=True,
    )


# Drafts and submission ------------------------------------------------------------------


def test_a_draft_saves_without_required_fields_and_submits_once_complete(draft, applicant):
    services.application_update(actor=applicant, application=draft, data={"title": ""})
    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=applicant, application=draft)
    assert "title" in error.value.message_dict
    services.application_update(actor=applicant, application=draft, data={"title": "Park nights"})
    submitted = services.application_submit(actor=applicant, application=draft)
    assert submitted.status == Application.Status.SUBMITTED
    assert submitted.submitted_at is not None


def test_budget_lines_must_add_up_to_the_amount_asked_for(draft, applicant):
    services.application_update(
        actor=applicant,
        application=draft,
        data={"amount_requested": Decimal("3000")},
        budget_lines=[("Coaches", Decimal("2000")), ("Kit", Decimal("500"))],
    )
    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=applicant, application=draft)
    assert "add up to £2,500.00, not the £3,000.00" in error.value.message_dict["budget"][0]


def test_submission_closes_at_the_deadline(draft, applicant, grant_round):
    after = grant_round.closes_at + datetime.timedelta(seconds=1)
    with time_machine.travel(after), pytest.raises(ValidationError) as error:
        services.application_submit(actor=applicant, application=draft)
    assert error.value.code == "closed"
    with time_machine.travel(grant_round.closes_at - datetime.timedelta(seconds=1)):
        assert services.application_submit(actor=applicant, application=draft).status == "submitted"


def test_another_organisations_member_cannot_edit_a_draft(draft, partnership):
    stranger = applicant_for(OrganisationFactory(partnership=partnership))
    with pytest.raises(PermissionDenied):
        services.application_update(actor=stranger, application=draft, data={"title": "Mine"})


def test_attachments_are_checked_by_content_not_name(draft, applicant):
    fake = SimpleUploadedFile("budget.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.attachment_add(actor=applicant, application=draft, title="Budget", file=fake)
    real = SimpleUploadedFile(
        "scan.bin", b"%PDF-1.7\n%...", content_type="application/octet-stream"
    )
    assert services.attachment_add(actor=applicant, application=draft, title="Budget", file=real).pk


def test_attachments_over_ten_megabytes_are_refused(draft, applicant):
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="smaller than 10 MB"):
        services.attachment_add(actor=applicant, application=draft, title="Big", file=big)


# Eligibility -----------------------------------------------------------------------------


def test_failing_an_eligibility_rule_blocks_an_eligible_verdict(grant_round, officer):
    application = ApplicationFactory(grant_round=grant_round, status="submitted")
    application.eligibility_answers.update(answer=False)
    with pytest.raises(ValidationError) as error:
        services.application_check_eligibility(
            actor=officer, application=application, eligible=True
        )
    assert error.value.code == "fails_rules"


def test_ineligible_applications_never_reach_young_reviewers(grant_round, officer, panel):
    good = ApplicationFactory(grant_round=grant_round, status="submitted")
    bad = ApplicationFactory(grant_round=grant_round, status="submitted")
    services.application_check_eligibility(actor=officer, application=good, eligible=True)
    services.application_check_eligibility(
        actor=officer, application=bad, eligible=False, notes="Outside the area"
    )
    services.assignments_generate(actor=officer, grant_round=grant_round)
    assert Assignment.objects.filter(application=bad).count() == 0
    assert Assignment.objects.filter(application=good).count() == 2
    for member in panel:
        assert bad not in [a.application for a in selectors.assignments_for(viewer=member.user)]


# Panels ----------------------------------------------------------------------------------


def test_reviewers_without_training_or_consent_are_not_assigned_and_cannot_score(
    grant_round, officer, partnership
):
    untrained = PanelMemberFactory(partnership=partnership, training_completed_on=None)
    no_consent = PanelMemberFactory(partnership=partnership, guardian_consent_recorded_on=None)
    adult = PanelMemberFactory(
        partnership=partnership,
        guardian_consent_recorded_on=None,
        date_of_birth=datetime.date(2000, 1, 1),
    )
    ApplicationFactory(grant_round=grant_round, status="eligible")
    services.assignments_generate(actor=officer, grant_round=grant_round)
    assigned = set(Assignment.objects.values_list("reviewer_id", flat=True))
    assert assigned == {adult.pk}
    stray = AssignmentFactory(application=Application.objects.get(), reviewer=no_consent)
    with pytest.raises(PermissionDenied):
        services.no_conflict_declare(actor=no_consent.user, assignment=stray)
    assert not untrained.may_score_on(timezone.localdate())


def test_declaring_a_conflict_blocks_the_application_and_reassigns_it(grant_round, officer, panel):
    application = ApplicationFactory(grant_round=grant_round, status="eligible")
    services.assignments_generate(actor=officer, grant_round=grant_round)
    first = Assignment.objects.filter(application=application).order_by("reviewer_id").first()
    replacement = services.conflict_declare(
        actor=first.reviewer.user, assignment=first, reason="My aunt runs this group"
    )
    assert replacement is not None
    assert replacement.reviewer_id != first.reviewer_id
    live = Assignment.objects.filter(application=application).exclude(status="conflicted")
    assert live.count() == 2
    assert first.reviewer.user not in [a.reviewer.user for a in live]
    queue = selectors.assignments_for(viewer=first.reviewer.user)
    assert [a for a in queue if a.application_id == application.pk] == []


def test_a_conflicted_reviewer_cannot_score_it(grant_round, panel):
    assignment = AssignmentFactory(application__grant_round=grant_round, reviewer=panel[0])
    services.conflict_declare(actor=panel[0].user, assignment=assignment, reason="I know them")
    assignment.refresh_from_db()
    with pytest.raises(ValidationError):
        services.scores_save(actor=panel[0].user, assignment=assignment, scores={})


def test_scores_save_as_a_draft_and_submit_only_when_complete(grant_round, panel):
    assignment = AssignmentFactory(application__grant_round=grant_round, reviewer=panel[0])
    user = panel[0].user
    services.no_conflict_declare(actor=user, assignment=assignment)
    first, second = grant_round.criteria.all()
    services.scores_save(actor=user, assignment=assignment, scores={first.pk: (4, "Good")})
    assert Score.objects.get(assignment=assignment, criterion=first).score == 4
    with pytest.raises(ValidationError):
        services.scores_save(
            actor=user, assignment=assignment, scores={first.pk: (4, "")}, submit=True
        )
    services.scores_save(
        actor=user,
        assignment=assignment,
        scores={first.pk: (4, ""), second.pk: (2, "")},
        submit=True,
    )
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED


def test_scores_close_at_the_panel_deadline(grant_round, panel):
    assignment = AssignmentFactory(application__grant_round=grant_round, reviewer=panel[0])
    services.no_conflict_declare(actor=panel[0].user, assignment=assignment)
    with (
        time_machine.travel(grant_round.panel_deadline),
        pytest.raises(ValidationError, match="deadline has passed"),
    ):
        services.scores_save(actor=panel[0].user, assignment=assignment, scores={})


def test_panel_reminders_go_once_in_the_48_hours_before_the_deadline(
    grant_round, panel, django_capture_on_commit_callbacks
):
    AssignmentFactory(application__grant_round=grant_round, reviewer=panel[0])
    assert services.panel_reminders_send() == 0  # 30 days away
    with (
        time_machine.travel(grant_round.panel_deadline - datetime.timedelta(hours=47)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.panel_reminders_send() == 1
        assert services.panel_reminders_send() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [panel[0].user.email]


# Moderation through the selector ---------------------------------------------------------


def test_moderation_scores_flags_and_ranks_a_round(grant_round, officer, panel):
    a = ApplicationFactory(
        grant_round=grant_round, status="eligible", amount_requested=Decimal("3000")
    )
    b = ApplicationFactory(
        grant_round=grant_round, status="eligible", amount_requested=Decimal("3000")
    )
    for application, values in ((a, (5, 4)), (b, (1, 4))):
        for member, value in zip(panel, values, strict=False):
            submit_all(
                AssignmentFactory(application=application, reviewer=member), member.user, value
            )
    result = selectors.moderation_for(viewer=officer, grant_round=grant_round)
    rows = {row.application.pk: row for row in result.rows}
    assert rows[a.pk].mean == 4.5
    assert rows[a.pk].spread == 1.0
    assert not rows[a.pk].disagree
    assert rows[b.pk].mean == 2.5
    assert rows[b.pk].spread == 3.0
    assert rows[b.pk].disagree
    assert [r.application.pk for r in result.rows] == [a.pk, b.pk]
    # units (5, 4), (1, 4): D_o = (2 + 18) / 4 = 5; values 5,4,1,4: sum 14, squares 58,
    # ordered = 2 * (4*58 - 196) = 72, / 12 = 6; alpha = 1 - 5/6
    assert result.alpha == pytest.approx(1 / 6)


# Decisions, letters and awards -----------------------------------------------------------


def test_a_decision_records_the_panels_view_and_schedules_the_letter(
    grant_round, officer, panel, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(grant_round=grant_round, status="eligible")
    _first, second = ready_to_decide(application, scores=(2, 4))
    quoted = Score.objects.filter(assignment=second, criterion__title="Helps young people").get()
    with django_capture_on_commit_callbacks() as callbacks:
        decision = services.decision_record(
            actor=officer,
            application=application,
            outcome=Decision.Outcome.NOT_FUND,
            reasons="Other projects reached more young people.",
            quoted_comment_ids=[quoted.pk],
        )
    assert len(callbacks) == 1
    assert decision.panel_score == Decimal("3.00")
    assert decision.panel_reviewers == 2
    assert decision.quoted_comments == [
        {"criterion": "Helps young people", "comment": "Comment on Helps young people"}
    ]
    assert not decision.decided_early
    assert decision.amount is None
    application.refresh_from_db()
    assert application.status == Application.Status.DECIDED


def test_the_decision_letter_is_a_pdf_sent_once(grant_round, officer):
    application = ApplicationFactory(grant_round=grant_round, status="eligible")
    decision = services.decision_record(
        actor=officer,
        override_reason="Decided early to set up this test.",
        application=application,
        outcome=Decision.Outcome.FUND_WITH_CONDITIONS,
        amount=Decimal("2500"),
        conditions="Send a safeguarding policy.",
        reasons="Strong plan.",
    )
    assert services.decision_letter_send(decision_id=decision.pk) is True
    assert services.decision_letter_send(decision_id=decision.pk) is False
    decision.refresh_from_db()
    text = PdfReader(io.BytesIO(decision.letter.read())).pages[0].extract_text()
    assert "£2,500.00" in text
    assert "Send a safeguarding policy." in text
    decision.letter.delete(save=False)


def test_a_decision_letter_the_mail_server_refused_is_retried_by_the_outbox(
    grant_round, officer, django_capture_on_commit_callbacks
):
    # given a mail server that refuses the first letter
    application = ApplicationFactory(grant_round=grant_round, status="eligible")
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=SMTPException("421 busy")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        decision = services.decision_record(
            actor=officer,
            override_reason="Decided early to set up this test.",
            application=application,
            outcome=Decision.Outcome.NOT_FUND,
            reasons="Other projects reached more young people.",
        )

    # then the decision stands, the letter is neither stored nor marked sent, and it waits
    message = OutboxMessage.objects.get(kind="grants.decision_letter", target_id=decision.pk)
    assert message.status == OutboxMessage.Status.PENDING
    assert message.last_error == "SMTPException: 421 busy"
    decision.refresh_from_db()
    assert decision.letter_sent_at is None
    assert not decision.letter

    # when the relay retries it after its backoff, the letter goes, once
    outbox.relay(now=message.next_attempt_at)
    outbox.relay(now=message.next_attempt_at + datetime.timedelta(hours=1))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [application.contact_email]
    decision.refresh_from_db()
    assert decision.letter_sent_at is not None
    decision.letter.delete(save=False)


def test_fund_amount_must_sit_within_the_rounds_limits(grant_round, officer):
    application = ApplicationFactory(grant_round=grant_round, status="eligible")
    with pytest.raises(ValidationError):
        services.decision_record(
            actor=officer,
            override_reason="Decided early to set up this test.",
            application=application,
            outcome="fund",
            amount=Decimal("9000"),
            reasons="Too much",
        )


@pytest.fixture
def award(grant_round, officer):
    application = ApplicationFactory(grant_round=grant_round, status="eligible")
    decision = services.decision_record(
        actor=officer,
        override_reason="Decided early to set up this test.",
        application=application,
        outcome="fund",
        amount=Decimal("3000"),
        reasons="Good",
    )
    return services.award_create(
        actor=officer,
        decision=decision,
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
        tranche_count=3,
    )


def test_an_award_is_split_into_tranches_with_a_return_before_each_later_one(award):
    assert [t.amount for t in award.tranches.all()] == [Decimal("1000")] * 3
    assert list(award.monitoring_returns.values_list("number", flat=True)) == [1, 2, 3]


def test_a_tranche_is_released_only_after_the_return_before_it_is_approved(award, officer, draft):
    first, second, third = award.tranches.all()
    assert tranche_release_problem(second) == "Release tranche 1 first."
    services.tranche_release(actor=officer, tranche=first)
    with pytest.raises(ValidationError, match="Monitoring return 1 must be approved"):
        services.tranche_release(actor=officer, tranche=second)
    report = award.monitoring_returns.get(number=1)
    member = applicant_for(award.decision.application.organisation)
    services.monitoring_return_submit(
        actor=member,
        monitoring_return=report,
        young_people_by_age_band={"10-13": 12, "14-17": 30},
        young_people_by_lsoa={award.decision.application.lsoas.get().code: 42},
        sessions_delivered=20,
        spend_to_date=Decimal("900"),
        case_study="A young person...",
    )
    with pytest.raises(ValidationError, match="must be approved"):
        services.tranche_release(actor=officer, tranche=second)
    services.monitoring_return_approve(actor=officer, monitoring_return=report)
    services.tranche_release(actor=officer, tranche=second)
    with pytest.raises(ValidationError, match="Monitoring return 2"):
        services.tranche_release(actor=officer, tranche=third)
    with pytest.raises(ValidationError, match="already been released"):
        services.tranche_release(actor=officer, tranche=first)


def test_overdue_returns_are_reminded_once(award):
    report = award.monitoring_returns.get(number=1)
    with time_machine.travel(
        datetime.datetime.combine(report.due_on, datetime.time(12), datetime.UTC)
        + datetime.timedelta(days=1)
    ):
        assert services.overdue_return_reminders_send() == 1
        assert services.overdue_return_reminders_send() == 0
    report.refresh_from_db()
    assert report.reminder_sent_at is not None
    assert MonitoringReturn.objects.filter(reminder_sent_at__isnull=True).count() == 2


def test_staff_of_another_partnership_cannot_run_this_round(
    grant_round, user_with_role, other_partnership
):
    outsider = user_with_role("grants_officer", partnership=other_partnership)
    with pytest.raises(PermissionDenied):
        services.assignments_generate(actor=outsider, grant_round=grant_round)


def test_a_round_needs_criteria(partnership, officer):
    with pytest.raises(ValidationError):
        services.grant_round_create(
            actor=officer,
            partnership=partnership,
            criteria=[],
            fund="F",
            title="T",
            budget=Decimal("1"),
            minimum_award=Decimal("1"),
            maximum_award=Decimal("1"),
            opens_at=GrantRoundFactory.build().opens_at,
            closes_at=GrantRoundFactory.build().closes_at,
            panel_deadline=GrantRoundFactory.build().panel_deadline,
        )


# Review findings: integrity of removals, decisions and awards -------------------------


def test_removing_a_conflicted_assignment_is_refused_and_the_conflict_kept(grant_round, officer):
    # given: a reviewer declared a conflict
    application = ApplicationFactory(grant_round=grant_round, status="eligible")
    member = PanelMemberFactory(partnership=grant_round.partnership)
    assignment = AssignmentFactory(application=application, reviewer=member)
    services.conflict_declare(actor=member.user, assignment=assignment, reason="My aunt")

    # when / then
    with pytest.raises(ValidationError) as error:
        services.assignment_remove(actor=officer, assignment=assignment)
    assert error.value.code == "conflicted"
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.CONFLICTED
    # and balancing again never hands the application back to that reviewer
    services.assignments_generate(actor=officer, grant_round=grant_round)
    assert not Assignment.objects.filter(application=application, reviewer=member).exclude(
        status=Assignment.Status.CONFLICTED
    )


def test_removing_an_assignment_re_reads_its_state_before_deleting(grant_round, officer, panel):
    # given: a stale copy, loaded before the reviewer declared a conflict
    assignment = AssignmentFactory(application__grant_round=grant_round, reviewer=panel[0])
    stale = Assignment.objects.get(pk=assignment.pk)
    services.conflict_declare(actor=panel[0].user, assignment=assignment, reason="I know them")

    # when / then
    with pytest.raises(ValidationError):
        services.assignment_remove(actor=officer, assignment=stale)
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_an_awaiting_assignment_can_still_be_removed(grant_round, officer, panel):
    assignment = AssignmentFactory(application__grant_round=grant_round, reviewer=panel[0])
    services.assignment_remove(actor=officer, assignment=assignment)
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_a_funded_decision_records_its_award_and_schedules_the_letter_together(
    grant_round, officer, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(grant_round=grant_round, status="eligible")
    with django_capture_on_commit_callbacks() as callbacks:
        decision = services.application_decide(
            actor=officer,
            override_reason="Decided early to set up this test.",
            application=application,
            outcome="fund",
            amount=Decimal("3000"),
            reasons="Strong",
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2027, 12, 31),
            tranche_count=3,
        )
    assert decision.award.tranches.count() == 3
    assert decision.award.awarded_on == timezone.localdate(decision.decided_at)
    application.refresh_from_db()
    assert application.status == Application.Status.DECIDED
    assert len(callbacks) == 1  # the letter


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "tranches", "field"),
    [
        (datetime.date(2027, 12, 31), datetime.date(2027, 1, 1), 2, "ends_on"),
        (datetime.date(2027, 1, 1), datetime.date(2027, 1, 1), 2, "ends_on"),
        (datetime.date(2027, 1, 1), datetime.date(2027, 12, 31), 13, "tranche_count"),
        (None, datetime.date(2027, 12, 31), 2, "starts_on"),
    ],
)
def test_a_decision_whose_award_fails_leaves_nothing_behind(
    grant_round, officer, django_capture_on_commit_callbacks, starts_on, ends_on, tranches, field
):
    # given
    application = ApplicationFactory(grant_round=grant_round, status="eligible")

    # when
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ValidationError) as error,
    ):
        services.application_decide(
            actor=officer,
            override_reason="Decided early to set up this test.",
            application=application,
            outcome="fund",
            amount=Decimal("3000"),
            reasons="Strong",
            starts_on=starts_on,
            ends_on=ends_on,
            tranche_count=tranches,
        )

    # then: no decision, no award, no letter, still waiting for a decision
    assert field in error.value.message_dict
    assert not Decision.objects.filter(application=application).exists()
    application.refresh_from_db()
    assert application.status == Application.Status.ELIGIBLE
    assert callbacks == []


def test_a_not_funded_decision_needs_no_award_terms(grant_round, officer):
    application = ApplicationFactory(grant_round=grant_round, status="eligible")
    decision = services.application_decide(
        actor=officer,
        override_reason="Decided early to set up this test.",
        application=application,
        outcome="not_fund",
        reasons="Out of scope",
        tranche_count=None,
    )
    assert not decision.funded
    assert not hasattr(decision, "award") or decision.award is None


def test_a_second_award_for_one_decision_is_refused(award, officer):
    with pytest.raises(ValidationError) as error:
        services.award_create(
            actor=officer,
            decision=award.decision,
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2027, 12, 31),
        )
    assert error.value.code == "already_awarded"
    assert award.decision.application.decision.award == award


def test_an_award_is_made_only_by_staff_of_the_partnership(award, other_partnership):
    stranger = UserFactory(partnership=other_partnership, roles=[Role.GRANTS_OFFICER])
    with pytest.raises(PermissionDenied):
        services.award_create(
            actor=stranger,
            decision=award.decision,
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2027, 12, 31),
        )


def test_deciding_a_decided_application_is_a_validation_error_not_a_403(award, officer):
    application = award.decision.application
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            actor=officer, application=application, outcome="not_fund", reasons="Again"
        )
    assert error.value.code == "invalid_status"


def test_checking_eligibility_twice_is_a_validation_error_not_a_403(grant_round, officer):
    application = ApplicationFactory(grant_round=grant_round, status="eligible")
    with pytest.raises(ValidationError) as error:
        services.application_check_eligibility(
            actor=officer, application=application, eligible=True
        )
    assert error.value.code == "invalid_status"


def test_other_partnerships_staff_still_get_permission_denied(grant_round, other_partnership):
    application = ApplicationFactory(grant_round=grant_round, status="submitted")
    stranger = UserFactory(partnership=other_partnership, roles=[Role.GRANTS_OFFICER])
    with pytest.raises(PermissionDenied):
        services.application_check_eligibility(
            actor=stranger, application=application, eligible=True
        )


def test_moderation_for_another_partnership_raises_permission_denied(
    grant_round, other_partnership
):
    stranger = UserFactory(partnership=other_partnership, roles=[Role.GRANTS_OFFICER])
    with pytest.raises(PermissionDenied):
        selectors.moderation_for(viewer=stranger, grant_round=grant_round)


# Drafts: neighbourhoods and recommendations are checked by the service -----------------


def test_a_draft_refuses_neighbourhoods_outside_the_area(draft, applicant, other_partnership):
    theirs = LSOAFactory(partnership=other_partnership)
    with pytest.raises(ValidationError) as error:
        services.application_update(
            actor=applicant, application=draft, data={}, lsoa_codes=[theirs.code]
        )
    assert theirs.code in error.value.message_dict["lsoa_codes"][0]
    assert theirs not in draft.lsoas.all()


def test_a_draft_takes_neighbourhoods_of_the_area_by_code(draft, applicant, grant_round):
    mine = LSOAFactory(partnership=grant_round.partnership)
    services.application_update(
        actor=applicant, application=draft, data={}, lsoa_codes=[mine.code.lower()]
    )
    assert list(draft.lsoas.all()) == [mine]


def test_a_draft_refuses_recommendations_the_round_does_not_respond_to(
    draft, applicant, grant_round
):
    # given: one recommendation in the round, one of the same SNA outside it
    inside = RecommendationFactory(needs_assessment__partnership=grant_round.partnership)
    outside = RecommendationFactory(needs_assessment=inside.needs_assessment)
    grant_round.recommendations.add(inside)

    # when / then
    with pytest.raises(ValidationError) as error:
        services.application_update(
            actor=applicant,
            application=draft,
            data={},
            recommendation_ids=[inside.pk, outside.pk],
        )
    assert "recommendations" in error.value.message_dict
    assert not draft.recommendations.exists()
    services.application_update(
        actor=applicant, application=draft, data={}, recommendation_ids=[inside.pk]
    )
    assert list(draft.recommendations.all()) == [inside]


# Monitoring returns: neighbourhood counts ---------------------------------------------


@pytest.mark.parametrize(
    "by_lsoa",
    [
        {"E09999999": 4},  # not an LSOA of the partnership
        {"NOT-A-CODE": 4},
        {"<own>": -1},
        {"<own>": 2.5},
        {"<own>": "7"},
    ],
)
def test_a_return_refuses_unknown_neighbourhoods_and_bad_counts(award, by_lsoa):
    own = award.decision.application.lsoas.get().code
    report = award.monitoring_returns.get(number=1)
    member = applicant_for(award.decision.application.organisation)
    with pytest.raises(ValidationError) as error:
        services.monitoring_return_submit(
            actor=member,
            monitoring_return=report,
            young_people_by_age_band={"10-13": 1},
            young_people_by_lsoa={(own if k == "<own>" else k): v for k, v in by_lsoa.items()},
            sessions_delivered=1,
            spend_to_date=Decimal("10"),
            case_study="A young person...",
        )
    assert "lsoa_counts" in error.value.message_dict
    report.refresh_from_db()
    assert report.status == MonitoringReturn.Status.DUE


def test_a_return_from_another_partnerships_lsoa_is_refused(award, other_partnership):
    theirs = LSOAFactory(partnership=other_partnership)
    report = award.monitoring_returns.get(number=1)
    member = applicant_for(award.decision.application.organisation)
    with pytest.raises(ValidationError, match=theirs.code):
        services.monitoring_return_submit(
            actor=member,
            monitoring_return=report,
            young_people_by_age_band={},
            young_people_by_lsoa={theirs.code: 3},
            sessions_delivered=1,
            spend_to_date=Decimal("10"),
            case_study="A young person...",
        )


# Reminders: recorded in the transaction, mailed on commit ------------------------------


def test_panel_reminders_are_mailed_only_on_commit(
    grant_round, panel, django_capture_on_commit_callbacks
):
    assignment = AssignmentFactory(application__grant_round=grant_round, reviewer=panel[0])
    with (
        time_machine.travel(grant_round.panel_deadline - datetime.timedelta(hours=47)),
        django_capture_on_commit_callbacks() as callbacks,
    ):
        assert services.panel_reminders_send() == 1
        assignment.refresh_from_db()
        assert assignment.reminder_sent_at is not None
        assert mail.outbox == []  # not before commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert mail.outbox[0].to == [panel[0].user.email]


# Moderation: the weighted score on the production path ---------------------------------


def test_the_weighted_score_weighs_each_criterion(grant_round, officer, panel):
    # given: "Helps young people" (weight 2) scored 5, "Good value" (weight 1) scored 2
    application = ApplicationFactory(grant_round=grant_round, status="eligible")
    member = panel[0]
    assignment = AssignmentFactory(application=application, reviewer=member)
    services.no_conflict_declare(actor=member.user, assignment=assignment)
    helps, value = grant_round.criteria.order_by("position")
    assert (helps.weight, value.weight) == (2, 1)
    services.scores_save(
        actor=member.user,
        assignment=assignment,
        scores={helps.pk: (5, "Great"), value.pk: (2, "Dear")},
        submit=True,
    )

    # when
    result = selectors.moderation_for(viewer=officer, grant_round=grant_round)

    # then: (2 x 5 + 1 x 2) / 3 = 4.0, not the unweighted 3.5
    (row,) = [r for r in result.rows if r.application.pk == application.pk]
    assert row.reviewer_scores == [pytest.approx(4.0)]
    assert row.mean == pytest.approx(4.0)


# Row locks: only the row itself, never the rows it joins ------------------------------


@pytest.mark.skipif(
    not connection.features.has_select_for_update_of, reason="SQLite takes no row locks"
)
def test_services_lock_only_their_own_row(grant_round, officer, draft, applicant, panel):
    assignment = AssignmentFactory(application__grant_round=grant_round, reviewer=panel[0])
    with CaptureQueriesContext(connection) as queries:
        services.application_update(actor=applicant, application=draft, data={"title": "X"})
        services.no_conflict_declare(actor=panel[0].user, assignment=assignment)
        services.assignments_generate(actor=officer, grant_round=grant_round)
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locks) == 3
    assert all("FOR UPDATE OF" in sql for sql in locks)
