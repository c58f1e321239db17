"""The transactional outbox: work that must happen is written with the change, handed to the
broker when it answers, retried with backoff, dead-lettered after repeated failures, done once.

These run on SQLite with eager Celery (and on PostgreSQL in CI); tests/vru/test_faults.py
runs the same paths against the real broker and a real worker process.
"""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from vru import services, tasks
from vru.models import AuditEvent, OutboxMessage, Role
from vru.services import batches, outbox

pytestmark = pytest.mark.django_db

EFFECT = "tests.effect"
failures = {"left": 0}


@outbox.handler(EFFECT)
def _effect(message):
    """A side effect in the database (an audit row), which fails while `failures` says so."""
    services.audit_record(
        actor=None, action=AuditEvent.Action.UPDATE, verb=EFFECT, changes={"id": message.target_id}
    )
    if failures["left"]:
        failures["left"] -= 1
        raise ConnectionError("mail server refused the message")


@pytest.fixture(autouse=True)
def _no_failures():
    failures["left"] = 0
    yield
    failures["left"] = 0


def effects(target_id=None):
    events = AuditEvent.objects.filter(verb=EFFECT)
    return events.filter(changes__id=target_id).count() if target_id else events.count()


def enqueue(target_id=1, **kwargs):
    with transaction.atomic():
        return outbox.enqueue(kind=EFFECT, target_id=target_id, **kwargs)


# --- Written with the change ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_enqueueing_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        outbox.enqueue(kind=EFFECT, target_id=1)
    assert not OutboxMessage.objects.exists()


def test_a_change_rolled_back_takes_its_message_with_it(django_capture_on_commit_callbacks):
    def change_that_fails():
        with transaction.atomic():
            outbox.enqueue(kind=EFFECT, target_id=1)
            raise ValueError("the change failed")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValueError, match="the change failed"),
    ):
        change_that_fails()

    assert not OutboxMessage.objects.exists()
    assert callbacks == []
    assert effects() == 0


def test_the_same_work_is_enqueued_once():
    first = enqueue(7)
    second = enqueue(7)
    other_key = enqueue(7, key="tests.effect:7:again")

    assert first.pk == second.pk
    assert other_key.pk != first.pk
    assert first.idempotency_key == "tests.effect:7"
    assert OutboxMessage.objects.count() == 2


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="No outbox handler"), transaction.atomic():
        outbox.enqueue(kind="tests.no_such_work", target_id=1)


def test_every_apps_work_has_a_handler():
    assert {
        "programmes.referral_created",
        "programmes.breach_notification",
        "programmes.retention_run",
        "programmes.notice_digest",
        "grants.decision_letter",
        "evaluation.safeguarding_alert",
    } <= set(outbox.handlers())


# --- Handed to the broker --------------------------------------------------------------------


def test_after_commit_the_work_is_done_at_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue(3)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DONE
    assert message.done_at is not None
    assert message.attempts == 0
    assert effects(3) == 1


def test_only_the_id_goes_to_the_broker(django_capture_on_commit_callbacks):
    with (
        mock.patch.object(tasks.outbox_deliver, "apply_async") as publish,
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = enqueue(3)

    publish.assert_called_once_with(args=[message.pk], retry=False)


def test_with_the_broker_down_the_change_commits_and_the_relay_sends_it_later(
    django_capture_on_commit_callbacks,
):
    # given a broker that refuses connections
    refused = OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
    with mock.patch("vru.services.outbox._publish", side_effect=refused):
        with django_capture_on_commit_callbacks(execute=True):
            message = enqueue(4)  # no exception reaches the caller

        # then the message waits, saying why
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.PENDING
        assert "Connection refused" in message.last_error
        assert effects(4) == 0

        # and a sweep while the broker is still down changes nothing
        assert outbox.relay() == 0
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.PENDING

    # when the broker is back, the next sweep hands it over
    assert tasks.outbox_relay.delay().get() == 1

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DONE
    assert effects(4) == 1
    assert message.attempts == 0  # a broker outage is not the work's failure


def test_a_sweep_stops_at_the_first_refusal_and_keeps_every_message(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        enqueue(1)
        enqueue(2)

    with mock.patch(
        "vru.services.outbox._publish", side_effect=OperationalError("refused")
    ) as publish:
        assert outbox.relay() == 0

    assert publish.call_count == 1
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"pending"}


def test_the_relay_hands_over_only_due_messages(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        due = enqueue(1)
        later = enqueue(2)
    OutboxMessage.objects.filter(pk=later.pk).update(
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=5)
    )

    assert outbox.relay() == 1

    assert OutboxMessage.objects.get(pk=due.pk).status == OutboxMessage.Status.DONE
    assert OutboxMessage.objects.get(pk=later.pk).status == OutboxMessage.Status.PENDING


def test_a_message_handed_over_but_never_done_is_handed_over_again(
    django_capture_on_commit_callbacks, settings
):
    # given a message the broker lost (sent, then nothing for longer than the requeue time)
    with django_capture_on_commit_callbacks(execute=False):
        message = enqueue(5)
    sent_at = timezone.now() - datetime.timedelta(
        seconds=settings.VRU_OUTBOX_REQUEUE_AFTER_SECONDS + 1
    )
    OutboxMessage.objects.filter(pk=message.pk).update(status="sent", sent_at=sent_at)
    recent = enqueue(6)
    OutboxMessage.objects.filter(pk=recent.pk).update(status="sent", sent_at=timezone.now())

    # when the relay sweeps
    assert outbox.relay() == 1

    # then the lost one is done, counted as a failed attempt; the recent one is left alone
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DONE
    assert message.attempts == 1
    assert OutboxMessage.objects.get(pk=recent.pk).status == OutboxMessage.Status.SENT


# --- Done once -------------------------------------------------------------------------------


def test_delivering_a_message_twice_does_its_work_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        message = enqueue(8)

    assert outbox.deliver(message_id=message.pk) is True
    assert outbox.deliver(message_id=message.pk) is False
    assert tasks.outbox_deliver.delay(message.pk).get() is False

    assert effects(8) == 1


def test_a_message_that_no_longer_exists_is_skipped():
    assert outbox.deliver(message_id=987654) is False


# --- Retries, backoff, dead letters -----------------------------------------------------------


def test_backoff_doubles_from_thirty_seconds_up_to_an_hour():
    waits = [outbox.backoff(n).total_seconds() for n in range(1, 10)]

    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_failure_rolls_its_effects_back_and_is_retried_after_its_backoff(
    django_capture_on_commit_callbacks,
):
    failures["left"] = 1
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue(9)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert message.last_error == "ConnectionError: mail server refused the message"
    assert message.next_attempt_at >= before + datetime.timedelta(seconds=30)
    assert effects(9) == 0  # the failed attempt's audit row was rolled back

    assert outbox.relay() == 0  # not yet due
    assert outbox.relay(now=message.next_attempt_at) == 1

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DONE
    assert effects(9) == 1


def test_after_the_last_attempt_a_message_is_a_dead_letter_until_retried(
    django_capture_on_commit_callbacks, settings, user_with_role
):
    settings.VRU_OUTBOX_MAX_ATTEMPTS = 3
    failures["left"] = 3
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue(10)
    for _ in range(2):
        message.refresh_from_db()
        outbox.relay(now=message.next_attempt_at)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DEAD
    assert message.attempts == 3
    far_future = timezone.now() + datetime.timedelta(days=30)
    assert outbox.relay(now=far_future) == 0  # the relay leaves dead letters alone

    # an administrator retries it once the cause is fixed
    admin = user_with_role(Role.ADMINISTRATOR)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.retry(actor=admin, messages=[message]) == 1

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DONE
    assert effects(10) == 1
    assert AuditEvent.objects.filter(
        verb="outbox_message.retried", actor=admin, target_id=str(message.pk)
    ).exists()


def test_only_administrators_retry_and_only_their_own_partnerships_messages(
    django_capture_on_commit_callbacks, partnership, other_partnership, user_with_role
):
    with django_capture_on_commit_callbacks(execute=False):
        ours = enqueue(1, partnership=partnership)
        theirs = enqueue(2, partnership=other_partnership)
        platform = enqueue(3)
    OutboxMessage.objects.update(status="dead", attempts=8)

    with pytest.raises(PermissionDenied):
        outbox.retry(actor=user_with_role(Role.ANALYST), messages=[ours])
    retried = outbox.retry(
        actor=user_with_role(Role.ADMINISTRATOR), messages=[ours, theirs, platform]
    )

    assert retried == 2
    assert OutboxMessage.objects.get(pk=theirs.pk).status == OutboxMessage.Status.DEAD


def test_done_messages_are_purged_after_thirty_days_and_dead_letters_kept(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        old_done = enqueue(1)
        recent_done = enqueue(2)
        dead = enqueue(3)
    now = timezone.now()
    OutboxMessage.objects.filter(pk=old_done.pk).update(done_at=now - datetime.timedelta(days=31))
    OutboxMessage.objects.filter(pk=dead.pk).update(
        status="dead", created_at=now - datetime.timedelta(days=90)
    )

    assert outbox.purge_done(now=now) == 1

    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent_done.pk, dead.pk}
    assert AuditEvent.objects.filter(verb="outbox_message.purged", changes__deleted=1).exists()
    assert tasks.outbox_purge.delay().get() == 0


def test_the_purge_deletes_a_batch_at_a_time_and_audits_once(monkeypatch):
    # given five messages done long ago and batches of two
    monkeypatch.setattr(batches, "BATCH", 2)
    for n in range(5):
        enqueue(n + 1)
    now = timezone.now()
    OutboxMessage.objects.update(status="done", done_at=now - datetime.timedelta(days=31))

    # when the daily purge runs
    deleted = outbox.purge_done(now=now)

    # then all five went, and one audit entry counts them
    assert deleted == 5
    assert not OutboxMessage.objects.exists()
    (purged,) = AuditEvent.objects.filter(verb="outbox_message.purged")
    assert purged.changes["deleted"] == 5


# --- The admin: dead letters visible to administrators ---------------------------------------


@pytest.fixture
def messages(partnership, other_partnership, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        made = {
            "dead": enqueue(11, partnership=partnership),
            "done": enqueue(12, partnership=partnership),
            "other": enqueue(13, partnership=other_partnership),
            "platform": enqueue(14),
        }
    OutboxMessage.objects.filter(pk__in=[made["dead"].pk, made["other"].pk]).update(
        status="dead", attempts=8, last_error="ConnectionError: mail server refused the message"
    )
    OutboxMessage.objects.filter(pk=made["done"].pk).update(status="done", done_at=timezone.now())
    return made


def test_the_admin_lists_own_and_platform_messages_with_their_errors(
    client, user_with_role, messages
):
    client.force_login(user_with_role(Role.ADMINISTRATOR))

    response = client.get("/admin/vru/outboxmessage/?status__exact=dead")
    listed = client.get("/admin/vru/outboxmessage/").context["cl"].result_list

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [messages["dead"]]
    assert b"mail server refused" in response.content
    assert {m.pk for m in listed} == {
        messages["dead"].pk,
        messages["done"].pk,
        messages["platform"].pk,
    }


def test_the_admin_list_takes_a_constant_number_of_queries(
    client, user_with_role, messages, django_assert_max_num_queries
):
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    for n in range(20):
        enqueue(100 + n)

    with django_assert_max_num_queries(12):
        assert client.get("/admin/vru/outboxmessage/").status_code == 200


def test_the_admin_cannot_open_another_partnerships_message(client, user_with_role, messages):
    client.force_login(user_with_role(Role.ADMINISTRATOR))

    response = client.get(f"/admin/vru/outboxmessage/{messages['other'].pk}/change/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_the_admin_retry_action_sends_dead_letters_again(
    client, user_with_role, messages, django_capture_on_commit_callbacks
):
    client.force_login(user_with_role(Role.ADMINISTRATOR))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/vru/outboxmessage/",
            {
                "action": "retry",
                "_selected_action": [messages["dead"].pk, messages["done"].pk],
            },
            follow=True,
        )

    assert b"1 sent again." in response.content
    assert b"1 not retried: only dead letters can be retried." in response.content
    assert OutboxMessage.objects.get(pk=messages["dead"].pk).status == OutboxMessage.Status.DONE
    assert effects(11) == 1
    assert effects(12) == 0  # a done message is not done again


def test_a_message_page_is_read_only(client, user_with_role, messages):
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    url = f"/admin/vru/outboxmessage/{messages['dead'].pk}/change/"

    page = client.get(url)
    posted = client.post(url, {"status": "done", "attempts": 0})

    assert page.status_code == 200
    assert b"mail server refused" in page.content
    assert posted.status_code == 403
    assert OutboxMessage.objects.get(pk=messages["dead"].pk).status == OutboxMessage.Status.DEAD


def test_the_admin_shows_no_add_or_delete(client, user_with_role, messages):
    client.force_login(user_with_role(Role.ADMINISTRATOR))

    assert client.get("/admin/vru/outboxmessage/add/").status_code == 403
    delete = client.get(f"/admin/vru/outboxmessage/{messages['dead'].pk}/delete/")
    assert delete.status_code == 403


def test_the_outbox_stores_no_personal_data():
    fields = {f.name for f in OutboxMessage._meta.get_fields()}

    assert fields == {
        "id",
        "kind",
        "target_id",
        "partnership",
        "idempotency_key",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "done_at",
    }


def test_the_admin_retry_action_ignores_another_partnerships_message(
    client, user_with_role, messages
):
    client.force_login(user_with_role(Role.ADMINISTRATOR))

    client.post(
        "/admin/vru/outboxmessage/",
        {"action": "retry", "_selected_action": [messages["other"].pk]},
    )

    assert OutboxMessage.objects.get(pk=messages["other"].pk).status == OutboxMessage.Status.DEAD


# --- Upgrading: work the old on-commit sends and resend sweeps would have sent ----------------


def test_upgrading_gives_each_unsent_alert_notification_and_letter_an_outbox_message(
    partnership, user_with_role, django_capture_on_commit_callbacks, tmp_path, settings
):
    from decimal import Decimal
    from importlib import import_module

    from django.apps import apps

    from evaluation import services as evaluation_services
    from grants import services as grants_services
    from tests.evaluation.factories import ListeningExerciseFactory
    from tests.factories import ApplicationFactory, GrantRoundFactory

    settings.MEDIA_ROOT = tmp_path
    # given work from before the outbox, not sent (breach notices, the third such migration,
    # became digests later: programmes 0010; tests/programmes/test_notices.py)
    with django_capture_on_commit_callbacks(execute=False):
        exercise = ListeningExerciseFactory(partnership=partnership)
        response = evaluation_services.response_record(
            actor=None,
            exercise=exercise,
            responded_on=datetime.date(2023, 1, 10),
            age_band="14_15",
            question="What would make you feel safer?",
            words="Lights by the station.",
            safeguarding_concern=True,
        )
        decision = grants_services.decision_record(
            actor=user_with_role(Role.GRANTS_OFFICER),
            override_reason="Decided early to set up this test.",
            application=ApplicationFactory(
                grant_round=GrantRoundFactory(partnership=partnership), status="eligible"
            ),
            outcome="fund",
            amount=Decimal("1000"),
            reasons="Strong plan.",
        )
    OutboxMessage.objects.all().delete()  # as before the outbox existed

    # when the data migrations run (twice: a re-run adds nothing)
    migrations = [
        "grants.migrations.0002_outbox_for_unsent_work",
        "evaluation.migrations.0003_outbox_for_unsent_work",
    ]
    for _ in range(2):
        for name in migrations:
            import_module(name).unsent_into_the_outbox(apps, None)

    # then each unsent piece of work waits in the outbox, in its partnership
    assert set(OutboxMessage.objects.values_list("kind", "target_id", "status")) == {
        ("evaluation.safeguarding_alert", response.safeguarding_alert.pk, "pending"),
        ("grants.decision_letter", decision.pk, "pending"),
    }
    assert OutboxMessage.objects.get(kind="grants.decision_letter").partnership == partnership
