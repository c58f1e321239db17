"""Outbox handlers: the work evaluation's services enqueue (vru.services.outbox), done once."""

from evaluation import services
from evaluation.services.listening import SAFEGUARDING_ALERT
from vru.models import OutboxMessage
from vru.services.outbox import handler


@handler(SAFEGUARDING_ALERT)
def safeguarding_alert(message: OutboxMessage) -> None:
    services.safeguarding_alert_send(alert_id=message.target_id)
