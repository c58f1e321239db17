"""Outbox handlers: the work programmes' services enqueue (vru.services.outbox), done once.

Thin doors like tasks: each takes the message (ids only) and calls a service.
"""

from programmes import services
from programmes.services.break_glass import BREAK_GLASS_NOTIFICATION
from programmes.services.imports.service import REFERRAL_IMPORT_RUN, referral_import_job_hand_over
from programmes.services.referrals import REFERRAL_CREATED
from programmes.services.sla import BREACH_NOTIFICATION, RETENTION_RUN
from vru.models import OutboxMessage
from vru.services.outbox import handler


@handler(REFERRAL_CREATED)
def referral_created(message: OutboxMessage) -> None:
    services.referral_created_notify(referral_id=message.target_id)


@handler(BREACH_NOTIFICATION)
def breach_notification(message: OutboxMessage) -> None:
    services.breach_notification_send(notification_id=message.target_id)


@handler(RETENTION_RUN)
def retention_run(message: OutboxMessage) -> None:
    services.retention_anonymise()


@handler(BREAK_GLASS_NOTIFICATION)
def break_glass_notification(message: OutboxMessage) -> None:
    services.break_glass_notify(event_id=message.target_id)


@handler(REFERRAL_IMPORT_RUN)
def referral_import_run(message: OutboxMessage) -> None:
    referral_import_job_hand_over(job_id=message.target_id)
