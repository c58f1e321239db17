"""Records made on a phone in the street (detached work) and sent later: which ones the
server has already stored, so a record sent twice, or again after a dropped connection, is
stored once."""

from django.conf import settings
from django.db import models

from programmes.models.sessions import DetachedContact, Session
from vru.models import Partnership


class StreetRecord(models.Model):
    """One record the phone made (a session, or an anonymous contact on one), by the id the
    phone gave it. The record itself is an ordinary Session or DetachedContact, made by the
    same service (and the same rules) as the pages'."""

    class Kind(models.TextChoices):
        SESSION = "session", "Session"
        CONTACT = "contact", "Anonymous contact"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    client_id = models.UUIDField("id made on the phone")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="street_records"
    )
    contact = models.ForeignKey(
        DetachedContact,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="street_records",
    )
    made_at = models.DateTimeField(help_text="When the record was made on the phone.")
    received_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-made_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "client_id"], name="street_record_once_a_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.client_id}"
