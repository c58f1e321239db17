from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    """Work that must happen, written in the same transaction as the change that needs it.

    The relay (vru.services.outbox.relay, a beat task every few seconds) hands due messages to
    Celery; the worker runs the kind's handler and marks the message done in the handler's
    transaction. Only a kind and ids are stored (and sent to the broker): never personal data.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent to the queue"
        SENT = "sent", "Sent to the queue"
        DONE = "done", "Done"
        DEAD = "dead", "Dead letter: gave up after repeated failures"

    kind = models.CharField(
        max_length=80, help_text='What to do, e.g. "evaluation.safeguarding_alert".'
    )
    target_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The id of the record the work is about."
    )
    partnership = models.ForeignKey(
        "vru.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for platform-wide jobs (retention runs).",
    )
    idempotency_key = models.CharField(
        max_length=200, unique=True, help_text="The same work is enqueued once."
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Failed deliveries so far (the handler raised or was lost)."
    )
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(
        null=True, blank=True, help_text="Last handed to the queue (Celery)."
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="vru_outbox_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "sent", "done", "dead"]),
                name="vru_outbox_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(done_at__isnull=False),
                name="vru_outbox_done_has_time",
            ),
        ]

    def __str__(self) -> str:
        target = f" #{self.target_id}" if self.target_id is not None else ""
        return f"{self.kind}{target} ({self.get_status_display()})"
