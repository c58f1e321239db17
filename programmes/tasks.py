"""Celery tasks: thin, ids only, idempotent (the services check state before acting).

There is no per-referral task at the due time: an ETA beyond the broker's visibility timeout
is delivered twice (or held), so the beat sweep (every minute) finds breaches from database
state instead. The e-mails and the retention run itself go through the outbox
(programmes/handlers.py), which retries them with backoff and keeps dead letters.
"""

from celery import shared_task

from programmes import services


@shared_task(acks_late=True)
def referral_sla_sweep() -> int:
    """Every minute: note new breaches, and tell each person of their waiting cases in one
    digest (new referrals, missed contact targets)."""
    return len(services.notices_sweep())


@shared_task(acks_late=True)
def retention_sweep() -> int:
    """Daily: enqueue today's retention run (anonymise closed cases past their retention)."""
    return services.retention_schedule()


@shared_task(acks_late=True)
def referral_import_run(job_id: int) -> str:
    """Check and load a queued custody spreadsheet (progress on the job)."""
    return services.referral_import_job_run(job_id=job_id).status
