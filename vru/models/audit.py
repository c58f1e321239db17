from django.conf import settings
from django.db import models

from vru.models.scoping import PartnershipQuerySet


class AuditEvent(models.Model):
    """One thing that happened: a create, update or delete, or a read of personal data.

    Written only by services (vru.services.audit_record); never deleted by the app, and updated
    only by the sign-in records' retention (vru.services.sign_in_records_expire), which clears
    the address and browser of entries older than its period.
    """

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"
        VIEW = "view", "Viewed personal data"
        IMPORT = "import", "Imported"
        EXPORT = "export", "Exported"
        SIGN_IN = "sign_in", "Signed in"

    partnership = models.ForeignKey(
        "vru.Partnership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for system jobs.",
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    verb = models.CharField(max_length=80, help_text='What happened, e.g. "lsoa.updated".')
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    request_path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["partnership", "-created_at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor or 'system'} {self.verb}"
