"""Services: referral creation, duplicates, the status flow, the clock, breaches, retention."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from programmes import selectors, services
from programmes.models import (
    ALLOWED_TRANSITIONS,
    BreachNotification,
    NewReferralNotice,
    NoticeDigest,
    Referral,
    StatusChange,
    YoungPersonIdentity,
)
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory, programme_staff
from vru.models import AuditEvent, OutboxMessage, Role
from vru.services import outbox

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def at(day, hour=0, minute=0):
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def programme(partnership):
    return ProgrammeFactory(partnership=partnership, name="ReRoute")


def test_creating_a_referral_keeps_identity_apart_and_audits(
    programme, django_capture_on_commit_callbacks
):
    practitioner = programme_staff(programme, "practitioner")

    with django_capture_on_commit_callbacks() as callbacks:
        referral = services.referral_create(
            actor=practitioner,
            programme=programme,
            first_name="Jo",
            last_name="Bloggs",
            date_of_birth=datetime.date(2010, 1, 1),
            source="custody",
            reason="knife",
            event_at=at(1, 10),
            referred_at=at(1, 12),
        )

    assert referral.young_person.reference.startswith("YP-")
    assert referral.young_person.identity.last_name == "Bloggs"
    assert referral.assigned_to == practitioner  # a practitioner's own referral is theirs
    assert referral.due_at == at(2, 10)
    assert referral.age_at_referral == 16
    assert referral.status == Referral.Status.RECEIVED
    assert AuditEvent.objects.filter(verb="referral.created", target_id=str(referral.pk)).exists()
    # nothing is handed to the broker: the referral's notice waits for the next sweep's
    # digests (no per-referral clock task either: the sweep finds breaches)
    assert callbacks == []
    assert NewReferralNotice.objects.get().referral == referral
    assert not OutboxMessage.objects.exists()
    assert "Bloggs" not in str(AuditEvent.objects.filter(verb="referral.created").values())


def test_a_new_referral_is_notified_once_to_managers_and_assignee_without_a_name(
    programme, django_capture_on_commit_callbacks
):
    # given two managers and a practitioner; the first manager records a referral for the
    # practitioner
    manager = programme_staff(programme, "manager", email="m1@example.org")
    programme_staff(programme, "manager", email="m2@example.org")
    practitioner = programme_staff(programme, "practitioner", email="p@example.org")
    programme_staff(programme, "practitioner", email="not-assigned@example.org")
    referral = services.referral_create(
        actor=manager,
        programme=programme,
        first_name="Jo",
        last_name="Bloggs",
        date_of_birth=datetime.date(2010, 1, 1),
        source="custody",
        reason="knife",
        event_at=at(1, 10),
        referred_at=at(1, 12),
        assigned_to=practitioner,
    )

    # when the sweep runs (twice)
    with django_capture_on_commit_callbacks(execute=True):
        services.notices_sweep(now=at(1, 13))
    with django_capture_on_commit_callbacks(execute=True):
        services.notices_sweep(now=at(1, 14))

    # then the other manager and the assignee are told, once each, by reference only
    assert sorted(sent.to for sent in mail.outbox) == [["m2@example.org"], ["p@example.org"]]
    for sent in mail.outbox:
        assert referral.young_person.reference in sent.subject
        assert f"/programmes/referrals/{referral.pk}/" in sent.body
        text = (sent.subject + sent.body).lower()
        assert "bloggs" not in text
        assert "knife" not in text
    messages = OutboxMessage.objects.filter(kind="programmes.notice_digest")
    assert {m.status for m in messages} == {OutboxMessage.Status.DONE}
    assert {m.partnership for m in messages} == {programme.partnership}
    assert all(outbox.deliver(message_id=m.pk) is False for m in messages)
    assert outbox.relay() == 0
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(verb="referral.new_referrals_digest_sent").count() == 2
    assert not NewReferralNotice.objects.exists()


def test_same_name_and_birth_date_is_flagged_never_merged(programme):
    first = ReferralFactory(programme=programme, first_name="Sam", last_name="Smith")
    second = ReferralFactory(programme=programme, first_name=" sam ", last_name="SMITH")

    assert second.young_person != first.young_person
    assert list(second.young_person.possible_duplicates.all()) == [first.young_person]
    assert list(first.young_person.possible_duplicates.all()) == [second.young_person]


def test_duplicates_are_not_looked_for_in_another_partnership(programme, other_partnership):
    ReferralFactory(programme=programme, first_name="Sam", last_name="Smith")
    other = ProgrammeFactory(partnership=other_partnership)
    theirs = ReferralFactory(programme=other, first_name="Sam", last_name="Smith")

    assert not theirs.young_person.possible_duplicates.exists()


def test_a_user_who_is_not_programme_staff_cannot_create_a_referral(programme, user_with_role):
    outsider = user_with_role(Role.PRACTITIONER)

    with pytest.raises(PermissionDenied):
        services.referral_create(
            actor=outsider,
            programme=programme,
            first_name="A",
            last_name="B",
            date_of_birth=datetime.date(2010, 1, 1),
            source="custody",
            reason="knife",
            event_at=at(1),
            referred_at=at(1, 1),
        )


def test_a_referral_outside_the_age_range_is_refused(programme):
    with pytest.raises(ValidationError) as error:
        ReferralFactory(programme=programme, date_of_birth=datetime.date(1990, 1, 1))

    assert "date_of_birth" in error.value.message_dict


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [(f, t) for f in Referral.Status for t in Referral.Status if f != t],
    ids=str,
)
def test_status_changes_follow_allowed_transitions(programme, from_status, to_status):
    referral = ReferralFactory(programme=programme)
    Referral.objects.filter(pk=referral.pk).update(
        status=from_status,
        closure_reason="completed" if from_status == "closed" else "",
        closed_at=at(2) if from_status == "closed" else None,
        awaiting_contact=from_status != "closed",
    )
    referral.refresh_from_db()
    reason = "completed" if to_status == "closed" else ""

    if to_status in ALLOWED_TRANSITIONS[from_status]:
        services.referral_status_change(
            actor=None, referral=referral, to_status=to_status, closure_reason=reason
        )
        referral.refresh_from_db()
        assert referral.status == to_status
        assert StatusChange.objects.filter(referral=referral, to_status=to_status).exists()
        assert AuditEvent.objects.filter(
            verb="referral.status_changed", target_id=str(referral.pk)
        ).exists()
    else:
        with pytest.raises(ValidationError):
            services.referral_status_change(
                actor=None, referral=referral, to_status=to_status, closure_reason=reason
            )


def test_closing_needs_a_reason(programme):
    referral = ReferralFactory(programme=programme)

    with pytest.raises(ValidationError):
        services.referral_status_change(actor=None, referral=referral, to_status="closed")


def test_first_contact_stops_the_clock_and_marks_contacted(programme):
    referral = ReferralFactory(programme=programme, event_at=at(1, 10), referred_at=at(1, 11))

    services.contact_record(actor=None, referral=referral, occurred_at=at(2, 9), method="phone")
    services.contact_record(actor=None, referral=referral, occurred_at=at(3, 9), method="in_person")

    referral.refresh_from_db()
    assert referral.first_contact_at == at(2, 9)
    assert referral.status == Referral.Status.CONTACTED


def _timeline(programme, event, contact=None):
    referral = ReferralFactory(
        programme=programme, event_at=event, referred_at=event + datetime.timedelta(hours=1)
    )
    if contact is not None:
        services.contact_record(actor=None, referral=referral, occurred_at=contact, method="phone")
    return referral


def test_compliance_per_month_on_hand_made_timelines(programme):
    # March: met (23h), met (exactly 24h), breached (25h), breached (no contact, long overdue)
    _timeline(programme, at(1, 10), at(2, 9))
    _timeline(programme, at(5, 10), at(6, 10))
    _timeline(programme, at(8, 10), at(9, 11))
    _timeline(programme, at(10, 10))
    # April: one met
    _timeline(
        programme,
        datetime.datetime(2026, 4, 2, 8, tzinfo=UTC),
        datetime.datetime(2026, 4, 2, 9, tzinfo=UTC),
    )
    now = datetime.datetime(2026, 5, 1, tzinfo=UTC)

    rows = selectors.compliance_by_month(programme_ids=[programme.pk], now=now)

    assert [(r["month"].month, r["decided"], r["met"], r["percent"]) for r in rows] == [
        (3, 4, 2, 50),
        (4, 1, 1, 100),
    ]


def test_a_referral_still_inside_its_clock_is_not_counted(programme):
    referral = _timeline(programme, at(1, 10))

    rows = selectors.compliance_by_month(programme_ids=[programme.pk], now=at(1, 20))

    assert rows == []
    assert (
        selectors.referral_list(
            viewer=UserFactory(partnership=programme.partnership, roles=[Role.ADMINISTRATOR]),
            now=at(1, 20),
        )
        .get(pk=referral.pk)
        .breached
        is False
    )


def _breach_mails():
    return [m for m in mail.outbox if "contact target" in m.subject]


def test_breach_sweep_notifies_the_manager_once(programme, django_capture_on_commit_callbacks):
    manager = programme_staff(programme, "manager", email="manager@example.org")
    breached = _timeline(programme, at(1, 10))
    _timeline(programme, at(1, 10), at(1, 20))  # met

    with django_capture_on_commit_callbacks(execute=True):
        first = services.notices_sweep(now=at(3))
    with django_capture_on_commit_callbacks(execute=True):
        second = services.notices_sweep(now=at(4))

    assert NoticeDigest.objects.filter(pk__in=first, kind="breaches").count() == 1
    assert second == []
    assert BreachNotification.objects.get().referral == breached
    assert len(_breach_mails()) == 1
    assert _breach_mails()[0].to == [manager.email]
    assert "Person" not in _breach_mails()[0].body  # no names in e-mail


def test_a_breach_email_goes_to_active_managers_only(programme, django_capture_on_commit_callbacks):
    programme_staff(programme, "manager", email="current@example.org")
    gone = programme_staff(programme, "manager", email="left@example.org")
    gone.is_active = False
    gone.save()
    _timeline(programme, at(1, 10))

    with django_capture_on_commit_callbacks(execute=True):
        services.notices_sweep(now=at(3))

    assert [m.to for m in _breach_mails()] == [["current@example.org"]]


def test_sending_a_digest_twice_sends_one_email(programme, django_capture_on_commit_callbacks):
    programme_staff(programme, "manager", email="m@example.org")
    _timeline(programme, at(1, 10))
    with django_capture_on_commit_callbacks(execute=False):
        digests = services.notices_sweep(now=at(3))

    assert [services.notice_digest_send(digest_id=pk) for pk in digests] == [True, True]
    assert [services.notice_digest_send(digest_id=pk) for pk in digests] == [False, False]
    assert len(mail.outbox) == 2  # the breach, and the referral as new


def test_anonymisation_removes_identity_and_keeps_aggregates(programme, user_with_role):
    programme.retention_months = 12
    programme.save()
    old = _timeline(programme, at(1, 10), at(1, 20))
    services.contact_record(
        actor=None,
        referral=old,
        occurred_at=at(2, 9),
        method="phone",
        notes="Lives with nan at 3 High St",
    )
    services.referral_status_change(
        actor=None, referral=old, to_status="closed", closure_reason="completed", at=at(3)
    )
    recent = _timeline(programme, at(5, 10), at(5, 12))
    services.referral_status_change(
        actor=None, referral=recent, to_status="closed", closure_reason="declined", at=at(6)
    )
    open_case = _timeline(programme, at(5, 10))
    analyst = user_with_role(Role.ANALYST)
    now = datetime.datetime(2027, 3, 4, tzinfo=UTC)
    before = selectors.programme_dashboard(viewer=analyst, programme=programme, now=now)

    run = services.retention_anonymise(now=now)

    after = selectors.programme_dashboard(viewer=analyst, programme=programme, now=now)
    assert run.referrals_anonymised == 1
    assert run.referral_ids == [old.pk]
    assert not YoungPersonIdentity.objects.filter(young_person=old.young_person).exists()
    assert YoungPersonIdentity.objects.filter(young_person=recent.young_person).exists()
    assert YoungPersonIdentity.objects.filter(young_person=open_case.young_person).exists()
    assert set(old.contacts.values_list("notes", flat=True)) == {""}
    assert before == after
    assert AuditEvent.objects.filter(verb="retention.anonymised").exists()
    # and running it again changes nothing
    assert services.retention_anonymise(now=now).referrals_anonymised == 0


def test_viewing_an_identity_is_audited(programme):
    practitioner = programme_staff(programme, "practitioner")
    referral = ReferralFactory(programme=programme, assigned_to=practitioner)

    identity = services.identity_view(actor=practitioner, referral=referral)

    assert identity.first_name == "Test"
    event = AuditEvent.objects.get(verb="young_person.identity_viewed")
    assert event.action == AuditEvent.Action.VIEW
    assert event.actor == practitioner


def test_another_practitioner_cannot_view_the_identity(programme):
    practitioner = programme_staff(programme, "practitioner")
    other = programme_staff(programme, "practitioner")
    referral = ReferralFactory(programme=programme, assigned_to=practitioner)

    with pytest.raises(PermissionDenied):
        services.identity_view(actor=other, referral=referral)


def test_assignment_only_to_programme_staff(programme, user_with_role):
    manager = programme_staff(programme, "manager")
    practitioner = programme_staff(programme, "practitioner")
    referral = ReferralFactory(programme=programme)

    services.referral_assign(actor=manager, referral=referral, assigned_to=practitioner)
    with pytest.raises(ValidationError):
        services.referral_assign(
            actor=manager, referral=referral, assigned_to=user_with_role(Role.PRACTITIONER)
        )

    referral.refresh_from_db()
    assert referral.assigned_to == practitioner


def test_a_detached_contact_can_become_a_referral_keeping_the_link(programme):
    detached = ProgrammeFactory(partnership=programme.partnership, name="Detached", kind="detached")
    session = services.session_record(
        actor=None,
        programme=detached,
        kind="detached",
        held_on=datetime.date(2026, 3, 1),
        place="Town park",
        counts={("14-17", "male"): 6, ("14-17", "female"): 3},
    )
    contact = services.detached_contact_record(
        actor=None, session=session, age_band="14-17", gender="male"
    )

    referral = ReferralFactory(
        programme=programme, from_detached_contact=contact, source="community"
    )

    assert contact.referral == referral
    assert sum(c.count for c in session.counts.all()) == 9


def test_outcome_is_recorded_once_per_kind(programme):
    referral = ReferralFactory(programme=programme)
    services.outcome_record(
        actor=None, referral=referral, kind="eet", achieved_on=datetime.date(2026, 3, 1)
    )

    with pytest.raises(ValidationError):
        services.outcome_record(
            actor=None, referral=referral, kind="eet", achieved_on=datetime.date(2026, 3, 2)
        )


def test_a_referrals_identity_is_encrypted_at_rest_and_matched_by_blind_index(programme):
    from django.db import connection

    referral = ReferralFactory(programme=programme, first_name="Jo", last_name="Storedsecret")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT first_name, last_name, date_of_birth, match_index "
            "FROM programmes_youngpersonidentity WHERE young_person_id = %s",
            [referral.young_person_id],
        )
        first, last, dob, index = cursor.fetchone()
    assert first.startswith("aesgcm2:")
    assert last.startswith("aesgcm2:")
    assert dob.startswith("aesgcm2:")
    assert "Storedsecret" not in first + last
    assert len(index) == 64
    assert referral.young_person.identity.last_name == "Storedsecret"
