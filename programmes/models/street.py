"""Records made on a phone in the street (detached work) and sent later: which ones the
server has already stored, so a record sent twice, or again after a dropped connection, is
stored once."""

from django.conf import settings
from django.db import models

from programmes.models.sessions import DetachedContact, Session
from vru.fields import EncryptedTextField
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


class StreetDevice(models.Model):
    """A phone (a browser on it) the street-work page runs on, by the id the page made for it
    (not a secret), with the key pair its store is sealed with. The private half is kept here,
    encrypted at rest, and handed only to a signed-in session of the same user asking for this
    device, so the records on the phone outlive the signed-in session (an idle time-out does
    not lose them). Revoked (signing out on the phone, a password change, the user made
    inactive, an administrator), the phone is told the key is gone and deletes its store; a
    password the user changes themselves keeps the devices of the session they changed it
    from."""

    class Revoked(models.TextChoices):
        SIGNED_OUT = "signed_out", "Signed out on the phone"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        INACTIVE = "inactive", "User made inactive"
        ADMINISTRATOR = "administrator", "Revoked by an administrator"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="street_devices"
    )
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    device_id = models.UUIDField("id made on the phone", unique=True)
    private_key = EncryptedTextField(help_text="The private JWK (P-256), encrypted at rest.")
    # the user's session hash (from their password hash) when the key was made: a password
    # changed since ends the device, as it ends every signed-in session (a hash made again
    # for a new hasher, the password unchanged, stamps it again: street_devices_restamp)
    password_stamp = models.CharField(max_length=128)
    # a hash (SHA-256) of the secret kept by the signed-in session the key was last handed
    # to: a password the user changes themselves from that session keeps the device (the
    # phone in their hand)
    session_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_why = models.CharField(max_length=20, choices=Revoked.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Street-work phone {self.device_id} of {self.user}"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
