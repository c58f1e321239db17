"""Case data goes kind by kind at the register's period (vru.data_kinds), counted from the
case's closing (the identity: the last of the young person's cases closing); a programme may
keep its cases for less, never longer. The clock is moved to the day before and the day of
each period's end."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.db import DatabaseError
from django.db.models import QuerySet

from evaluation.models import OutcomeScore
from programmes import services as programme_services
from programmes.models import Contact, Outcome, RecordVersion, Referral, YoungPersonIdentity
from rights import services
from rights.models import KindRetentionRun
from tests.evaluation.factories import instrument
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory
from vru.models import AuditEvent
from vru.services import batches

pytestmark = pytest.mark.django_db

EVENT = datetime.datetime(2025, 11, 3, 9, tzinfo=datetime.UTC)
CLOSED = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
# Each kind its own period, so that each can be seen to go at its own
PERIODS = {"case_notes": 12, "outcome_scores": 24, "referral": 36, "identity": 48}


def a_closed_case(programme, *, closed=CLOSED, young_person=None):
    referral = ReferralFactory(programme=programme, event_at=EVENT, referred_at=EVENT + DAY)
    Referral.objects.filter(pk=referral.pk).update(
        risk_factors=["Exclusion from school"],
        young_person=young_person or referral.young_person,  # a second case of theirs
    )
    referral.refresh_from_db()
    programme_services.contact_record(
        actor=None,
        referral=referral,
        occurred_at=EVENT + 2 * DAY,
        method="phone",
        notes="Lives with nan at 3 High St",
    )
    programme_services.outcome_record(
        actor=None,
        referral=referral,
        kind=Outcome.Kind.values[0],
        achieved_on=(EVENT + 3 * DAY).date(),
        notes="Back at school",
    )
    OutcomeScore.objects.create(
        referral=referral,
        instrument=instrument("swemwbs"),
        time_point="baseline",
        scored_on=(EVENT + 2 * DAY).date(),
        total=21,
        items=[3, 3, 3, 3, 3, 3, 3],
        recorded_by=UserFactory(),
    )
    programme_services.referral_status_change(
        actor=None, referral=referral, to_status="closed", closure_reason="completed", at=closed
    )
    referral.refresh_from_db()
    return referral


def held(referral):
    """What of each kind is still held on this case."""
    referral.refresh_from_db()
    return {
        "case_notes": sum(bool(c.notes) for c in Contact.objects.filter(referral=referral))
        + sum(bool(o.notes) for o in Outcome.objects.filter(referral=referral)),
        "outcome_scores": OutcomeScore.objects.filter(referral=referral).exclude(items=[]).count(),
        "referral": int(referral.anonymised_at is None and bool(referral.risk_factors)),
        "identity": int(
            YoungPersonIdentity.objects.filter(young_person=referral.young_person).exists()
        ),
    }


def at_end(kind, *, closed=CLOSED):
    return closed + relativedelta(months=PERIODS[kind])


@pytest.fixture
def periods(settings):
    settings.VRU_RETENTION_MONTHS = PERIODS


def test_each_kind_of_case_data_goes_at_the_registers_period_and_not_a_day_before(
    partnership, periods
):
    # the programme's own period is longer: the register's shorter one applies
    case = a_closed_case(ProgrammeFactory(partnership=partnership, retention_months=120))
    everything = {"case_notes": 2, "outcome_scores": 1, "referral": 1, "identity": 1}
    assert held(case) == everything

    gone = []
    for kind in ["case_notes", "outcome_scores", "referral", "identity"]:
        run = services.retention_apply(now=at_end(kind) - DAY)
        assert held(case) == {k: 0 if k in gone else n for k, n in everything.items()}
        assert run.removed[kind] == 0

        run = services.retention_apply(now=at_end(kind))
        gone.append(kind)
        assert held(case) == {k: 0 if k in gone else n for k, n in everything.items()}
        assert run.removed[kind] == everything[kind]


def test_what_the_aggregates_count_stays_after_each_kind_goes(partnership, periods):
    case = a_closed_case(ProgrammeFactory(partnership=partnership))

    services.retention_apply(now=at_end("identity"))

    case.refresh_from_db()
    assert (case.source, case.reason, case.status, case.closed_at) == (
        "custody",
        "knife",
        "closed",
        CLOSED,
    )
    assert Contact.objects.filter(referral=case).count() == 1
    score = OutcomeScore.objects.get(referral=case)
    assert (score.total, score.time_point, score.recorded_by) == (21, "baseline", None)
    assert case.young_person.anonymised_at is not None


def test_a_programme_may_keep_its_cases_for_less_than_the_register(partnership, periods):
    case = a_closed_case(ProgrammeFactory(partnership=partnership, retention_months=6))
    six_months = CLOSED + relativedelta(months=6)

    services.retention_apply(now=six_months - DAY)
    assert held(case)["identity"] == 1

    run = services.retention_apply(now=six_months)
    assert held(case) == {"case_notes": 0, "outcome_scores": 0, "referral": 0, "identity": 0}
    assert {k: run.removed[k] for k in PERIODS} == {
        "case_notes": 2,
        "outcome_scores": 1,
        "referral": 1,
        "identity": 1,
    }


def test_an_identity_stays_while_any_of_the_young_persons_cases_is_kept(partnership, periods):
    programme = ProgrammeFactory(partnership=partnership)
    first = a_closed_case(programme)
    later = CLOSED + relativedelta(months=5)
    second = a_closed_case(programme, closed=later, young_person=first.young_person)

    services.retention_apply(now=at_end("identity"))
    assert held(first)["identity"] == 1  # the second case still within its period

    services.retention_apply(now=at_end("identity", closed=later) - DAY)
    assert held(second)["identity"] == 1
    run = services.retention_apply(now=at_end("identity", closed=later))
    assert held(second)["identity"] == 0
    assert run.removed["identity"] == 1


def test_an_open_case_keeps_everything(partnership, periods):
    programme = ProgrammeFactory(partnership=partnership)
    case = ReferralFactory(programme=programme, event_at=EVENT, referred_at=EVENT + DAY)

    run = services.retention_apply(now=CLOSED + relativedelta(years=20))

    assert held(case)["identity"] == 1
    assert {k: run.removed[k] for k in PERIODS} == dict.fromkeys(PERIODS, 0)


def test_the_run_records_counts_per_kind_never_which_records(partnership, periods):
    a_closed_case(ProgrammeFactory(partnership=partnership))

    run = services.retention_apply(now=at_end("identity"))

    assert set(PERIODS) <= set(run.removed)
    assert all(isinstance(n, int) for n in run.removed.values())


@pytest.mark.django_db(transaction=True)
def test_case_notes_stopped_part_way_keep_the_batches_done_and_the_next_run_finishes(
    partnership, periods, monkeypatch
):
    # given five closed cases' contacts, batches of two, and the third batch failing
    programme = ProgrammeFactory(partnership=partnership)
    cases = [a_closed_case(programme) for _ in range(5)]
    monkeypatch.setattr(batches, "BATCH", 2)
    update, calls = QuerySet.update, []

    def third_fails(queryset, **values):
        if queryset.model is Contact:
            calls.append(values)
            if len(calls) == 3:
                raise DatabaseError("the connection was lost")
        return update(queryset, **values)

    # when the run meets it
    with monkeypatch.context() as patch:
        patch.setattr(QuerySet, "update", third_fails)
        with pytest.raises(DatabaseError):
            services.retention_apply(now=at_end("case_notes"))

    # then two batches of contacts stay cleared, and the run says where it stopped
    assert sum(bool(contact.notes) for contact in Contact.objects.all()) == 1
    assert all(outcome.notes for outcome in Outcome.objects.all())
    assert KindRetentionRun.objects.get().failed == "case_notes"

    # and the next day's run clears the rest
    run = services.retention_apply(now=at_end("case_notes") + DAY)
    assert run.removed["case_notes"] == 1 + 5
    assert all(held(case)["case_notes"] == 0 for case in cases)


@pytest.mark.django_db(transaction=True)
def test_batches_committed_by_a_failing_kind_are_recorded_with_its_name(
    partnership, periods, monkeypatch
):
    # given five closed cases' contacts, batches of two, and the third batch failing
    programme = ProgrammeFactory(partnership=partnership)
    for _ in range(5):
        a_closed_case(programme)
    monkeypatch.setattr(batches, "BATCH", 2)
    update, calls = QuerySet.update, []

    def third_fails(queryset, **values):
        if queryset.model is Contact:
            calls.append(values)
            if len(calls) == 3:
                raise DatabaseError("the connection was lost")
        return update(queryset, **values)

    # when the run meets it
    with monkeypatch.context() as patch:
        patch.setattr(QuerySet, "update", third_fails)
        with pytest.raises(DatabaseError):
            services.retention_apply(now=at_end("case_notes"))

    # then the failed run counts the two batches it committed, beside the kind that failed
    failed = KindRetentionRun.objects.get()
    assert (failed.failed, failed.removed["case_notes"]) == ("case_notes", 4)
    audited = AuditEvent.objects.get(verb="retention.kinds_applied").changes
    assert (audited["failed"], audited["case_notes"]) == ("case_notes", 4)

    # and with the next run's, every contact and outcome cleared is counted once
    services.retention_apply(now=at_end("case_notes") + DAY)
    assert sum(r.removed.get("case_notes", 0) for r in KindRetentionRun.objects.all()) == 10


def test_case_notes_going_take_the_contacts_earlier_versions(partnership, periods):
    # given a contact corrected once: its earlier version holds the notes before and after
    case = a_closed_case(ProgrammeFactory(partnership=partnership, retention_months=120))
    contact = Contact.objects.get(referral=case)
    programme_services.contact_correct(
        actor=None, contact=contact, why="typo", notes="Lives with nan, 3 High St, Luton"
    )

    # when the case notes' period ends (the referral details' is later)
    run = services.retention_apply(now=at_end("case_notes"))

    # then the notes and the version go together, and the contact is counted once
    contact.refresh_from_db()
    assert contact.notes == ""
    assert not RecordVersion.objects.filter(kind=RecordVersion.Kind.CONTACT).exists()
    assert run.removed["case_notes"] == 2


def test_case_notes_going_take_the_outcomes_earlier_versions(partnership, periods):
    case = a_closed_case(ProgrammeFactory(partnership=partnership, retention_months=120))
    outcome = Outcome.objects.get(referral=case)
    programme_services.outcome_correct(
        actor=None, outcome=outcome, why="fuller", notes="Back at Priory school, sees Kai"
    )

    services.retention_apply(now=at_end("case_notes"))

    outcome.refresh_from_db()
    assert outcome.notes == ""
    assert not RecordVersion.objects.filter(kind=RecordVersion.Kind.OUTCOME).exists()


def test_only_the_cleared_records_lose_their_earlier_versions(partnership, periods):
    # given a corrected case past the case notes' period, with its referral corrected too,
    # and a corrected case closed later, still within it
    programme = ProgrammeFactory(partnership=partnership, retention_months=120)
    past = a_closed_case(programme)
    kept = a_closed_case(programme, closed=CLOSED + relativedelta(months=5))
    for case in [past, kept]:
        programme_services.contact_correct(
            actor=None, contact=Contact.objects.get(referral=case), why="typo", notes="Nan's"
        )
        programme_services.outcome_correct(
            actor=None, outcome=Outcome.objects.get(referral=case), why="typo", notes="School"
        )
    programme_services.referral_correct(actor=None, referral=past, why="typo", phone="07700 900123")

    services.retention_apply(now=at_end("case_notes"))

    # then the later case's versions stay, and the referral's wait for its own period
    left = RecordVersion.objects.values_list("kind", "referral_id")
    assert sorted(left) == sorted(
        [("contact", kept.pk), ("outcome", kept.pk), ("referral", past.pk)]
    )
