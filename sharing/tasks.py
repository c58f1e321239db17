"""Celery tasks of information sharing: they call services and nothing else."""

from celery import shared_task

from sharing import services


@shared_task
def agreement_review_reminders() -> int:
    return services.review_reminders_enqueue()
