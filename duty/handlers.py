"""Outbox handlers: the work the Duty's services enqueue (vru.services.outbox), done once."""

from duty import services
from vru.models import OutboxMessage
from vru.services.outbox import handler


@handler(services.STRATEGY_REVIEW_DUE)
def strategy_review_due(message: OutboxMessage) -> None:
    services.strategy_review_reminder_send(strategy_id=message.target_id)


@handler(services.ACTION_NOTICE)
def action_notice(message: OutboxMessage) -> None:
    services.action_notice_send(action_id=message.target_id)
