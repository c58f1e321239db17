"""Outbox handlers: the work grants' services enqueue (vru.services.outbox), done once."""

from grants import services
from grants.services.decisions import DECISION_LETTER
from vru.models import OutboxMessage
from vru.services.outbox import handler


@handler(DECISION_LETTER)
def decision_letter(message: OutboxMessage) -> None:
    services.decision_letter_send(decision_id=message.target_id)
