"""Celery tasks: thin, ids only, idempotent (the services check state before acting).

There is no per-referral task at the due time: an ETA beyond the broker's visibility timeout
is delivered twice (or held), so the beat sweep (every minute) finds breaches from database
state instead.
"""

from smtplib import SMTPException

from celery import shared_task

from programmes import services


@shared_task(acks_late=True)
def referral_sla_sweep() -> int:
    """Every minute: find every breach from database state, notify each once, and send again
    any notification whose e-mail was lost."""
    return len(services.breaches_notify())


@shared_task(
    acks_late=True,
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=5,
)
def breach_notification_send(notification_id: int) -> bool:
    return services.breach_notification_send(notification_id=notification_id)


@shared_task(acks_late=True)
def retention_sweep() -> int:
    """Daily: anonymise closed cases whose retention period has ended."""
    return services.retention_anonymise().referrals_anonymised


@shared_task(acks_late=True)
def referral_import_run(job_id: int) -> str:
    """Check and load a queued custody spreadsheet (progress on the job)."""
    return services.referral_import_job_run(job_id=job_id).status
