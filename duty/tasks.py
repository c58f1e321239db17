"""Celery tasks of the Duty: they call services and nothing else."""

from celery import shared_task

from duty import services


@shared_task
def strategy_review_reminders() -> int:
    return services.strategy_review_reminders_enqueue()


@shared_task
def action_notices() -> int:
    return services.action_notices_enqueue()
