from celery import shared_task

from evaluation import services


@shared_task(acks_late=True)
def report_impact_build(report_id: int) -> None:
    """Build one impact report; its progress is saved as it goes (see services.reports)."""
    services.impact_report_build(report_id=report_id)


@shared_task
def impact_reports_resume_stale() -> int:
    return services.impact_reports_resume_stale()
