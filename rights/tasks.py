"""Celery tasks of the rights app: they call services and nothing else."""

from celery import shared_task

from rights import services


@shared_task(acks_late=True)
def request_gather(request_id: int) -> None:
    """Gather one subject access request; its progress is saved as it goes."""
    services.request_gather(request_id=request_id)


@shared_task
def request_gathers_resume() -> int:
    """Hand every stalled gathering (its worker died) over again."""
    return services.request_gathers_resume()


@shared_task
def request_reminders() -> int:
    return services.request_reminders_enqueue()


@shared_task
def retention_apply() -> int:
    return services.retention_apply().pk
