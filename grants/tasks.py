"""Celery tasks: thin, ids only, idempotent; each calls a service. Decision letters go
through the outbox (grants/handlers.py)."""

from celery import shared_task

from grants import services


@shared_task
def send_panel_reminders() -> int:
    return services.panel_reminders_send()


@shared_task
def send_overdue_return_reminders() -> int:
    return services.overdue_return_reminders_send()
