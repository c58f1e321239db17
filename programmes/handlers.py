"""Outbox handlers: the work programmes' services enqueue (vru.services.outbox), done once.

Thin doors like tasks: each takes the message (ids only) and calls a service.
"""

from programmes import services
from programmes.models import NewReferralNotice, Referral
from programmes.services.break_glass import BREAK_GLASS_NOTIFICATION
from programmes.services.imports.service import REFERRAL_IMPORT_RUN, referral_import_job_hand_over
from programmes.services.notices import NOTICE_DIGEST
from programmes.services.referrals import REFERRAL_CREATED
from programmes.services.sla import BREACH_NOTIFICATION, RETENTION_RUN
from vru.models import OutboxMessage
from vru.services.outbox import handler


@handler(NOTICE_DIGEST)
def notice_digest(message: OutboxMessage) -> None:
    services.notice_digest_send(digest_id=message.target_id)


@handler(REFERRAL_CREATED)
def referral_created(message: OutboxMessage) -> None:
    """A message from before digests: the referral goes into the next sweep's digests."""
    referral = Referral.objects.filter(pk=message.target_id, historical=False).first()
    if referral is not None:
        NewReferralNotice.objects.get_or_create(referral=referral)


@handler(BREACH_NOTIFICATION)
def breach_notification(message: OutboxMessage) -> None:
    """A message from before digests: nothing to do here, as its breach (noted, not yet
    digested) goes into the next sweep's digests, which need nothing from this message."""


@handler(RETENTION_RUN)
def retention_run(message: OutboxMessage) -> None:
    services.retention_anonymise()


@handler(BREAK_GLASS_NOTIFICATION, urgent=True)
def break_glass_notification(message: OutboxMessage) -> None:
    services.break_glass_notify(event_id=message.target_id)


@handler(REFERRAL_IMPORT_RUN)
def referral_import_run(message: OutboxMessage) -> None:
    referral_import_job_hand_over(job_id=message.target_id)
