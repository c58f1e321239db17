import datetime
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation import services
from evaluation.models import SafeguardingAlert, SafeguardingContact
from tests.evaluation.factories import ListeningExerciseFactory
from vru.models import AuditEvent, OutboxMessage, Role
from vru.services import outbox

pytestmark = pytest.mark.django_db


def _record(exercise, actor=None, **kwargs):
    values = {
        "responded_on": datetime.date(2023, 1, 10),
        "age_band": "14_15",
        "question": "What would make you feel safer?",
        "words": "Lights by the station.",
    }
    values.update(kwargs)
    return services.response_record(actor=actor, exercise=exercise, **values)


def test_a_new_exercise_starts_with_the_essex_codebook(partnership):
    exercise = ListeningExerciseFactory(partnership=partnership)

    assert list(exercise.themes.values_list("name", flat=True)) == [
        "Youth facilities and safe spaces",
        "Street lighting and CCTV",
        "Trusted adults",
        "Targeted education and support",
        "Awareness raising",
    ]


def test_a_safeguarding_concern_alerts_the_designated_lead_once(
    partnership, user_with_role, django_capture_on_commit_callbacks
):
    # given a designated safeguarding lead
    lead = user_with_role(Role.ADMINISTRATOR, email="dsl@example.org")
    SafeguardingContact.objects.create(partnership=partnership, user=lead)
    analyst = user_with_role(Role.ANALYST)
    exercise = ListeningExerciseFactory(partnership=partnership)

    # when a flagged response is recorded
    with django_capture_on_commit_callbacks(execute=True):
        response = _record(exercise, actor=analyst, safeguarding_concern=True)

    # then exactly one alert exists, sent once, with none of the young person's words
    alert = SafeguardingAlert.objects.get(response=response)
    assert alert.notified_at is not None
    assert alert.notified_to == ["dsl@example.org"]
    assert len(mail.outbox) == 1
    assert "Lights by the station" not in mail.outbox[0].body
    message = OutboxMessage.objects.get(kind="evaluation.safeguarding_alert")
    assert message.target_id == alert.pk
    assert message.status == OutboxMessage.Status.DONE
    services.safeguarding_alert_send(alert_id=alert.pk)
    outbox.deliver(message_id=message.pk)
    outbox.relay()
    assert len(mail.outbox) == 1
    assert SafeguardingAlert.objects.count() == 1


def test_an_alert_whose_send_was_lost_is_sent_by_the_outbox_relay(
    partnership, user_with_role, django_capture_on_commit_callbacks
):
    lead = user_with_role(Role.ADMINISTRATOR, email="dsl@example.org")
    SafeguardingContact.objects.create(partnership=partnership, user=lead)
    exercise = ListeningExerciseFactory(partnership=partnership)

    # the on-commit hand-over never runs (as when the web process dies right after commit)
    with django_capture_on_commit_callbacks(execute=False):
        response = _record(exercise, safeguarding_concern=True)
    alert = SafeguardingAlert.objects.get(response=response)
    assert alert.notified_at is None
    assert OutboxMessage.objects.get(target_id=alert.pk).status == OutboxMessage.Status.PENDING

    assert outbox.relay() == 1
    assert len(mail.outbox) == 1
    assert outbox.relay() == 0


def test_an_alert_the_mail_server_refused_is_retried_then_dead_lettered_for_the_admin(
    partnership, user_with_role, django_capture_on_commit_callbacks, settings
):
    settings.VRU_OUTBOX_MAX_ATTEMPTS = 2
    lead = user_with_role(Role.ADMINISTRATOR, email="dsl@example.org")
    SafeguardingContact.objects.create(partnership=partnership, user=lead)
    exercise = ListeningExerciseFactory(partnership=partnership)
    refused = SMTPException("451 try again later")

    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=refused),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = _record(exercise, safeguarding_concern=True)
        message = OutboxMessage.objects.get(kind="evaluation.safeguarding_alert")
        outbox.relay(now=OutboxMessage.objects.get(pk=message.pk).next_attempt_at)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DEAD
    assert message.attempts == 2
    assert "451 try again later" in message.last_error
    assert message.partnership == partnership
    assert SafeguardingAlert.objects.get(response=response).notified_at is None

    # the administrator retries it from the admin once mail works again
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.retry(actor=lead, messages=[message]) == 1
    assert len(mail.outbox) == 1
    assert SafeguardingAlert.objects.get(response=response).notified_at is not None


def test_a_response_outside_the_exercise_period_is_refused(partnership):
    exercise = ListeningExerciseFactory(partnership=partnership)

    with pytest.raises(ValidationError, match="within the exercise"):
        _record(exercise, responded_on=datetime.date(2024, 6, 1))


def test_only_administrators_and_analysts_record_feedback(partnership, user_with_role):
    exercise = ListeningExerciseFactory(partnership=partnership)

    with pytest.raises(PermissionDenied):
        _record(exercise, actor=user_with_role(Role.PRACTITIONER))
    with pytest.raises(PermissionDenied):
        _record(exercise, actor=user_with_role(Role.COMMISSIONER))
    assert _record(exercise, actor=user_with_role(Role.ANALYST)).pk


def test_coding_a_response_to_another_exercises_theme_is_refused(partnership, user_with_role):
    analyst = user_with_role(Role.ANALYST)
    exercise = ListeningExerciseFactory(partnership=partnership)
    other = ListeningExerciseFactory(partnership=partnership)
    response = _record(exercise)

    with pytest.raises(ValidationError):
        services.response_code(actor=analyst, response=response, themes=[other.themes.first()])
    services.response_code(actor=analyst, response=response, themes=[exercise.themes.first()])
    assert AuditEvent.objects.filter(verb="feedback_response.coded").count() == 1


def test_a_delivered_action_needs_its_date(partnership, user_with_role):
    analyst = user_with_role(Role.ANALYST)
    theme = ListeningExerciseFactory(partnership=partnership).themes.first()

    with pytest.raises(ValidationError, match="date it was delivered"):
        services.action_save(
            actor=analyst, theme=theme, what="Lights", who="Council", status="delivered"
        )
    action = services.action_save(
        actor=analyst,
        theme=theme,
        what="Lights",
        who="Council",
        status="delivered",
        delivered_on=datetime.date(2023, 9, 1),
    )
    assert action.pk
