"""Outbox handlers: the work evaluation's services enqueue (vru.services.outbox), done once."""

from evaluation import services
from evaluation.services.listening import SAFEGUARDING_ALERT
from evaluation.services.reports import IMPACT_REPORT_BUILD
from vru.models import OutboxMessage
from vru.services.outbox import handler


@handler(SAFEGUARDING_ALERT, urgent=True)
def safeguarding_alert(message: OutboxMessage) -> None:
    services.safeguarding_alert_send(alert_id=message.target_id)


@handler(IMPACT_REPORT_BUILD)
def impact_report_build(message: OutboxMessage) -> None:
    services.impact_report_build_schedule(report_id=message.target_id)
