"""Corrections: every change made to a referral, a contact, an outcome or a session after it
was recorded, kept as a numbered version (who, when, why, each field before and after).

Decisions:
- The history starts at the first correction: a record as first recorded is version 1 (its
  values are the "before" of version 2, and who recorded it is on the record itself), so
  creating a record, one at a time or thousands in an import, writes no version row.
- The before and after values, and why the change was made, are stored encrypted with the field keys, the
  same way as the identity and the case notes they may hold (a corrected name, address or
  date of birth; a note about a child; a why that quotes either). Only the names of the
  changed fields are in a plain column. So no clear identity is ever in a plain column, and
  retention deletes a case's versions with its identity (services.retention_anonymise).
- One table for every kind of record (`kind` + `object_id`), with the referral a case
  record belongs to, so a case's versions are found (and deleted) together.
"""

import json
from datetime import date, datetime

from django.conf import settings
from django.db import models

from programmes.models.referrals import Referral
from vru.fields import EncryptedTextField
from vru.models import Partnership


class RecordVersion(models.Model):
    class Kind(models.TextChoices):
        REFERRAL = "referral", "Referral"
        CONTACT = "contact", "Contact"
        OUTCOME = "outcome", "Outcome"
        SESSION = "session", "Session"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    # the case a referral, contact or outcome belongs to (none for a session)
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(help_text="2 for the first correction, and so on.")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    changed_at = models.DateTimeField()
    why = EncryptedTextField(help_text="Why the change was made, in the words of who made it.")
    fields = models.JSONField(default=list, help_text="The names of the changed fields.")
    # {field: [before, after]} as JSON text, encrypted (see the module's decisions)
    values = EncryptedTextField()

    class Meta:
        ordering = ["kind", "object_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "version"], name="record_version_once"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=2), name="record_version_after_first"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_id} version {self.version}"

    @staticmethod
    def dump(changes: dict[str, tuple]) -> str:
        return json.dumps({name: [_plain(b), _plain(a)] for name, (b, a) in changes.items()})

    def changes(self) -> dict[str, list]:
        return json.loads(self.values) if self.values else {}


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value
