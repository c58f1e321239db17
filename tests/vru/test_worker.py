"""Real Celery worker processes take work from the real Redis broker: an import job, and a
safeguarding alert on the urgent queue while a backlog of bulk work sits on the default one.

Runs whenever REDIS_URL is set (CI sets it, with PostgreSQL); on a laptop with no broker there
is no worker to test, and the rest of the suite runs tasks eagerly instead.
"""

import datetime
import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from kombu import Exchange, Queue

from tests.factories import LocalAuthorityFactory, PartnershipFactory
from vru import services, tasks
from vru.celery import app as celery_app
from vru.models import LSOA, ImportJob

pytestmark = [pytest.mark.slow, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
BACKLOG = 5000  # ordinary deliveries queued ahead of a safeguarding alert


def _database_url_for_worker() -> str:
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("A worker process needs a database it can open: set DATABASE_URL.")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


def _declare(queue: str) -> None:
    """Declare a queue before anything is sent to it: on Redis a message sent to a queue
    nobody has declared yet is routed nowhere and lost."""
    with celery_app.connection_for_write() as conn:
        Queue(queue, Exchange(queue), routing_key=queue)(conn.default_channel).declare()


def _waiting(queue: str) -> int:
    """How many messages wait on a queue (a Redis list)."""
    with celery_app.connection_for_write() as conn:
        return conn.default_channel.client.llen(queue)


def _forget(queue: str) -> None:
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)
        conn.default_channel.queue_delete(queue)


def _reroute() -> None:
    # Celery keeps its routes table and router once built: make the next send build them anew
    celery_app.amqp.flush_routes()
    celery_app.amqp.__dict__.pop("router", None)


@contextmanager
def tasks_routed_to(default_queue: str, urgent_queue: str | None = None):
    """This process sends its tasks to a test's own queues (nothing else listens there or left
    work there) instead of running them eagerly: ordinary work to `default_queue`, and what
    the settings route to the urgent queue (settings.CELERY_TASK_ROUTES) to `urgent_queue`
    (or to the default queue too)."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_default_queue, conf.task_routes
    conf.task_always_eager = False
    conf.task_default_queue = default_queue
    conf.task_routes = {
        name: {"queue": urgent_queue or default_queue} for name in settings.CELERY_TASK_ROUTES
    }
    _reroute()
    try:
        yield
    finally:
        conf.task_always_eager, conf.task_default_queue, conf.task_routes = saved
        _reroute()


@contextmanager
def worker_on(*queues: str, settings_module: str = "vru.settings", env: dict | None = None):
    """A worker process listening to these queues only, on this test's database."""
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "vru",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            ",".join(queues),
            "--loglevel=INFO",
        ],
        cwd=REPO,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DATABASE_URL": _database_url_for_worker(),
            "DJANGO_SECRET_KEY": "worker-test",
            "DJANGO_CONN_MAX_AGE": "0",
            **(env or {}),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    for queue in queues:
        _declare(queue)
    started = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until the worker listens
        line = worker.stdout.readline()
        started.append(line)
        if "ready." in line or not line:
            break
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        sys.stdout.write(("".join(started) + output)[-4000:])


def _test_queue(what: str = "") -> str:
    return f"test-{uuid.uuid4().hex[:12]}{what}"  # nothing else listens on it


@pytest.fixture
def broker():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("No broker configured (REDIS_URL): tasks run eagerly.")


@pytest.fixture
def worker_queue(broker):
    queue = _test_queue()
    with worker_on(queue), tasks_routed_to(queue):
        yield queue


def test_a_worker_process_runs_an_import_job_taken_from_redis(
    worker_queue, django_capture_on_commit_callbacks
):
    # given an LSOA file queued for import (its on-commit send held back)
    partnership = PartnershipFactory()
    local_authority = LocalAuthorityFactory(partnership=partnership, code="E07000066")
    content = (
        b"code,name,lsoa11_code,local_authority_code,population,imd_score,imd_decile\n"
        b"E01021237,Basildon 001A,E01021237,E07000066,1500,12.5,6\n"
        b"E01021238,Basildon 001B,E01021238,E07000066,1600,30.1,2\n"
    )
    with django_capture_on_commit_callbacks(execute=False):
        job = services.import_job_create(
            actor=None,
            partnership=partnership,
            kind=ImportJob.Kind.LSOAS,
            file_name="lsoas.csv",
            content=content,
        )
    assert settings.CELERY_BROKER_URL.startswith("redis://")

    # when the task goes through Redis to the worker process
    tasks.import_job_run.apply_async(args=[job.pk], queue=worker_queue)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in {ImportJob.Status.SUCCEEDED, ImportJob.Status.FAILED}:
            break
        time.sleep(0.5)

    # then the worker imported both rows into this test's database
    assert job.status == ImportJob.Status.SUCCEEDED, job.row_errors
    assert job.imported_rows == 2
    assert set(
        LSOA.objects.filter(local_authority=local_authority).values_list("code", flat=True)
    ) == {"E01021237", "E01021238"}


def test_a_safeguarding_alert_is_delivered_within_a_minute_while_bulk_work_sits_queued(
    broker, tmp_path, partnership, user_with_role
):
    """The urgent queue has a worker of its own; the default queue has a backlog of thousands
    of deliveries and no free worker (as when every bulk worker is busy with an import)."""
    from evaluation import services as evaluation_services
    from evaluation.models import SafeguardingAlert, SafeguardingContact
    from tests.evaluation.factories import ListeningExerciseFactory
    from vru.models import Role

    lead = user_with_role(Role.ADMINISTRATOR, email="dsl@example.org")
    SafeguardingContact.objects.create(partnership=partnership, user=lead)
    exercise = ListeningExerciseFactory(partnership=partnership)
    default, urgent = _test_queue(), _test_queue("-urgent")
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    _declare(default)
    try:
        with (
            worker_on(
                urgent,
                settings_module="tests.vru.worker_settings",
                env={"VRU_TEST_MAIL_DIR": str(mail_dir)},
            ),
            tasks_routed_to(default, urgent),
        ):
            # given a backlog of ordinary deliveries on the default queue
            for _ in range(BACKLOG):
                tasks.outbox_deliver.apply_async(args=[0])
            assert _waiting(default) == BACKLOG

            # when a young person's response is recorded with a safeguarding concern
            started = time.monotonic()
            response = evaluation_services.response_record(
                actor=None,
                exercise=exercise,
                responded_on=datetime.date(2023, 1, 10),
                age_band="14_15",
                question="What would make you feel safer?",
                words="Lights by the station.",
                safeguarding_concern=True,
            )

            # then its alert is e-mailed within a minute, the backlog still waiting
            alert = SafeguardingAlert.objects.get(response=response)
            while time.monotonic() - started < 60:
                alert.refresh_from_db()
                if alert.notified_at is not None:
                    break
                time.sleep(0.25)
            took = time.monotonic() - started
            assert alert.notified_at is not None, "no alert within a minute"
            assert _waiting(default) == BACKLOG
            sys.stdout.write(f"alert e-mailed {took:.1f} s after it was raised\n")
        assert len(list(mail_dir.glob("sent-*.json"))) == 1
    finally:
        _forget(default)
