"""The transactional outbox: work that must happen survives a broker outage.

A service that needs work done (an e-mail, a retention run) calls `enqueue` inside its own
transaction, so the OutboxMessage row commits or rolls back with the change. After commit the
message is handed to Celery at once if the broker answers (the fast path); if it does not, the
relay (`relay`, a beat task every few seconds) hands it over later. The worker's task
(`vru.tasks.outbox_deliver`, ids only) calls `deliver`, which locks the message row, runs the
kind's handler and marks the message done in the same transaction: a message delivered twice
(the relay published it again, a killed worker's task was redelivered) does its work once.
A handler that raises is retried with exponential backoff and becomes a dead letter after
`VRU_OUTBOX_MAX_ATTEMPTS` failures; administrators see dead letters in the admin and retry them.

Handlers live in each app's `handlers.py` (found like admin modules) and register with
`@handler("app.kind")`; vru imports no other app. Urgent kinds (`@handler(..., urgent=True)`:
safeguarding alerts, break-glass notices) are delivered by a task of their own on the urgent
queue (settings.CELERY_TASK_ROUTES), and the relay hands them over before anything else, so
a flood of ordinary work never holds them up.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from vru import permissions
from vru.models import AuditEvent, OutboxMessage, Partnership, User
from vru.services import queue
from vru.services.audit import audit_record
from vru.services.batches import deleted_in_batches

logger = logging.getLogger(__name__)

Handler = Callable[[OutboxMessage], None]
_HANDLERS: dict[str, Handler] = {}
_URGENT: set[str] = set()
_discovered = False

DELIVER = "vru.tasks.outbox_deliver"
DELIVER_URGENT = "vru.tasks.outbox_deliver_urgent"  # routed to the urgent queue


def handler(kind: str, *, urgent: bool = False) -> Callable[[Handler], Handler]:
    """Register the function that does a kind's work. It must be idempotent and take only
    the message (its `target_id`); it runs inside the transaction that marks the message done.
    `urgent` work (someone may be at risk) goes through the urgent queue, ahead of the rest."""

    def register(function: Handler) -> Handler:
        _HANDLERS[kind] = function
        if urgent:
            _URGENT.add(kind)
        else:
            _URGENT.discard(kind)
        return function

    return register


def urgent_kinds() -> frozenset[str]:
    handlers()
    return frozenset(_URGENT)


def delivery_task(kind: str) -> str:
    """The task that delivers a message of this kind (by name: vru.services.queue)."""
    return DELIVER_URGENT if kind in urgent_kinds() else DELIVER


def handlers() -> dict[str, Handler]:
    global _discovered
    if not _discovered:
        autodiscover_modules("handlers")
        _discovered = True
    return _HANDLERS


def max_attempts() -> int:
    return settings.VRU_OUTBOX_MAX_ATTEMPTS


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` failures: doubling from the base, capped."""
    base = settings.VRU_OUTBOX_BACKOFF_SECONDS
    return timedelta(
        seconds=min(base * 2 ** max(attempts - 1, 0), settings.VRU_OUTBOX_BACKOFF_MAX_SECONDS)
    )


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:1000]


def enqueue(
    *,
    kind: str,
    target_id: int | None = None,
    partnership: Partnership | None = None,
    partnership_id: int | None = None,
    key: str | None = None,
) -> OutboxMessage:
    """Record work that must happen, in the caller's transaction (it commits or rolls back
    with the change). The same key is enqueued once: the existing message is returned."""
    if kind not in handlers():
        raise ValueError(f"No outbox handler for {kind!r}.")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("enqueue() belongs inside the transaction of the change it follows.")
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=key or f"{kind}:{target_id}",
        defaults={
            "kind": kind,
            "target_id": target_id,
            "partnership_id": partnership.pk if partnership is not None else partnership_id,
        },
    )
    if created:
        transaction.on_commit(partial(publish_now, message_id=message.pk, kind=kind))
    return message


def _publish(message_id: int, kind: str) -> None:
    """Hand one message to the broker: its id only, to its kind's queue. Fails fast when the
    broker is down."""
    queue.run_later(delivery_task(kind), message_id)


def publish_now(*, message_id: int, kind: str | None = None) -> bool:
    """The fast path after commit: hand the message over at once if the broker answers.
    Never raises: if the broker is down the message stays pending for the relay."""
    claimed = OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.PENDING)
    if not claimed.update(status=OutboxMessage.Status.SENT, sent_at=timezone.now()):
        return False
    if kind is None:
        kind = OutboxMessage.objects.filter(pk=message_id).values_list("kind", flat=True).first()
    try:
        _publish(message_id, kind or "")
    except Exception as error:  # the broker is down: the relay will send it
        OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.SENT).update(
            status=OutboxMessage.Status.PENDING, last_error=_describe(error)
        )
        logger.warning("outbox message %s left for the relay: %s", message_id, _describe(error))
        return False
    return True


def relay(*, now: datetime | None = None, limit: int = 500) -> int:
    """Hand every due message to the broker; returns how many were handed over.

    Due: pending and past its next attempt time, or sent so long ago (longer than
    `VRU_OUTBOX_REQUEUE_AFTER_SECONDS`) without being done that its delivery was lost (this
    counts as a failed attempt). Urgent kinds first, however many ordinary messages wait.
    Rows are claimed with SKIP LOCKED so two relays never take the same message. A broker that
    does not answer ends the sweep; the next one tries again.
    """
    now = now or timezone.now()
    lost_before = now - timedelta(seconds=settings.VRU_OUTBOX_REQUEUE_AFTER_SECONDS)
    handed_over = 0
    urgent = urgent_kinds()
    with transaction.atomic():
        waiting = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
                | Q(status=OutboxMessage.Status.SENT, sent_at__lt=lost_before)
            )
            .order_by("next_attempt_at", "pk")
        )
        due = list(waiting.filter(kind__in=urgent)[:limit])
        due += list(waiting.exclude(kind__in=urgent)[: limit - len(due)])
        for message in due:
            if message.status == OutboxMessage.Status.SENT:
                message.attempts += 1
                message.last_error = "Sent to the queue but not done in time: sent again."
                if message.attempts >= max_attempts():
                    _mark_dead(message)
                    continue
            message.status = OutboxMessage.Status.SENT
            message.sent_at = now
            message.save(update_fields=["status", "sent_at", "attempts", "last_error"])
            try:
                _publish(message.pk, message.kind)
            except Exception as error:  # the broker is down: stop, try again next sweep
                OutboxMessage.objects.filter(
                    pk=message.pk, status=OutboxMessage.Status.SENT
                ).update(status=OutboxMessage.Status.PENDING, last_error=_describe(error))
                logger.warning("outbox relay stopped, broker unavailable: %s", _describe(error))
                break
            handed_over += 1
    return handed_over


def _mark_dead(message: OutboxMessage) -> None:
    message.status = OutboxMessage.Status.DEAD
    message.save(update_fields=["status", "attempts", "last_error"])
    logger.error(
        "outbox message %s (%s) is a dead letter after %s attempts: %s",
        message.pk,
        message.kind,
        message.attempts,
        message.last_error,
    )


def deliver(*, message_id: int) -> bool:
    """Do one message's work, once. Called by the worker's task with the id only.

    The message row stays locked while its handler runs, and the handler's effects and the
    "done" mark commit together: a second delivery waits, then finds it done. A handler that
    raises rolls its effects back and the message is retried later (or dead-lettered).
    Returns whether the work was done by this call.
    """
    registry = handlers()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status in {
            OutboxMessage.Status.DONE,
            OutboxMessage.Status.DEAD,
        }:
            return False
        now = timezone.now()
        try:
            with transaction.atomic():
                registry[message.kind](message)
        except Exception as error:
            message.attempts += 1
            message.last_error = _describe(error)
            if message.attempts >= max_attempts():
                _mark_dead(message)
            else:
                message.status = OutboxMessage.Status.PENDING
                message.next_attempt_at = now + backoff(message.attempts)
                message.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
                logger.warning(
                    "outbox message %s (%s) failed, attempt %s: %s",
                    message.pk,
                    message.kind,
                    message.attempts,
                    message.last_error,
                )
            return False
        message.status = OutboxMessage.Status.DONE
        message.done_at = now
        message.save(update_fields=["status", "done_at"])
    return True


@transaction.atomic
def retry(*, actor: User, messages: Iterable[OutboxMessage]) -> int:
    """An administrator sends dead letters again (with a fresh set of attempts): their own
    partnership's, and platform-wide jobs (which carry no personal data)."""
    if not permissions.can_manage_outbox(actor):
        raise PermissionDenied("You cannot retry queued work.")
    ids = [m.pk for m in messages]
    retried = list(
        OutboxMessage.objects.select_for_update()
        .filter(pk__in=ids, status=OutboxMessage.Status.DEAD)
        .filter(Q(partnership_id=actor.partnership_id) | Q(partnership__isnull=True))
    )
    for message in retried:
        message.status = OutboxMessage.Status.PENDING
        message.attempts = 0
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            verb="outbox_message.retried",
            target=message,
            partnership=actor.partnership,
            changes={"kind": message.kind, "last_error": message.last_error[:200]},
        )
        transaction.on_commit(partial(publish_now, message_id=message.pk, kind=message.kind))
    return len(retried)


def purge_done(*, now: datetime | None = None) -> int:
    """Daily: delete messages done longer ago than `VRU_OUTBOX_KEEP_DONE_DAYS` (their effects
    have their own records and audit events); dead letters stay until retried. A committed
    batch at a time (vru.services.batches: every alert, notice and letter leaves a message),
    audited once with what was deleted, even when a later batch failed."""
    now = now or timezone.now()
    before = now - timedelta(days=settings.VRU_OUTBOX_KEEP_DONE_DAYS)
    done = OutboxMessage.objects.filter(status=OutboxMessage.Status.DONE, done_at__lt=before)
    deleted = 0
    try:
        for batch in deleted_in_batches(done):
            deleted += batch
    finally:
        if deleted:
            audit_record(
                actor=None,
                action=AuditEvent.Action.DELETE,
                verb="outbox_message.purged",
                changes={"deleted": deleted, "done_before": before.isoformat()},
            )
    return deleted
