"""The free-text panel feedback of decisions made before letters quoted the panel's
moderated view (Decision.feedback) is the youth panel's view in someone's words, and may
name people: it goes with the reviewers' kind (REVIEWER), at its period after the round
closed, as the comments later decisions quote do. The letter kept on file is drawn again
without it; the decision, its reasons and its amount stay. The daily retention task runs it.
"""

import datetime
import io
import json
from decimal import Decimal

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from pypdf import PdfReader

from grants import services as grant_services
from grants.models import Decision
from rights import tasks
from rights.models import KindRetentionRun
from tests.factories import ApplicationFactory, GrantRoundFactory, UserFactory
from vru.data_kinds import DataKind, retention_months
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
CLOSED = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
FEEDBACK = "The panel loved Sam Reid's coaching plan; Ms Okafor's budget needs more detail."


def period_end() -> datetime.datetime:
    return CLOSED + relativedelta(months=retention_months(DataKind.REVIEWER))


def a_decision_with_feedback(partnership, *, closes_at):
    """A decision recorded with the free-text feedback older decisions gave, its letter
    sent and kept on file."""
    grant_round = GrantRoundFactory(
        partnership=partnership,
        opens_at=closes_at - datetime.timedelta(days=30),
        closes_at=closes_at,
        panel_deadline=closes_at + datetime.timedelta(days=20),
    )
    decision = grant_services.decision_record(
        actor=UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER]),
        application=ApplicationFactory(grant_round=grant_round, status="eligible"),
        outcome=Decision.Outcome.FUND,
        amount=Decimal("2500"),
        reasons="A strong plan for the park.",
        override_reason="Decided early to set up this test.",
    )
    # no service writes feedback any more: decisions made before quoting still hold it
    Decision.objects.filter(pk=decision.pk).update(feedback=FEEDBACK)
    grant_services.decision_letter_send(decision_id=decision.pk)
    return Decision.objects.get(pk=decision.pk)


def letter_text(decision) -> str:
    decision = Decision.objects.get(pk=decision.pk)
    return " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(decision.letter.read())).pages
    )


def run_retention_on(day: datetime.datetime) -> KindRetentionRun:
    with time_machine.travel(day, tick=False):
        return KindRetentionRun.objects.get(pk=tasks.retention_apply.delay().get())


@pytest.fixture
def decisions(partnership):
    old = a_decision_with_feedback(partnership, closes_at=CLOSED)
    younger = a_decision_with_feedback(partnership, closes_at=CLOSED + 30 * DAY)
    yield {"old": old, "younger": younger}
    for decision in Decision.objects.all():
        decision.letter.delete(save=False)


def test_panel_feedback_is_cleared_when_the_reviewer_retention_period_ends(
    decisions, django_capture_on_commit_callbacks
):
    assert FEEDBACK in letter_text(decisions["old"])

    with django_capture_on_commit_callbacks(execute=True):
        run = run_retention_on(period_end())

    old = Decision.objects.get(pk=decisions["old"].pk)
    assert old.feedback == ""
    assert "Sam Reid" not in letter_text(old)
    assert "A strong plan for the park." in letter_text(old)
    assert (old.outcome, old.amount, old.reasons) == (
        "fund",
        Decimal("2500.00"),
        "A strong plan for the park.",
    )
    # the round closed a month later is still within its period
    younger = Decision.objects.get(pk=decisions["younger"].pk)
    assert younger.feedback == FEEDBACK
    assert FEEDBACK in letter_text(younger)
    assert run.removed["reviewer"] >= 1


def test_panel_feedback_stays_until_the_day_the_period_ends(decisions):
    run_retention_on(period_end() - DAY)

    assert Decision.objects.get(pk=decisions["old"].pk).feedback == FEEDBACK


def test_clearing_panel_feedback_is_audited_as_a_count_never_the_words(decisions):
    run = run_retention_on(period_end())

    audited = AuditEvent.objects.get(verb="retention.kinds_applied")
    assert audited.changes == run.removed
    for event in AuditEvent.objects.all():
        assert "Sam Reid" not in event.target_repr + json.dumps(event.changes)
