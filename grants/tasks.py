"""Celery tasks: thin, ids only, idempotent; each calls a service."""

from celery import shared_task

from grants import services


@shared_task
def send_decision_letter(decision_id: int) -> bool:
    return services.decision_letter_send(decision_id=decision_id)


@shared_task
def send_panel_reminders() -> int:
    return services.panel_reminders_send()


@shared_task
def send_overdue_return_reminders() -> int:
    return services.overdue_return_reminders_send()
