from celery import shared_task

from vru import services
from vru.services import outbox


@shared_task(acks_late=True)
def outbox_deliver(message_id: int) -> bool:
    """Do one outbox message's work, once (the id only travels through the broker)."""
    return outbox.deliver(message_id=message_id)


@shared_task(acks_late=True)
def outbox_deliver_urgent(message_id: int) -> bool:
    """The same for urgent work (safeguarding alerts, break-glass notices): routed to the
    urgent queue (settings.CELERY_TASK_ROUTES), whose worker bulk work never holds up."""
    return outbox.deliver(message_id=message_id)


@shared_task(acks_late=True)
def outbox_relay() -> int:
    """Every few seconds (beat): hand due outbox messages to the broker."""
    return outbox.relay()


@shared_task(acks_late=True)
def outbox_purge() -> int:
    """Daily (beat): delete messages done long ago."""
    return outbox.purge_done()


@shared_task(acks_late=True)
def import_job_run(job_id: int) -> str:
    return services.import_job_run(job_id=job_id).status


@shared_task(acks_late=True)
def import_checks_expire() -> int:
    """Hourly (beat): forget the files of import checks nobody confirmed in time."""
    return services.import_checks_expire()


@shared_task(acks_late=True)
def risk_run_compute(run_id: int) -> str:
    return services.risk_run_compute(run_id=run_id).status


@shared_task(acks_late=True)
def area_profiles_generate(partnership_id: int, month: str) -> int:
    from datetime import date

    from vru.models import Partnership

    return services.area_profiles_generate(
        actor=None,
        partnership=Partnership.objects.get(pk=partnership_id),
        month=date.fromisoformat(month),
    )


@shared_task(acks_late=True)
def area_profiles_generate_latest() -> int:
    return services.area_profiles_generate_latest()


@shared_task(acks_late=True)
def hotspots_compute_all(partnership_id: int, alpha: float) -> int:
    from vru.models import Partnership

    found = services.hotspots_compute_all(
        actor=None, partnership=Partnership.objects.get(pk=partnership_id), alpha=alpha
    )
    return sum(found.values())


@shared_task(acks_late=True)
def field_keys_rotate() -> int:
    """Key rotation on a worker: batches (of the service's default size) with their progress
    recorded (KeyRotation); a worker stopped halfway leaves the run to resume where it got
    to. No arguments: a task takes ids only (nothing but ids goes through the broker)."""
    return services.field_keys_rotate().total_rows
