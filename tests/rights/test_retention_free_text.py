"""Free text about young people with no case of its own goes at its kind's period, counted
from its own event, and the figures around it stay:

- a detached contact's summary (a conversation with a young person whose name was not
  taken): case notes (CASE_NOTES), counted from the session; one that became a referral
  waits for that case, as the case's own notes do;
- the reviewers' comments a decision quoted: reviewers (REVIEWER), counted from the round's
  close, with the letter on file drawn again without them;
- a monitoring return's case study: its own kind (CASE_STUDIES), counted from the return
  falling due, or from its sending if later.

The clock is moved to the day before and the day of each period's end."""

import datetime
import io
import json
from decimal import Decimal

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from grants import services as grant_services
from grants.models import Assignment, Decision, MonitoringReturn, Score
from programmes import services as programme_services
from programmes.models import DetachedContact, Session
from rights import services
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    GrantRoundFactory,
    ProgrammeFactory,
    ReferralFactory,
    UserFactory,
    applicant_for,
)
from vru.data_kinds import RULES, DataKind, retention_months
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
HELD = datetime.date(2026, 1, 15)  # the detached session
NOON = datetime.time(12, tzinfo=datetime.UTC)
SUMMARY = "Said his brother carries a blade near the Co-op"
QUOTE = "I went to this club when I was 12 and it kept me off the estate"
STORY = "Jay, 15, from the Westway flats, stopped carrying a knife after our boxing nights"


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, NOON)


def case_notes_end(day=HELD) -> datetime.datetime:
    return at(day + relativedelta(months=retention_months(DataKind.CASE_NOTES)))


# Detached contacts' summaries -------------------------------------------------------------


def a_detached_session(programme, *, held_on=HELD):
    return programme_services.session_record(
        actor=None,
        programme=programme,
        kind=Session.Kind.DETACHED,
        held_on=held_on,
        place="Skate park, Priory Road",
        counts={("14-17", "male"): 6},
    )


def a_detached_contact(session, summary=SUMMARY):
    return programme_services.detached_contact_record(
        actor=None, session=session, age_band="14-17", gender="male", summary=summary
    )


def summary_of(contact) -> str:
    return DetachedContact.objects.get(pk=contact.pk).summary


def test_a_detached_contacts_summary_goes_at_the_case_notes_period_from_the_session(
    partnership,
):
    session = a_detached_session(ProgrammeFactory(partnership=partnership))
    contact = a_detached_contact(session)

    run = services.retention_apply(now=case_notes_end() - DAY)
    assert summary_of(contact) == SUMMARY
    assert run.removed["case_notes"] == 0

    run = services.retention_apply(now=case_notes_end())
    assert summary_of(contact) == ""
    assert run.removed["case_notes"] == 1
    assert services.retention_apply(now=case_notes_end() + DAY).removed["case_notes"] == 0


def test_the_counts_age_band_gender_and_place_stay_when_a_summary_goes(partnership):
    session = a_detached_session(ProgrammeFactory(partnership=partnership))
    contact = a_detached_contact(session)

    services.retention_apply(now=case_notes_end())

    contact = DetachedContact.objects.select_related("session").get(pk=contact.pk)
    assert (contact.age_band, contact.gender) == ("14-17", "male")
    assert (contact.session.place, contact.session.held_on) == ("Skate park, Priory Road", HELD)
    assert list(contact.session.counts.values_list("age_band", "gender", "count")) == [
        ("14-17", "male", 6)
    ]


def test_a_programme_keeping_its_records_for_less_clears_summaries_at_its_own_period(
    partnership,
):
    session = a_detached_session(ProgrammeFactory(partnership=partnership, retention_months=24))
    contact = a_detached_contact(session)

    services.retention_apply(now=at(HELD + relativedelta(months=24)) - DAY)
    assert summary_of(contact) == SUMMARY

    services.retention_apply(now=at(HELD + relativedelta(months=24)))
    assert summary_of(contact) == ""


CASE_CLOSED = at(HELD + relativedelta(months=4))


def a_closed_case_from(contact):
    """The contact became a referral, whose case closed four months after the session."""
    event = at(HELD + datetime.timedelta(days=7))
    referral = ReferralFactory(
        programme=contact.session.programme,
        event_at=event,
        referred_at=event + DAY,
        from_detached_contact=contact,
    )
    programme_services.referral_status_change(
        actor=None,
        referral=referral,
        to_status="closed",
        closure_reason="completed",
        at=CASE_CLOSED,
    )
    return referral


def test_a_contact_that_became_a_referral_keeps_its_summary_until_the_cases_period_ends(
    partnership,
):
    contact = a_detached_contact(a_detached_session(ProgrammeFactory(partnership=partnership)))
    a_closed_case_from(contact)
    case_end = CASE_CLOSED + relativedelta(months=retention_months(DataKind.CASE_NOTES))

    # the session's period has ended, the case's has not
    services.retention_apply(now=case_notes_end())
    assert summary_of(contact) == SUMMARY

    services.retention_apply(now=case_end - DAY)
    assert summary_of(contact) == SUMMARY

    services.retention_apply(now=case_end)
    assert summary_of(contact) == ""


def test_erasing_a_young_person_clears_the_summary_of_the_contact_their_case_came_from(
    partnership,
):
    contact = a_detached_contact(a_detached_session(ProgrammeFactory(partnership=partnership)))
    other = a_detached_contact(contact.session, summary="Another lad, no names")
    referral = a_closed_case_from(contact)

    programme_services.young_person_erase(actor=None, young_person=referral.young_person)

    assert summary_of(contact) == ""
    assert summary_of(other) == "Another lad, no names"


# Decisions' quoted comments ------------------------------------------------------------------

CLOSED = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)


def reviewer_end() -> datetime.datetime:
    return CLOSED + relativedelta(months=retention_months(DataKind.REVIEWER))


def letter_text(decision) -> str:
    decision = Decision.objects.get(pk=decision.pk)
    return " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(decision.letter.read())).pages
    )


@pytest.fixture
def quoting_decision(partnership):
    """A decision quoting a young reviewer's comment, its letter sent and kept on file."""
    grant_round = GrantRoundFactory(
        partnership=partnership,
        opens_at=CLOSED - datetime.timedelta(days=30),
        closes_at=CLOSED,
        panel_deadline=CLOSED + datetime.timedelta(days=20),
    )
    application = ApplicationFactory(grant_round=grant_round, status="eligible")
    for numbers in ((4, 5), (3, 4)):
        assignment = AssignmentFactory(
            application=application,
            status=Assignment.Status.SUBMITTED,
            submitted_at=CLOSED + datetime.timedelta(days=10),
        )
        for criterion, number in zip(grant_round.criteria.all(), numbers, strict=True):
            Score.objects.create(
                assignment=assignment, criterion=criterion, score=number, comment=QUOTE
            )
    decision = grant_services.decision_record(
        actor=UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER]),
        application=application,
        outcome=Decision.Outcome.FUND,
        amount=Decimal("2500"),
        reasons="A strong plan for the park.",
        override_reason="Decided early to set up this test.",
        quoted_comment_ids=[Score.objects.order_by("pk").first().pk],
    )
    grant_services.decision_letter_send(decision_id=decision.pk)
    yield Decision.objects.get(pk=decision.pk)
    Decision.objects.get(pk=decision.pk).letter.delete(save=False)


def test_quoted_comments_stay_until_the_reviewer_period_ends(quoting_decision):
    run = services.retention_apply(now=reviewer_end() - DAY)

    decision = Decision.objects.get(pk=quoting_decision.pk)
    assert [quote["comment"] for quote in decision.quoted_comments] == [QUOTE]
    assert QUOTE in letter_text(decision)
    assert run.removed["reviewer"] == 0


def test_quoted_comments_go_with_the_reviewers_and_the_decision_and_its_scores_stay(
    quoting_decision, django_capture_on_commit_callbacks
):
    sent_letter = quoting_decision.letter

    with django_capture_on_commit_callbacks(execute=True):
        run = services.retention_apply(now=reviewer_end())

    decision = Decision.objects.get(pk=quoting_decision.pk)
    assert decision.quoted_comments == []
    assert (decision.outcome, decision.amount, decision.reasons) == (
        "fund",
        Decimal("2500.00"),
        "A strong plan for the park.",
    )
    assert (decision.panel_score, decision.panel_reviewers) == (
        quoting_decision.panel_score,
        2,
    )
    assert decision.panel_score is not None
    text = letter_text(decision)
    assert QUOTE not in text
    assert "A strong plan for the park." in text
    assert "2 young reviewers scored it" in text
    assert not sent_letter.storage.exists(sent_letter.name)  # the one that quoted them
    # 4 comments, 2 assignments detached, and the decision
    assert run.removed["reviewer"] == 7
    assert services.retention_apply(now=reviewer_end() + DAY).removed["reviewer"] == 0


# Monitoring returns' case studies -----------------------------------------------------------


def case_studies_end(since: datetime.date) -> datetime.datetime:
    return at(since + relativedelta(months=retention_months(DataKind.CASE_STUDIES)))


def submit(monitoring_return, *, at_time, story=STORY):
    application = monitoring_return.award.decision.application
    with time_machine.travel(at_time, tick=False):
        return grant_services.monitoring_return_submit(
            actor=applicant_for(application.organisation),
            monitoring_return=monitoring_return,
            young_people_by_age_band={"10-13": 12, "14-17": 30},
            young_people_by_lsoa={application.lsoas.get().code: 42},
            sessions_delivered=20,
            new_starts=30,
            completions=25,
            outcomes_achieved=18,
            spend_to_date=Decimal("900"),
            case_study=story,
        )


@pytest.fixture
def returns(partnership):
    """A two-tranche award's returns: the first sent before it fell due, the second sent
    forty days late."""
    officer = UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])
    decision = grant_services.decision_record(
        actor=officer,
        application=ApplicationFactory(grant_round__partnership=partnership, status="eligible"),
        outcome=Decision.Outcome.FUND,
        amount=Decimal("3000"),
        reasons="Good",
        override_reason="Decided early to set up this test.",
    )
    award = grant_services.award_create(
        actor=officer,
        decision=decision,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        tranche_count=2,
    )
    first, second = award.monitoring_returns.order_by("number")
    submit(first, at_time=at(first.due_on - 3 * DAY))
    sent_late_on = second.due_on + 40 * DAY
    submit(second, at_time=at(sent_late_on))
    return {"on_time": first, "late": second, "sent_late_on": sent_late_on}


def story_of(monitoring_return) -> str:
    return MonitoringReturn.objects.get(pk=monitoring_return.pk).case_study


def test_a_case_study_goes_at_its_kinds_period_from_the_return_falling_due(returns):
    due = returns["on_time"].due_on

    run = services.retention_apply(now=case_studies_end(due) - DAY)
    assert story_of(returns["on_time"]) == STORY
    assert run.removed["case_studies"] == 0

    run = services.retention_apply(now=case_studies_end(due))
    assert story_of(returns["on_time"]) == ""
    assert run.removed["case_studies"] == 1
    assert services.retention_apply(now=case_studies_end(due) + DAY).removed["case_studies"] == 0


def test_a_case_study_sent_late_is_counted_from_its_sending(returns):
    sent = returns["sent_late_on"]

    services.retention_apply(now=case_studies_end(returns["late"].due_on))
    assert story_of(returns["late"]) == STORY

    services.retention_apply(now=case_studies_end(sent) - DAY)
    assert story_of(returns["late"]) == STORY

    services.retention_apply(now=case_studies_end(sent))
    assert story_of(returns["late"]) == ""


def test_the_returns_figures_stay_when_its_case_study_goes(returns):
    services.retention_apply(now=case_studies_end(returns["sent_late_on"]))

    kept = MonitoringReturn.objects.get(pk=returns["on_time"].pk)
    assert kept.case_study == ""
    assert kept.young_people_by_age_band == {"10-13": 12, "14-17": 30}
    assert kept.young_people_reached == 42
    assert list(kept.young_people_by_lsoa.values()) == [42]
    assert (kept.sessions_delivered, kept.new_starts, kept.completions) == (20, 30, 25)
    assert (kept.outcomes_achieved, kept.spend_to_date) == (18, Decimal("900.00"))
    assert kept.status == MonitoringReturn.Status.SUBMITTED


# Audited as counts; told in the privacy notices -------------------------------------------


def test_the_run_audits_counts_and_never_the_words_it_cleared(
    partnership, quoting_decision, returns
):
    long_ago = HELD - relativedelta(months=retention_months(DataKind.CASE_NOTES))
    programme = ProgrammeFactory(partnership=partnership)
    a_detached_contact(a_detached_session(programme, held_on=long_ago))

    run = services.retention_apply(now=case_studies_end(returns["sent_late_on"]))

    audited = AuditEvent.objects.get(verb="retention.kinds_applied").changes
    assert audited == run.removed
    assert (audited["case_notes"], audited["case_studies"]) == (1, 2)
    assert audited["reviewer"] > 0
    assert all(isinstance(count, int) for count in audited.values())
    for recorded in AuditEvent.objects.all():
        text = recorded.target_repr + json.dumps(recorded.changes)
        for words in (SUMMARY, QUOTE, STORY, "Westway", "Co-op"):
            assert words not in text


def test_the_privacy_notices_tell_the_case_studies_kind_and_its_period(client):
    rule = RULES[DataKind.CASE_STUDIES]
    assert rule.retention_months == 24

    page = client.get(reverse("rights:privacy_notice", args=["young-people"])).content.decode()
    assert escape(DataKind.CASE_STUDIES.label) in page
    assert escape(rule.young_people) in page
    assert f"We keep it for 2 years after {escape(rule.retention_from)}" in page

    page = client.get(reverse("rights:privacy_notice", args=["staff"])).content.decode()
    assert escape(rule.staff) in page
    assert f"Kept for 24 months after {escape(rule.retention_from)}" in page


def test_the_young_peoples_notice_tells_of_notes_from_talks_in_the_street(client):
    rule = RULES[DataKind.CASE_NOTES]

    page = client.get(reverse("rights:privacy_notice", args=["young-people"])).content.decode()

    assert "in the street without taking your name" in page
    assert f"We keep it for 6 years after {escape(rule.retention_from)}" in page
