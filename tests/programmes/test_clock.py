"""The 24-hour clock defined once, the timeline order of writes, and breach e-mails that
are never lost."""

import datetime
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from programmes import selectors, services
from programmes.models import BreachNotification, NoticeDigest, Outcome, Referral
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory, programme_staff
from vru.models import OutboxMessage, Role
from vru.services import outbox

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def at(day, hour=0, minute=0, month=3):
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def programme(partnership):
    return ProgrammeFactory(partnership=partnership, name="ReRoute")


def _referral(programme, event, **kwargs):
    return ReferralFactory(
        programme=programme,
        event_at=event,
        referred_at=event + datetime.timedelta(hours=1),
        **kwargs,
    )


def _close(referral, when):
    return services.referral_status_change(
        actor=None, referral=referral, to_status="closed", closure_reason="declined", at=when
    )


def _breached_in_list(referral, now):
    admin = UserFactory(partnership=referral.partnership, roles=[Role.ADMINISTRATOR])
    return selectors.referral_list(viewer=admin, now=now).get(pk=referral.pk).breached


# --- One definition of a breach -----------------------------------------------------------


def test_a_referral_closed_before_its_due_time_without_contact_is_no_breach_anywhere(
    programme, user_with_role, django_capture_on_commit_callbacks
):
    # given: event 1 Mar 10:00 (due 2 Mar 10:00), closed (declined) 1 Mar 15:00, no contact
    referral = _close(_referral(programme, at(1, 10)), at(1, 15))
    now = at(5)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        notified = services.notices_sweep(now=now)
    dashboard = selectors.programme_dashboard(
        viewer=user_with_role(Role.ANALYST), programme=programme, now=now
    )

    # then
    assert _breached_in_list(referral, now) is False
    assert notified == []
    assert selectors.compliance_by_month(programme_ids=[programme.pk], now=now) == []
    assert dashboard.open_breaches == "0"
    assert dashboard.overall_percent is None


def test_a_referral_closed_after_its_due_time_without_contact_is_a_breach_everywhere(
    programme, user_with_role, django_capture_on_commit_callbacks
):
    programme_staff(programme, "manager", email="m@example.org")
    referral = _close(_referral(programme, at(1, 10)), at(3, 9))
    now = at(5)

    with django_capture_on_commit_callbacks(execute=True):
        notified = services.notices_sweep(now=now)  # closed: no new-referral notice
    rows = selectors.compliance_by_month(programme_ids=[programme.pk], now=now)
    dashboard = selectors.programme_dashboard(
        viewer=user_with_role(Role.ANALYST), programme=programme, now=now
    )

    assert _breached_in_list(referral, now) is True
    assert NoticeDigest.objects.get(pk__in=notified).kind == "breaches"
    assert [(r["decided"], r["met"], r["percent"]) for r in rows] == [(1, 0, 0)]
    assert dashboard.open_breaches == "0"  # closed: a breach, but no longer open
    assert dashboard.overall_percent == 0


def test_an_open_overdue_referral_is_an_open_breach_on_the_dashboard(programme, user_with_role):
    _referral(programme, at(1, 10))

    dashboard = selectors.programme_dashboard(
        viewer=user_with_role(Role.ANALYST), programme=programme, now=at(5)
    )

    assert dashboard.open_breaches == "1"


def test_months_are_uk_months_across_the_bst_change(programme):
    # 31 March 23:30 UTC is 1 April 00:30 in London (BST began on 29 March 2026)
    event = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    referral = _referral(programme, event)
    services.contact_record(
        actor=None,
        referral=referral,
        occurred_at=event + datetime.timedelta(hours=2),
        method="phone",
    )

    rows = selectors.compliance_by_month(programme_ids=[programme.pk], now=at(1, month=5))

    assert [(r["month"].year, r["month"].month, r["met"]) for r in rows] == [(2026, 4, 1)]


# --- Breach e-mails -------------------------------------------------------------------------


def test_a_breach_email_the_mail_server_refused_is_retried_with_backoff_and_sent_once(
    programme, django_capture_on_commit_callbacks
):
    # given a referral overdue now (its manager already told of it as new), and a mail
    # server that refuses the next e-mail
    programme_staff(programme, "manager", email="m@example.org")
    now = timezone.now()
    _referral(programme, now - datetime.timedelta(hours=30))
    with django_capture_on_commit_callbacks(execute=True):
        services.notices_sweep(now=now - datetime.timedelta(hours=10))
    mail.outbox.clear()
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=SMTPException("refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        created = services.notices_sweep(now=now)
    assert len(created) == 1
    message = OutboxMessage.objects.get(kind="programmes.notice_digest", target_id=created[0])
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert message.last_error == "SMTPException: refused"
    assert NoticeDigest.objects.get(pk=created[0]).emailed_at is None

    # when: the sweep runs on (it finds nothing new) and the outbox relay retries
    # the e-mail once its backoff has passed (not before)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.notices_sweep(now=now + datetime.timedelta(minutes=1))
    outbox.relay(now=message.next_attempt_at - datetime.timedelta(seconds=1))
    assert not _breach_mails()
    outbox.relay(now=message.next_attempt_at)
    outbox.relay(now=message.next_attempt_at + datetime.timedelta(hours=1))

    # then: one e-mail, sent once
    assert again == []
    assert len(_breach_mails()) == 1
    assert NoticeDigest.objects.get(pk=created[0]).emailed_at is not None
    assert BreachNotification.objects.get().digested_at == now
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DONE


def _breach_mails():
    return [m for m in mail.outbox if "contact target" in m.subject]


def test_the_breach_email_names_no_offence_and_no_person(
    programme, django_capture_on_commit_callbacks
):
    programme_staff(programme, "manager", email="m@example.org")
    referral = _referral(programme, at(1, 10), last_name="Unusualname", reason="drug_supply")

    with django_capture_on_commit_callbacks(execute=True):
        services.notices_sweep(now=at(5))

    (breach,) = _breach_mails()
    body = breach.subject + breach.body
    assert "Unusualname" not in body
    assert "supply" not in body.lower()
    assert referral.young_person.reference in body
    assert f"/programmes/referrals/{referral.pk}/" in body


def test_breach_emails_go_through_the_outbox_not_a_task_of_their_own():
    from programmes import tasks

    assert "programmes.notice_digest" in outbox.handlers()
    assert "programmes.breach_notification" in outbox.handlers()  # messages from before digests
    assert not hasattr(tasks, "breach_notification_send")
    assert not hasattr(tasks, "referral_sla_check")


# --- Timeline order of writes ---------------------------------------------------------------


def test_a_contact_cannot_be_before_the_last_status_change(programme):
    referral = _referral(programme, at(1, 10))  # received at 1 Mar 11:00

    with pytest.raises(ValidationError) as error:
        services.contact_record(
            actor=None, referral=referral, occurred_at=at(1, 10, 30), method="phone"
        )

    assert "occurred_at" in error.value.message_dict


def test_a_contact_cannot_be_in_the_future(programme):
    referral = _referral(programme, at(1, 10))

    with pytest.raises(ValidationError):
        services.contact_record(
            actor=None,
            referral=referral,
            occurred_at=timezone.now() + datetime.timedelta(hours=1),
            method="phone",
        )


def test_a_closed_referral_takes_no_contacts(programme):
    referral = _close(_referral(programme, at(1, 10)), at(1, 15))

    with pytest.raises(ValidationError):
        services.contact_record(actor=None, referral=referral, occurred_at=at(2), method="phone")

    assert not referral.contacts.exists()


def test_a_status_change_cannot_be_backdated_or_in_the_future(programme):
    referral = _referral(programme, at(1, 10))
    services.contact_record(actor=None, referral=referral, occurred_at=at(2, 9), method="phone")

    with pytest.raises(ValidationError):
        services.referral_status_change(
            actor=None, referral=referral, to_status="engaged", at=at(2, 8)
        )
    with pytest.raises(ValidationError):
        services.referral_status_change(
            actor=None,
            referral=referral,
            to_status="engaged",
            at=timezone.now() + datetime.timedelta(hours=1),
        )
    services.referral_status_change(
        actor=None, referral=referral, to_status="engaged", at=at(2, 10)
    )

    referral.refresh_from_db()
    assert referral.status == Referral.Status.ENGAGED


def test_a_second_outcome_of_a_kind_is_a_validation_error_not_a_crash(programme):
    referral = _referral(programme, at(1, 10))
    services.outcome_record(
        actor=None, referral=referral, kind="eet", achieved_on=datetime.date(2026, 3, 5)
    )

    with pytest.raises(ValidationError):
        services.outcome_record(
            actor=None, referral=referral, kind="eet", achieved_on=datetime.date(2026, 3, 6)
        )

    assert Outcome.objects.filter(referral=referral).count() == 1


def test_withdrawing_consent_twice_keeps_the_first_time(programme):
    referral = _referral(
        programme, at(1, 10), consent_given_by="young_person", consent_given_at=at(1, 12)
    )
    services.referral_consent_withdraw(actor=None, referral=referral, at=at(2))

    again = services.referral_consent_withdraw(actor=None, referral=referral, at=at(3))

    assert again.consent_withdrawn_at == at(2)
