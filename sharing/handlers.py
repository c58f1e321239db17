"""Outbox handlers: the work the sharing services enqueue (vru.services.outbox), done once."""

from sharing import services
from vru.models import OutboxMessage
from vru.services.outbox import handler


@handler(services.REVIEW_DUE)
def agreement_review_due(message: OutboxMessage) -> None:
    services.review_reminder_send(agreement_id=message.target_id)
