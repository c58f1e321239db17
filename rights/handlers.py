"""Outbox handlers: the work the rights services enqueue (vru.services.outbox), done once."""

from rights import services
from vru.models import OutboxMessage
from vru.services.outbox import handler


@handler(services.REQUEST_DUE)
def request_due(message: OutboxMessage) -> None:
    services.request_reminder_send(request_id=message.target_id)
