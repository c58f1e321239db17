"""A request from (or for) a young person under UK GDPR: to see what is held about them
(Article 15), to have it corrected (Article 16) or erased (Article 17).

The one-month clock runs from the day the request was received (one calendar month, as the
ICO counts it), and may be extended by up to two further months with a reason. Gathering
stores what was found as rows (GatheredItem) so that a reviewer can redact third parties
before the bundle is produced; the bundle is built from those rows, downloaded once.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from vru.fields import EncryptedCharField, EncryptedTextField
from vru.models.scoping import PartnershipQuerySet

REDACTED = "[redacted]"
# what a reason written on a request reads once its period ended (a request extended keeps
# a reason: the database requires one)
CLEARED = "[removed at the end of its retention period]"
MAX_EXTENSION_MONTHS = 2


class SubjectAccessRequest(models.Model):
    class Kind(models.TextChoices):
        ACCESS = "access", "See what is held (subject access)"
        CORRECTION = "correction", "Correct what is held"
        ERASURE = "erasure", "Erase what is held"

    class Relationship(models.TextChoices):
        SELF = "self", "The young person themselves"
        PARENT = "parent", "Parent or carer"
        REPRESENTATIVE = "representative", "Solicitor, advocate or other representative"
        OTHER = "other", "Someone else, with the young person's authority"

    class IdentityCheck(models.TextChoices):
        PHOTO_ID = "photo_id", "Photo identification seen"
        KNOWN_WORKER = "known_worker", "Known in person to their worker"
        PARENTAL = "parental", "Parent's identification and parental responsibility seen"
        AUTHORITY = "authority", "Signed authority from the young person seen"
        OTHER = "other", "Other (described below)"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        GATHERING = "gathering", "Gathering records"
        IN_REVIEW = "in_review", "In review"
        SENT = "sent", "Sent"
        REFUSED = "refused", "Refused"
        CLOSED = "closed", "Closed"

    OPEN_STATUSES = (Status.RECEIVED, Status.GATHERING, Status.IN_REVIEW)
    ANSWERED_STATUSES = (Status.SENT, Status.REFUSED, Status.CLOSED)
    # how a request may move on (services.requests does every move)
    ALLOWED_TRANSITIONS = {
        Status.RECEIVED: {Status.GATHERING, Status.REFUSED, Status.CLOSED},
        Status.GATHERING: {Status.IN_REVIEW, Status.RECEIVED},
        Status.IN_REVIEW: {Status.SENT, Status.GATHERING, Status.REFUSED, Status.CLOSED},
        Status.SENT: set(),
        Status.REFUSED: set(),
        Status.CLOSED: set(),
    }

    partnership = models.ForeignKey(
        "vru.Partnership", on_delete=models.PROTECT, related_name="subject_access_requests"
    )
    young_person = models.ForeignKey(
        "programmes.YoungPerson", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ACCESS)
    # who asked: personal data of its own, encrypted at rest like the identity
    requester_name = EncryptedCharField(max_length=200)
    relationship = models.CharField(max_length=14, choices=Relationship.choices)
    identity_check = models.CharField(max_length=12, choices=IdentityCheck.choices)
    # may describe the documents seen (a passport's number): encrypted like who asked
    identity_check_notes = EncryptedTextField(blank=True)
    details = EncryptedTextField(
        blank=True, help_text="What was asked for, in the requester's words where possible."
    )
    received_on = models.DateField()
    due_on = models.DateField()
    extended_months = models.PositiveSmallIntegerField(default=0)
    extension_reason = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    outcome_reason = models.TextField(
        blank=True, help_text="Why the request was refused or closed, or what was done."
    )
    # gathering (a Celery task, progress saved as it goes)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_step = models.CharField(max_length=200, blank=True)
    # when the gathering last moved on; with no move for VRU_SAR_GATHER_STALL_MINUTES the
    # gathering is stalled (its worker died) and is handed over again
    progress_at = models.DateTimeField(null=True, blank=True, editable=False)
    # each hand-over of the gathering is a new attempt; an earlier attempt still running
    # finds itself superseded at its next step and stops (services.gather)
    gather_attempt = models.PositiveIntegerField(default=0, editable=False)
    gathered_at = models.DateTimeField(null=True, blank=True)
    gathered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    gather_error = models.TextField(blank=True)
    # the bundle: downloaded once
    downloaded_at = models.DateTimeField(null=True, blank=True)
    downloaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # retention (rights.services.request_retention): the gathered copy goes VRU_SAR_COPY_DAYS
    # after the answer; who asked, their words, the identity check and the reasons written
    # here go at the register's RIGHTS_REQUEST period. Dates and status stay.
    copy_deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    details_cleared_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["partnership", "status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(extended_months__lte=MAX_EXTENSION_MONTHS),
                name="sar_extension_at_most_two_months",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="sar_progress"),
            models.CheckConstraint(
                condition=Q(extended_months=0) | ~Q(extension_reason=""),
                name="sar_extension_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Request {self.pk} ({self.get_kind_display().split(' (')[0].lower()})"

    def get_absolute_url(self) -> str:
        return reverse("rights:request_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.extended_months and not self.extension_reason.strip():
            raise ValidationError(
                {"extension_reason": "Enter why the request needs longer."}, code="required"
            )

    @staticmethod
    def due_for(received_on, extended_months: int = 0):
        """One calendar month from receipt, plus any extension (ICO: up to two months)."""
        return received_on + relativedelta(months=1 + extended_months)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def stalled(self, now) -> bool:
        """Gathering with no progress for longer than the setting allows."""
        if self.status != self.Status.GATHERING:
            return False
        limit = timedelta(minutes=settings.VRU_SAR_GATHER_STALL_MINUTES)
        return self.progress_at is None or self.progress_at < now - limit

    def overdue(self, today) -> bool:
        return self.is_open and self.due_on < today

    def days_left(self, today) -> int:
        return (self.due_on - today).days


class GatheredItem(models.Model):
    """One fact found about the young person: which kind, from which record, which field,
    and its text (decrypted from its source, encrypted again here at rest)."""

    class Kind(models.TextChoices):
        IDENTITY = "identity", "Identity"
        REFERRAL = "referral", "Referrals"
        CONTACT = "contact", "Contacts and notes"
        OUTCOME = "outcome", "Outcomes"
        SESSION = "session", "Sessions attended"
        OUTCOME_SCORE = "outcome_score", "Outcome scores"
        LISTENING = "listening", "Listening responses"
        DISCLOSURE = "disclosure", "Disclosures made to other organisations"
        IDENTITY_READ = "identity_read", "Who viewed the identity"

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=14, choices=Kind.choices)
    source_label = models.CharField(max_length=120)
    source_id = models.CharField(max_length=40, blank=True)
    field = models.CharField(max_length=80)
    text = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="gathered_item_position")
        ]

    def __str__(self) -> str:
        return f"{self.source_label} {self.source_id}: {self.field}"


class Redaction(models.Model):
    """A span of an item (or, with no span, the whole item) replaced by "[redacted]" in the
    bundle, with the reviewer's reason (a third party's name, harm to someone ...)."""

    item = models.ForeignKey(GatheredItem, on_delete=models.CASCADE, related_name="redactions")
    span = EncryptedTextField(blank=True, help_text="Empty: the whole item.")
    reason = models.TextField()
    redacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    redacted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="redaction_has_reason")]

    def __str__(self) -> str:
        return f"Redaction on item {self.item_id}"


def redacted_text(text: str, redactions) -> str:
    """The item's text as the bundle shows it: each redacted span (all its occurrences, any
    case) replaced by "[redacted]"; a whole-item redaction replaces everything."""
    import re

    for redaction in redactions:
        if not redaction.span:
            return REDACTED
        text = re.sub(re.escape(redaction.span), REDACTED, text, flags=re.IGNORECASE)
    return text
