"""A real Celery worker process consumes an import job from the real Redis broker.

Runs whenever REDIS_URL is set (CI sets it, with PostgreSQL); on a laptop with no broker there
is no worker to test, and the rest of the suite runs tasks eagerly instead.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from kombu import Exchange, Queue

from tests.factories import LocalAuthorityFactory, PartnershipFactory
from vru import services, tasks
from vru.celery import app as celery_app
from vru.models import LSOA, ImportJob

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]


def _database_url_for_worker() -> str:
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("A worker process needs a database it can open: set DATABASE_URL.")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def worker_queue():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("No broker configured (REDIS_URL): tasks run eagerly.")
    queue = f"test-{uuid.uuid4().hex[:12]}"  # nothing else listens on it or left work on it
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vru.settings",
        "DATABASE_URL": _database_url_for_worker(),
        "DJANGO_SECRET_KEY": "worker-test",
        "DJANGO_CONN_MAX_AGE": "0",
    }
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
            queue,
            "--loglevel=INFO",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # Declare the queue before anything is sent to it: on Redis a message sent to a queue
    # nobody has declared yet is routed nowhere and lost.
    with celery_app.connection_for_write() as conn:
        Queue(queue, Exchange(queue), routing_key=queue)(conn.default_channel).declare()
    started = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until the worker listens
        line = worker.stdout.readline()
        started.append(line)
        if "ready." in line or not line:
            break
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        celery_app.conf.task_always_eager = eager
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        sys.stdout.write(("".join(started) + output)[-4000:])


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
