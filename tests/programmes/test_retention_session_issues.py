"""The issues raised noted on a session (a detached session's note of what young people in
the street raised, in a worker's words, which may name someone) are case notes
(CASE_NOTES): they go at the case notes' period counted from the session's day, bounded by
the programme's own period as a detached contact's summary is, and the session's
corrections' earlier versions go with them. The session's day, place and headcounts stay.
The daily retention task runs it."""

import datetime
import json

import pytest
import time_machine
from dateutil.relativedelta import relativedelta

from programmes import services as programme_services
from programmes.models import RecordVersion, Session
from rights import tasks
from rights.models import KindRetentionRun
from tests.factories import ProgrammeFactory
from vru.data_kinds import DataKind, retention_months
from vru.models import AuditEvent

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
HELD = datetime.date(2026, 1, 15)
ISSUES = "Kai Brennan says older lads are running county lines from the Priory Road flats"
EARLIER = "Kai says older lads are dealing near the flats"


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12, tzinfo=datetime.UTC))


def period_end(programme) -> datetime.datetime:
    months = min(retention_months(DataKind.CASE_NOTES), programme.retention_months)
    return at(HELD + relativedelta(months=months))


def a_detached_session(programme, *, held_on=HELD):
    session = programme_services.session_record(
        actor=None,
        programme=programme,
        kind=Session.Kind.DETACHED,
        held_on=held_on,
        place="Skate park, Priory Road",
        counts={("14-17", "male"): 6},
        issues_raised=EARLIER,
    )
    # corrected once: the earlier words are kept as a version
    return programme_services.session_correct(
        actor=None, session=session, why="Fuller note", version=1, issues_raised=ISSUES
    )


def run_retention_on(day: datetime.datetime) -> KindRetentionRun:
    with time_machine.travel(day, tick=False):
        return KindRetentionRun.objects.get(pk=tasks.retention_apply.delay().get())


def versions_of(session):
    return RecordVersion.objects.filter(kind=RecordVersion.Kind.SESSION, object_id=session.pk)


@pytest.fixture
def sessions(partnership):
    programme = ProgrammeFactory(partnership=partnership)
    return {
        "programme": programme,
        "old": a_detached_session(programme),
        "younger": a_detached_session(programme, held_on=HELD + 30 * DAY),
    }


def test_issues_raised_are_cleared_when_the_case_notes_period_ends_from_the_session(sessions):
    run = run_retention_on(period_end(sessions["programme"]))

    old = Session.objects.get(pk=sessions["old"].pk)
    assert old.issues_raised == ""
    assert not versions_of(old).exists()
    assert (old.place, old.held_on) == ("Skate park, Priory Road", HELD)
    assert list(old.counts.values_list("age_band", "gender", "count")) == [("14-17", "male", 6)]
    # the session held a month later is still within its period
    younger = Session.objects.get(pk=sessions["younger"].pk)
    assert younger.issues_raised == ISSUES
    assert versions_of(younger).count() == 1
    assert run.removed["case_notes"] == 1


def test_issues_raised_stay_until_the_day_the_period_ends(sessions):
    run = run_retention_on(period_end(sessions["programme"]) - DAY)

    assert Session.objects.get(pk=sessions["old"].pk).issues_raised == ISSUES
    assert versions_of(sessions["old"]).count() == 1
    assert run.removed["case_notes"] == 0


def test_a_programme_keeping_its_records_for_less_clears_issues_raised_at_its_own_period(
    partnership,
):
    programme = ProgrammeFactory(partnership=partnership, retention_months=24)
    session = a_detached_session(programme)

    run_retention_on(at(HELD + relativedelta(months=24)) - DAY)
    assert Session.objects.get(pk=session.pk).issues_raised == ISSUES

    run_retention_on(at(HELD + relativedelta(months=24)))
    assert Session.objects.get(pk=session.pk).issues_raised == ""


def test_clearing_issues_raised_is_audited_as_a_count_never_the_words(sessions):
    run = run_retention_on(period_end(sessions["programme"]))

    assert AuditEvent.objects.get(verb="retention.kinds_applied").changes == run.removed
    for event in AuditEvent.objects.all():
        assert "Kai" not in event.target_repr + json.dumps(event.changes)
