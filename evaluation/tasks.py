from celery import shared_task

from evaluation import services


@shared_task(acks_late=True)
def safeguarding_alert_send(alert_id: int) -> None:
    services.safeguarding_alert_send(alert_id=alert_id)


@shared_task
def safeguarding_alerts_resend_unsent() -> int:
    return services.safeguarding_alerts_resend_unsent()


@shared_task(acks_late=True)
def report_impact_build(report_id: int) -> None:
    """Build one impact report (routed to the "reports" queue by CELERY_TASK_ROUTES)."""
    services.impact_report_build(report_id=report_id)
