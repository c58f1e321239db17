"""A decision waits for the youth panel.

What users found: a grants officer recorded "Fund £3,500" while the round was still open
and one of three reviewers had scored; the letter then quoted that one reviewer as "What
our youth panel said", and the other two were still asked to do their conflict check.

The rule (grants.models.decision_waits_for): an application may be decided once its round
has closed and every reviewer asked to score it (not conflicted, not released by the
grants team) has sent their scores, and at least one has. Deciding earlier needs an
override with a reason, which is audited, kept on the decision and shown on the decision
and moderation pages. Every door that records a decision goes through the one service.
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.admin import site as admin_site
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from pypdf import PdfReader

from grants import selectors, services
from grants.models import Application, Assignment, Decision, GrantRound, Score
from grants.services import letters
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    PanelMemberFactory,
    UserFactory,
    govuk_date,
)
from tests.grants.helpers import close_round, ready_to_decide, submit_all
from vru.models import AuditEvent, OutboxMessage, Role

pytestmark = pytest.mark.django_db

REASON = "The funder must commit the money before the end of the financial year."


def _panel_of_three(application):
    """Three reviewers asked: the first has sent their scores, the second has started,
    the third has not yet answered the conflict question."""
    members = PanelMemberFactory.create_batch(3, partnership=application.grant_round.partnership)
    scored, started, waiting = (
        AssignmentFactory(application=application, reviewer=m) for m in members
    )
    scored = submit_all(scored, members[0].user, 5)
    started = services.no_conflict_declare(actor=members[1].user, assignment=started)
    return scored, started, waiting


def _decide(officer, application, **kwargs):
    return services.decision_record(
        actor=officer,
        application=application,
        outcome=kwargs.pop("outcome", "fund"),
        amount=kwargs.pop("amount", Decimal("3500")),
        reasons=kwargs.pop("reasons", "It works in our priority neighbourhoods."),
        **kwargs,
    )


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _letter_text(decision) -> str:
    pdf = letters.decision_letter_pdf(decision)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())  # lines wrap anywhere


@pytest.fixture
def application(grant_round):
    return ApplicationFactory(grant_round=grant_round, status="eligible")


def _refused(error) -> str:
    assert error.value.error_dict["override_reason"][0].code == "panel_not_finished"
    return " ".join(error.value.message_dict["override_reason"])


# The rule, through the service ------------------------------------------------------------


def test_a_decision_while_the_round_is_open_and_one_of_three_has_scored_is_refused(
    officer, application
):
    # given the round users reported: still open, one of three reviewers has scored
    _panel_of_three(application)

    # when the officer records "Fund £3,500" without an override
    with pytest.raises(ValidationError) as error:
        _decide(officer, application)

    # then it is refused, saying what the decision waits for, and nothing is kept
    message = _refused(error)
    assert "The round is still open" in message
    assert "2 reviewers have not sent their scores yet" in message
    assert not Decision.objects.filter(application=application).exists()
    application.refresh_from_db()
    assert application.status == Application.Status.ELIGIBLE
    assert not OutboxMessage.objects.filter(kind="grants.decision_letter").exists()
    assert not AuditEvent.objects.filter(verb__startswith="application.decided").exists()


def test_after_the_round_closes_the_decision_still_waits_for_every_reviewer_asked(
    officer, application
):
    _panel_of_three(application)
    close_round(application.grant_round)

    with pytest.raises(ValidationError) as error:
        _decide(officer, application)

    message = _refused(error)
    assert "still open" not in message
    assert "2 reviewers have not sent their scores yet" in message


def test_an_application_nobody_has_scored_waits_even_after_the_round_closed(officer, application):
    close_round(application.grant_round)

    with pytest.raises(ValidationError) as error:
        _decide(officer, application)

    assert "No reviewer has scored it yet" in _refused(error)


def test_a_closed_round_whose_reviewers_all_scored_is_decided_without_an_override(
    officer, application
):
    ready_to_decide(application, scores=(4, 2))

    decision = _decide(officer, application)

    assert not decision.decided_early
    assert decision.override_reason == ""
    assert decision.panel_outstanding == ""
    assert decision.panel_score == Decimal("3.00")
    assert decision.panel_reviewers == 2


def test_conflicted_and_released_reviewers_are_not_waited_for(officer, application):
    # given: one reviewer scored, one declared a conflict (and nobody was free to replace
    # them), one was released by the grants team
    _scored, started, waiting = _panel_of_three(application)
    services.conflict_declare(actor=waiting.reviewer.user, assignment=waiting, reason="My aunt")
    assert application.assignments.count() == 3  # nobody else was free to take it over
    services.assignment_release(actor=officer, assignment=started, reason="Ill all month")
    close_round(application.grant_round)

    # when / then
    assert selectors.decision_waits(application=application) == []
    decision = _decide(officer, application)
    assert not decision.decided_early
    assert decision.panel_reviewers == 1


def test_an_override_without_a_reason_is_no_override(officer, application):
    _panel_of_three(application)

    with pytest.raises(ValidationError) as error:
        _decide(officer, application, override_reason="   ")

    _refused(error)
    assert not Decision.objects.filter(application=application).exists()


def test_with_an_override_and_its_reason_an_early_decision_is_accepted_audited_and_stored(
    officer, application
):
    # given the reported round: open, one of three reviewers scored
    _panel_of_three(application)

    # when the officer decides now and says why
    decision = _decide(officer, application, override_reason=f"  {REASON} ")

    # then the decision stands, with what it did not wait for and the reason
    assert decision.decided_early
    assert decision.override_reason == REASON
    assert "The round is still open" in decision.panel_outstanding
    assert "2 reviewers have not sent their scores yet" in decision.panel_outstanding
    application.refresh_from_db()
    assert application.status == Application.Status.DECIDED
    # and it is audited as an early decision, with its reason
    early = AuditEvent.objects.get(verb="application.decided_before_panel_finished")
    assert early.actor == officer
    assert early.changes["reason"] == REASON
    assert any("still open" in line for line in early.changes["waiting_for"])
    assert AuditEvent.objects.get(verb="application.decided").changes["decided_early"] is True


def test_an_override_is_not_kept_when_the_panel_had_finished(officer, application):
    ready_to_decide(application)

    decision = _decide(officer, application, override_reason=REASON)

    assert not decision.decided_early
    assert not AuditEvent.objects.filter(verb="application.decided_before_panel_finished")


def test_the_database_refuses_an_early_decision_without_its_reason(officer, application):
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            application=application,
            outcome="not_fund",
            reasons="No",
            decided_by=officer,
            decided_at=timezone.now(),
            panel_outstanding="The round is still open.",
        )


# Every door that records a decision -------------------------------------------------------


def _decision_form(**extra):
    return {
        "outcome": "fund",
        "amount": "3500",
        "reasons": "It works in our priority neighbourhoods.",
        **govuk_date("starts_on", "2027-01-01"),
        **govuk_date("ends_on", "2027-06-30"),
        "tranche_count": "2",
        **extra,
    }


def test_the_decision_page_says_what_the_decision_waits_for_and_asks_for_a_reason(
    client, officer, application
):
    _panel_of_three(application)
    client.force_login(officer)

    page = client.get(application.get_absolute_url()).content.decode()

    assert "The youth panel has not finished." in page
    assert "2 reviewers have not sent their scores yet." in page
    assert "Why must this be decided before the youth panel has finished?" in page


def test_the_decision_page_asks_for_no_reason_once_the_panel_has_finished(
    client, officer, application
):
    ready_to_decide(application)
    client.force_login(officer)

    page = client.get(application.get_absolute_url()).content.decode()

    assert "The youth panel has finished: 1 reviewer scored it" in page
    assert "Why must this be decided before" not in page


def test_the_decision_page_refuses_an_early_decision_without_a_reason(client, officer, application):
    _panel_of_three(application)
    client.force_login(officer)

    response = client.post(
        reverse("grants:application_decide", args=[application.pk]), _decision_form()
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Wait for it, or give the reason for deciding now." in body
    assert not Decision.objects.filter(application=application).exists()


def test_the_decision_page_records_an_early_decision_with_its_reason_and_shows_it(
    client, officer, application, grant_round
):
    _panel_of_three(application)
    client.force_login(officer)

    response = client.post(
        reverse("grants:application_decide", args=[application.pk]),
        _decision_form(override_reason=REASON),
    )

    assert response.status_code == 302
    decision = Decision.objects.get(application=application)
    assert decision.override_reason == REASON
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Decided before the youth panel had finished." in page
    assert REASON in page
    assert page.count("Not scored: decided before they finished") == 2
    moderation = client.get(reverse("grants:round_moderation", args=[grant_round.pk]))
    body = moderation.content.decode()
    assert "Decided early" in body
    assert REASON in body
    assert "The round is still open" in body
    download = client.get(reverse("grants:round_moderation", args=[grant_round.pk]) + "?format=csv")
    rows = list(csv.DictReader(io.StringIO(_body(download).decode("utf-8-sig"))))
    assert rows[0]["decision"] == "Fund"
    assert rows[0]["decided before the panel finished: reason"] == REASON


def test_the_moderation_page_shows_which_applications_wait_and_which_are_ready(
    client, officer, grant_round
):
    waiting = ApplicationFactory(grant_round=grant_round, status="eligible", title="Waiting")
    ready = ApplicationFactory(grant_round=grant_round, status="eligible", title="Ready")
    _panel_of_three(waiting)
    ready_to_decide(ready)  # closes the round for both
    client.force_login(officer)

    result = selectors.moderation_for(viewer=officer, grant_round=grant_round)
    rows = {row.application.title: row for row in result.rows}
    assert rows["Ready"].waits_for == []
    assert rows["Waiting"].waits_for == ["2 reviewers have not sent their scores yet."]
    body = client.get(reverse("grants:round_moderation", args=[grant_round.pk])).content
    assert "Ready to decide" in body.decode()
    assert "Waiting for the panel" in body.decode()


def test_the_api_records_no_decisions(client, officer, application):
    # The grants API is read-only: no route takes a decision or a change of status.
    _panel_of_three(application)
    client.force_login(officer)
    detail = reverse("grants-api:application-detail", args=[application.pk])

    responses = [
        client.post(
            reverse("grants-api:application-list"), {"status": "decided"}, "application/json"
        ),
        client.patch(detail, {"status": "decided"}, "application/json"),
        client.put(detail, {"status": "decided"}, "application/json"),
    ]

    assert [r.status_code for r in responses] == [405, 405, 405]
    application.refresh_from_db()
    assert application.status == Application.Status.ELIGIBLE
    assert not Decision.objects.exists()


def test_the_admin_records_no_decisions(client, user_with_role, application):
    # Decisions are not in the admin at all; applications are read-only there and have no
    # import, so no admin page, action or file can decide one.
    _panel_of_three(application)
    client.force_login(user_with_role(Role.ADMINISTRATOR))

    assert Decision not in admin_site._registry
    change = reverse("admin:grants_application_change", args=[application.pk])
    assert client.post(change, {"status": "decided"}).status_code == 403
    with pytest.raises(NoReverseMatch):
        reverse("admin:grants_application_import")
    application.refresh_from_db()
    assert application.status == Application.Status.ELIGIBLE


# Releasing a reviewer ---------------------------------------------------------------------


def test_releasing_a_reviewer_needs_a_reason_and_is_audited(officer, application):
    _scored, started, _waiting = _panel_of_three(application)

    with pytest.raises(ValidationError) as error:
        services.assignment_release(actor=officer, assignment=started, reason=" ")
    assert "reason" in error.value.message_dict

    released = services.assignment_release(
        actor=officer, assignment=started, reason="Ill and cannot score in time"
    )

    assert released.status == Assignment.Status.RELEASED
    assert released.release_reason == "Ill and cannot score in time"
    assert released.released_by == officer
    event = AuditEvent.objects.get(verb="assignment.released")
    assert event.changes == {"reason": "Ill and cannot score in time"}
    assert "1 reviewer has not sent their scores yet." in selectors.decision_waits(
        application=application
    )


def test_only_a_reviewer_still_to_score_can_be_released(officer, application):
    scored, _started, waiting = _panel_of_three(application)
    services.conflict_declare(actor=waiting.reviewer.user, assignment=waiting, reason="Friend")

    for assignment in (scored, waiting):
        with pytest.raises(ValidationError) as error:
            services.assignment_release(actor=officer, assignment=assignment, reason="No")
        assert error.value.code == "invalid_status"


def test_only_grants_staff_of_the_partnership_release_reviewers(
    application, other_partnership, user_with_role
):
    _scored, started, _waiting = _panel_of_three(application)
    for actor in (
        UserFactory(partnership=other_partnership, roles=[Role.GRANTS_OFFICER]),
        started.reviewer.user,
        user_with_role(Role.ANALYST),
    ):
        with pytest.raises(PermissionDenied):
            services.assignment_release(actor=actor, assignment=started, reason="Because")


def test_the_release_page_asks_for_the_reason_then_releases(client, officer, application):
    _scored, started, _waiting = _panel_of_three(application)
    client.force_login(officer)
    detail = client.get(application.get_absolute_url()).content.decode()
    url = reverse("grants:assignment_release", args=[started.pk])
    assert url in detail

    assert "Yes, release the reviewer" in client.get(url).content.decode()
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert "Give the reason for releasing this reviewer" in refused.content.decode()
    started.refresh_from_db()
    assert started.status == Assignment.Status.IN_PROGRESS

    response = client.post(url, {"reason": "Left the panel"})

    assert response.status_code == 302
    started.refresh_from_db()
    assert started.status == Assignment.Status.RELEASED
    assert "Left the panel" in client.get(application.get_absolute_url()).content.decode()


def test_a_released_reviewer_loses_the_task_and_its_reminder(client, officer, application):
    _scored, started, waiting = _panel_of_three(application)
    reviewer = started.reviewer.user
    services.assignment_release(actor=officer, assignment=started, reason="Left the panel")

    client.force_login(reviewer)
    assert application.title not in client.get(reverse("grants:review_list")).content.decode()
    assert client.get(started.get_absolute_url()).status_code == 404
    with pytest.raises(ValidationError):
        services.scores_save(actor=reviewer, assignment=started, scores={}, submit=False)
    # and, the panel deadline a day away, only the reviewer still asked is reminded
    close_round(application.grant_round)
    GrantRound.objects.filter(pk=application.grant_round_id).update(
        panel_deadline=timezone.now() + datetime.timedelta(hours=24)
    )
    assert services.panel_reminders_send() == 1
    reminded = Assignment.objects.filter(reminder_sent_at__isnull=False)
    assert list(reminded.values_list("pk", flat=True)) == [waiting.pk]


# Reviewers' tasks end with the decision ---------------------------------------------------


def test_a_decided_application_leaves_every_reviewers_task_list(
    client, officer, application, grant_round
):
    # given the reported round, decided early with a reason
    scored, started, waiting = _panel_of_three(application)
    _decide(officer, application, override_reason=REASON)

    for assignment in (scored, started, waiting):
        reviewer = assignment.reviewer.user
        client.force_login(reviewer)
        # then it is gone from their list, the API, and the review and conflict pages
        assert application.title not in client.get(reverse("grants:review_list")).content.decode()
        assert client.get(reverse("grants-api:assignment-list")).json()["results"] == []
        assert client.get(assignment.get_absolute_url()).status_code == 404
        assert client.post(assignment.get_absolute_url(), {"knows_someone": "no"}).status_code == (
            404
        )
    # and the services refuse the conflict check and scores
    with pytest.raises(PermissionDenied):
        services.no_conflict_declare(actor=waiting.reviewer.user, assignment=waiting)
    with pytest.raises(PermissionDenied):
        services.scores_save(actor=started.reviewer.user, assignment=started, scores={})
    waiting.refresh_from_db()
    assert waiting.status == Assignment.Status.AWAITING_DECLARATION


def test_reviewers_of_a_decided_application_get_no_reminder(officer, application):
    _panel_of_three(application)
    close_round(application.grant_round)
    _decide(officer, application, override_reason=REASON)
    # the panel deadline is a day away: reminders would be due
    GrantRound.objects.filter(pk=application.grant_round_id).update(
        panel_deadline=timezone.now() + datetime.timedelta(hours=24)
    )
    mail.outbox.clear()

    assert services.panel_reminders_send() == 0
    assert mail.outbox == []


# The letter quotes the panel's moderated view ---------------------------------------------


def test_the_letter_quotes_the_panels_weighted_score_and_only_the_comments_chosen(
    officer, application
):
    # given three reviewers scored 5, 4 and 3 (weighted scores 5, 4, 3: the panel's 4.00)
    ready_to_decide(application, scores=(5, 4, 3))
    comments = selectors.panel_view(application=application).comments
    assert len(comments) == 6
    Score.objects.filter(pk=comments[0].pk).update(comment="They asked young people first.")
    Score.objects.filter(pk=comments[1].pk).update(comment="A secret nobody should read.")

    # when the officer quotes one comment
    decision = _decide(officer, application, quoted_comment_ids=[comments[0].pk])

    # then the letter gives the panel's score as moderation computes it, and that comment
    text = _letter_text(decision)
    moderation = selectors.moderation_for(viewer=officer, grant_round=application.grant_round)
    assert moderation.rows[0].mean == pytest.approx(4.0)
    assert "3 young reviewers scored it. The panel's score is 4.00 out of 5" in text
    assert "What our youth panel said" in text
    assert "They asked young people first." in text
    assert "A secret nobody should read." not in text
    assert "Comment on Good value" not in text


def test_the_letter_never_presents_one_reviewer_as_the_panel(officer, application):
    # given the reported round: one of three reviewers scored, decided early
    scored, _started, _waiting = _panel_of_three(application)
    chosen = Score.objects.filter(assignment=scored).values_list("pk", flat=True)
    decision = _decide(
        officer, application, override_reason=REASON, quoted_comment_ids=list(chosen)
    )

    text = _letter_text(decision)

    assert "youth panel said" not in text
    assert "How our youth panel scored" not in text
    assert "One young reviewer from our youth panel scored it 5.00 out of 5." in text
    assert "What the young reviewer said" in text


def test_with_no_comments_chosen_the_letter_has_no_what_they_said_section(officer, application):
    ready_to_decide(application, scores=(4, 4))

    text = _letter_text(_decide(officer, application))

    assert "said" not in text
    assert "Comment on" not in text
    assert "The panel's score is 4.00 out of 5" in text


def test_a_decision_with_no_scores_says_nothing_about_the_panel(officer, application):
    text = _letter_text(_decide(officer, application, override_reason=REASON))

    assert "panel" not in text.lower()
    assert "reviewer" not in text.lower()


def test_quoting_a_comment_from_another_application_is_refused(officer, application, grant_round):
    ready_to_decide(application)
    other = ApplicationFactory(grant_round=grant_round, status="eligible")
    (theirs,) = ready_to_decide(other)
    someone_elses = Score.objects.filter(assignment=theirs).first()

    with pytest.raises(ValidationError) as error:
        _decide(officer, application, quoted_comment_ids=[someone_elses.pk])

    assert "quoted_comments" in error.value.message_dict
    assert not Decision.objects.filter(application=application).exists()


def test_the_decision_page_offers_the_comments_and_the_letter_quotes_the_ticked_one(
    client, officer, application
):
    ready_to_decide(application, scores=(4, 3))
    comments = selectors.panel_view(application=application).comments
    client.force_login(officer)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Reviewers&#x27; comments to quote in the letter" in page
    assert "Comment on Helps young people" in page

    response = client.post(
        reverse("grants:application_decide", args=[application.pk]),
        _decision_form(quoted_comments=[str(comments[0].pk)]),
    )

    assert response.status_code == 302
    decision = Decision.objects.get(application=application)
    assert decision.quoted_comments == [
        {"criterion": comments[0].criterion, "comment": comments[0].comment}
    ]
    assert decision.panel_reviewers == 2


def test_after_the_round_closes_a_reviewer_is_released_with_a_reason_not_removed(
    client, officer, application
):
    # Removing an unscored reviewer would let the decision skip them with nothing said.
    _scored, started, waiting = _panel_of_three(application)
    close_round(application.grant_round)

    for assignment in (started, waiting):
        with pytest.raises(ValidationError) as error:
            services.assignment_remove(actor=officer, assignment=assignment)
        assert error.value.code == "round_closed"
    assert application.assignments.count() == 3
    client.force_login(officer)
    page = client.get(application.get_absolute_url()).content.decode()
    assert reverse("grants:assignment_remove", args=[waiting.pk]) not in page
    assert reverse("grants:assignment_release", args=[waiting.pk]) in page
