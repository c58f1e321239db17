"""Celery is configured so that a task survives its worker's death and runs at most as long
as the broker waits before handing it out again (docs/reliability.md), and tasks carry ids only."""

import inspect
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import autodiscover_modules

from vru.celery import app

ROOT = Path(__file__).resolve().parents[2]
# Every app of the project (a top-level package with an apps.py), not a list to keep up to date
OUR_APPS = tuple(sorted(f"{path.parent.name}." for path in ROOT.glob("*/apps.py")))


def our_tasks():
    autodiscover_modules("tasks")  # every app's tasks module, as the worker finds them
    return {name: task for name, task in app.tasks.items() if name.startswith(OUR_APPS)}


def test_a_task_is_acknowledged_after_it_runs_and_requeued_if_its_worker_dies():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.worker_cancel_long_running_tasks_on_connection_loss is True
    assert app.conf.worker_soft_shutdown_timeout > 0


def test_time_limits_are_below_the_visibility_timeout_which_is_set_explicitly():
    visibility_timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]

    assert app.conf.broker_transport_options["visibility_timeout"] == visibility_timeout
    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit < visibility_timeout
    for name, task in our_tasks().items():
        assert task.acks_late is not False, name
        assert (task.time_limit or app.conf.task_time_limit) < visibility_timeout, name
        assert (task.soft_time_limit or app.conf.task_soft_time_limit) < visibility_timeout, name


def test_a_lost_outbox_message_is_sent_again_only_after_its_task_could_have_finished():
    assert app.conf.task_time_limit < settings.VRU_OUTBOX_REQUEUE_AFTER_SECONDS
    assert settings.VRU_OUTBOX_MAX_ATTEMPTS >= 3


def test_publishing_fails_fast_when_the_broker_is_down():
    options = app.conf.broker_transport_options

    assert options["max_retries"] <= 3
    assert options["interval_max"] <= 1


def test_tasks_take_ids_only():
    """No personal data in the broker: a task's arguments are ids and plain values."""
    tasks = our_tasks()
    assert {"vru.tasks.outbox_deliver", "vru.tasks.outbox_relay"} <= set(tasks)
    for name, task in tasks.items():
        for parameter in inspect.signature(task.run).parameters.values():
            assert parameter.annotation in {int, float, str}, (name, parameter.name)
            if parameter.annotation is int:
                assert parameter.name.endswith("_id"), (name, parameter.name)


def test_the_outbox_relay_runs_every_few_seconds_and_nothing_sends_around_it():
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }

    assert schedule["vru.tasks.outbox_relay"] <= 15
    assert not any("resend" in task for task in schedule)  # one way to retry: the outbox
