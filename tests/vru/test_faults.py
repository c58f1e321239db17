"""Faults, against the real services: nothing that must happen is lost, nothing happens twice,
and nothing is left half-written.

(a) With the broker unreachable, creating a referral succeeds, and so does the sweep that puts
    it in its manager's digest; the digest is sent once the broker is back and the outbox
    relay sweeps again.
(b) A worker process killed (SIGKILL) in the middle of a safeguarding alert's task: the task
    is redelivered and re-run, and the alert is e-mailed once.
(c) A database error in the middle of a service (the audit write or the notice write fails)
    leaves nothing: no referral, no young person, no notice, no audit row.

(a) and (b) need PostgreSQL and Redis (CI sets DATABASE_URL and REDIS_URL): a real worker
process reads this test's database and takes tasks from the real broker. The shared Redis is
never stopped: "unreachable" points this process's broker at a closed port. (c) runs on any
database.
"""

import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core import mail
from django.db import DatabaseError, connection
from django.utils import timezone
from kombu import Exchange, Queue

from evaluation import services as evaluation_services
from evaluation.models import SafeguardingAlert, SafeguardingContact
from programmes import services as programme_services
from programmes.models import (
    NewReferralNotice,
    Referral,
    StatusChange,
    YoungPerson,
    YoungPersonIdentity,
)
from tests.evaluation.factories import ListeningExerciseFactory
from tests.factories import ProgrammeFactory, govuk_date, programme_staff, referrals_of
from tests.vru.test_worker import _database_url_for_worker, tasks_routed_to
from vru import tasks
from vru.celery import app as celery_app
from vru.models import AuditEvent, OutboxMessage, Role
from vru.services import outbox

pytestmark = [pytest.mark.slow, pytest.mark.faults, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]


# --- Helpers: a real worker, an unreachable broker, the mail the worker sent ----------------


@pytest.fixture
def real_services():
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.skip(
            "Fault tests with a worker need PostgreSQL and Redis: set DATABASE_URL and "
            "REDIS_URL (CI does)."
        )


@pytest.fixture
def mail_dir(tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


def sent_mail(folder: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(folder.glob("sent-*.json"))]


def wait_for(condition, timeout=90.0, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"Timed out after {timeout:.0f} s waiting for {what}.")


@contextmanager
def running_worker(tmp_path, mail_dir, *, pool="solo"):
    """A celery worker process on a queue of its own, on the real broker and this test's
    database; this process's tasks go to that queue and are no longer run eagerly."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / f"worker-{queue}.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.vru.worker_settings",
        "DATABASE_URL": _database_url_for_worker(),
        "DJANGO_SECRET_KEY": "worker-test",
        "DJANGO_CONN_MAX_AGE": "0",
        "VRU_TEST_MAIL_DIR": str(mail_dir),
    }
    command = [sys.executable, "-m", "celery", "-A", "vru", "worker", f"--pool={pool}"]
    command += ["--concurrency=1", "--without-heartbeat", "--without-gossip"]
    command += ["--without-mingle", "-Q", queue, "--loglevel=INFO"]
    with log.open("w") as output:
        worker = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT, text=True
        )
    # Declare the queue before anything is sent to it (on Redis a message sent to a queue
    # nobody declared is lost), then wait until the worker listens.
    with celery_app.connection_for_write() as conn:
        Queue(queue, Exchange(queue), routing_key=queue)(conn.default_channel).declare()
    wait_for(lambda: "ready." in log.read_text() or worker.poll() is not None, 90, "the worker")
    try:
        with tasks_routed_to(queue):  # urgent work too: one worker takes everything here
            yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        sys.stdout.write(log.read_text()[-6000:])


def _use_broker(url: str) -> None:
    celery_app.conf.broker_url = url
    celery_app._pool = None  # the next publish takes a connection pool for this URL
    celery_app.amqp._producer_pool = None


@contextmanager
def broker_unreachable():
    """Point this process's broker at a port nothing listens on (the shared Redis server
    keeps running for everyone else)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    real = celery_app.conf.broker_url
    _use_broker(f"redis://127.0.0.1:{port}/0")
    try:
        yield
    finally:
        _use_broker(real)


# --- (a) The broker is unreachable while a referral is made ---------------------------------


def test_a_referral_made_while_the_broker_is_unreachable_is_notified_when_it_returns(
    real_services, tmp_path, mail_dir, client
):
    # given a programme with a manager, and a practitioner signed in
    programme = ProgrammeFactory(name="ReRoute")
    manager = programme_staff(programme, "manager", email="manager@example.org")
    practitioner = programme_staff(programme, "practitioner", email="p@example.org")
    client.force_login(practitioner)

    # an event two hours ago: the referral is new, not yet past its contact target
    event = timezone.localtime() - datetime.timedelta(hours=2)
    with running_worker(tmp_path, mail_dir):
        # when the practitioner records a referral while the broker cannot be reached
        with broker_unreachable():
            started = time.monotonic()
            response = client.post(
                "/programmes/referrals/new/",
                {
                    "programme": programme.pk,
                    "first_name": "Broker",
                    "last_name": "Outage",
                    **govuk_date("date_of_birth", "2010-01-01"),
                    "gender": "male",
                    "ethnicity": "white",
                    "education_status": "school",
                    "source": "custody",
                    "reason": "knife",
                    **govuk_date("event_at", f"{event:%Y-%m-%d %H:%M}"),
                    **govuk_date(
                        "referred_at", f"{event + datetime.timedelta(hours=1):%Y-%m-%d %H:%M}"
                    ),
                },
            )
            took = time.monotonic() - started

            # then the referral is saved and the request succeeds, quickly
            assert response.status_code == 302
            referral = referrals_of("Broker", "Outage", datetime.date(2010, 1, 1)).get()
            assert response.url == referral.get_absolute_url()
            assert took < 10, f"the request waited {took:.1f} s for the broker"
            sys.stdout.write(f"referral created with the broker unreachable in {took:.2f} s\n")

            # and the sweep puts it in the manager's digest, still with no broker
            digests = programme_services.notices_sweep()

        # then the digest's e-mail waits in the outbox, saying why
        message = OutboxMessage.objects.get(kind="programmes.notice_digest")
        assert [message.target_id] == digests
        assert message.status == OutboxMessage.Status.PENDING
        assert "Connection refused" in message.last_error
        time.sleep(2)
        assert sent_mail(mail_dir) == []

        # when the broker is back and the relay sweeps again
        assert outbox.relay() == 1

        # then the worker sends the notification, once, by reference only
        wait_for(
            lambda: OutboxMessage.objects.get(pk=message.pk).status == "done",
            what="the notification to be sent",
        )
    sent = sent_mail(mail_dir)
    assert len(sent) == 1
    assert sent[0]["to"] == [manager.email]
    assert referral.young_person.reference in sent[0]["subject"]
    assert "Outage" not in sent[0]["subject"] + sent[0]["body"]
    assert AuditEvent.objects.filter(verb="referral.new_referrals_digest_sent").count() == 1


# --- (b) A worker is killed in the middle of a task ------------------------------------------


def test_a_worker_killed_mid_task_reruns_it_and_the_alert_is_sent_once(
    real_services, tmp_path, mail_dir, partnership, user_with_role
):
    # given a designated safeguarding lead, and a worker whose first e-mail send hangs
    lead = user_with_role(Role.ADMINISTRATOR, email="dsl@example.org")
    SafeguardingContact.objects.create(partnership=partnership, user=lead)
    exercise = ListeningExerciseFactory(partnership=partnership)
    (mail_dir / "hang-once").touch()

    with running_worker(tmp_path, mail_dir, pool="prefork") as worker:
        # when a flagged response is recorded, its alert's task starts in the worker ...
        response = evaluation_services.response_record(
            actor=None,
            exercise=exercise,
            responded_on=datetime.date(2023, 1, 10),
            age_band="14_15",
            question="What would make you feel safer?",
            words="Lights by the station.",
            safeguarding_concern=True,
        )
        hanging = mail_dir / "hanging"
        wait_for(hanging.exists, what="the task to reach its e-mail")
        child = int(hanging.read_text())
        assert child != worker.pid  # the pool process running the task, not the worker

        # ... and the process running it is killed in the middle
        killed_at = time.monotonic()
        os.kill(child, signal.SIGKILL)

        # then the task is redelivered and run again, to the end
        message = OutboxMessage.objects.get(kind="evaluation.safeguarding_alert")
        wait_for(
            lambda: OutboxMessage.objects.get(pk=message.pk).status == "done",
            what="the redelivered task",
        )
        sys.stdout.write(f"redelivered and done {time.monotonic() - killed_at:.1f} s after kill\n")

        # and delivering the same message again (as a second relay would) sends nothing more
        assert tasks.outbox_deliver.apply_async(args=[message.pk]).get(timeout=60) is False

    alert = SafeguardingAlert.objects.get(response=response)
    assert alert.notified_at is not None
    sent = sent_mail(mail_dir)
    assert len(sent) == 1
    assert sent[0]["to"] == ["dsl@example.org"]
    assert AuditEvent.objects.filter(verb="safeguarding_alert.sent").count() == 1
    message.refresh_from_db()
    assert message.attempts == 0  # the killed run committed nothing, not even a failure


# --- (c) A database error in the middle of a service ------------------------------------------

REFUSE = {
    "audit": ("vru_auditevent", "NEW.verb = 'referral.created'"),
    "notice": ("programmes_newreferralnotice", "NEW.referral_id IS NOT NULL"),
}


@contextmanager
def database_refuses(table: str, when: str):
    """A trigger makes the database itself refuse one insert, as a full disk or a lost
    connection would in the middle of a service."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'the database refused this write'; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER test_refuse BEFORE INSERT ON {table} FOR EACH ROW "
                f"WHEN ({when}) EXECUTE FUNCTION test_refuse()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER test_refuse BEFORE INSERT ON {table} FOR EACH ROW "
                f"WHEN {when} BEGIN SELECT RAISE(ABORT, 'the database refused this write'); END"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER test_refuse ON {table}")
                cursor.execute("DROP FUNCTION test_refuse()")
            else:
                cursor.execute("DROP TRIGGER test_refuse")


@pytest.mark.parametrize("failing_write", list(REFUSE))
def test_a_database_error_mid_service_leaves_nothing_half_written(failing_write, partnership):
    programme = ProgrammeFactory(partnership=partnership)
    practitioner = programme_staff(programme, "practitioner", email="p@example.org")
    programme_staff(programme, "manager", email="m@example.org")
    audit_before = AuditEvent.objects.count()

    with (
        database_refuses(*REFUSE[failing_write]),
        pytest.raises(DatabaseError, match="the database refused this write"),
    ):
        programme_services.referral_create(
            actor=practitioner,
            programme=programme,
            first_name="Half",
            last_name="Written",
            date_of_birth=datetime.date(2010, 1, 1),
            source="custody",
            reason="knife",
            event_at=datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC),
            referred_at=datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC),
        )

    assert not Referral.objects.exists()
    assert not YoungPerson.objects.exists()
    assert not YoungPersonIdentity.objects.exists()
    assert not StatusChange.objects.exists()
    assert not NewReferralNotice.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert AuditEvent.objects.count() == audit_before
    assert mail.outbox == []  # nothing was handed on (tasks run in-process here)

    # and once the database accepts writes again, the same referral goes through whole
    referral = programme_services.referral_create(
        actor=practitioner,
        programme=programme,
        first_name="Half",
        last_name="Written",
        date_of_birth=datetime.date(2010, 1, 1),
        source="custody",
        reason="knife",
        event_at=datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC),
        referred_at=datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC),
    )
    assert NewReferralNotice.objects.get().referral == referral
    assert AuditEvent.objects.filter(verb="referral.created").count() == 1
