"""The daily retention applies each kind of data's own period (vru.data_kinds), counted
from its own event, and records what it removed as counts per kind. The clock is moved to
the day before and the day of each period's end."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.db.models import Count

from evaluation.models import FeedbackResponse
from grants.models import Score
from programmes import services as programme_services
from programmes.models import Session
from rights import services
from rights.models import KindRetentionRun
from tests.evaluation.factories import FeedbackResponseFactory, ListeningExerciseFactory
from tests.factories import AssignmentFactory, GrantRoundFactory, ProgrammeFactory, ReferralFactory
from vru.data_kinds import DataKind, retention_months

pytestmark = pytest.mark.django_db

EVENT = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)  # each kind's start


@pytest.fixture
def held(partnership):
    """One record of each kind the run applies, each counted from the same day."""
    programme = ProgrammeFactory(partnership=partnership)
    session = programme_services.session_record(
        actor=None, programme=programme, kind="group", held_on=EVENT.date(), place="Hall"
    )
    programme_services.session_attendee_add(
        actor=None, session=session, young_person=ReferralFactory(programme=programme).young_person
    )
    exercise = ListeningExerciseFactory(
        partnership=partnership,
        period_start=EVENT.date() - datetime.timedelta(days=60),
        period_end=EVENT.date(),
    )
    FeedbackResponseFactory(exercise=exercise)
    grant_round = GrantRoundFactory(
        partnership=partnership,
        opens_at=EVENT - datetime.timedelta(days=30),
        closes_at=EVENT,
        panel_deadline=EVENT + datetime.timedelta(days=20),
    )
    assignment = AssignmentFactory(application__grant_round=grant_round)
    for criterion in grant_round.criteria.all():
        Score.objects.create(
            assignment=assignment, criterion=criterion, score=4, comment="Lovely idea"
        )
    return session


def attendance() -> int:
    return Session.objects.aggregate(n=Count("attendees"))["n"]


def comments() -> int:
    return Score.objects.exclude(comment="").count()


def test_each_kind_goes_at_its_own_period_and_not_before(held):
    reviewer_end = EVENT + relativedelta(months=retention_months(DataKind.REVIEWER))
    session_end = EVENT + relativedelta(months=retention_months(DataKind.SESSION_ATTENDANCE))
    listening_end = EVENT + relativedelta(months=retention_months(DataKind.LISTENING))
    assert reviewer_end < session_end  # 24 months, then 36: the kinds differ
    assert comments() == 2

    services.retention_apply(now=reviewer_end - datetime.timedelta(days=1))
    assert (attendance(), FeedbackResponse.objects.count(), comments()) == (1, 1, 2)

    run = services.retention_apply(now=reviewer_end)
    assert (attendance(), FeedbackResponse.objects.count(), comments()) == (1, 1, 0)
    # the two comments, and the reviewer's assignment detached from them
    assert run.removed | {"session_attendance": 0, "listening": 0, "reviewer": 3} == run.removed

    services.retention_apply(now=session_end - datetime.timedelta(days=1))
    assert (attendance(), FeedbackResponse.objects.count()) == (1, 1)

    run = services.retention_apply(now=max(session_end, listening_end))
    assert (attendance(), FeedbackResponse.objects.count()) == (0, 0)
    assert run.removed | {"session_attendance": 1, "listening": 1, "reviewer": 0} == run.removed
    assert Session.objects.filter(pk=held.pk).exists()  # the session and its counts stay


def test_a_deployment_may_set_a_kinds_period(held, settings):
    settings.VRU_RETENTION_MONTHS = {"session_attendance": 12}

    services.retention_apply(now=EVENT + relativedelta(months=12))

    assert attendance() == 0
    assert FeedbackResponse.objects.count() == 1


def test_the_run_records_counts_and_nothing_personal(held):
    run = services.retention_apply(now=EVENT + relativedelta(months=40))

    assert KindRetentionRun.objects.get() == run
    # each kind, and the two working copies cleared at days of their own
    assert set(run.removed) == {kind.value for kind in DataKind} | {
        "subject_access_copy",
        "import_details",
    }
    assert all(isinstance(n, int) for n in run.removed.values())
