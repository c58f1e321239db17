"""Notices about cases, told in digests: one e-mail per person per sweep, listing the cases
(programmes.services.notices)."""

from django.conf import settings
from django.db import models

from programmes.models.referrals import Referral
from vru.models import Partnership


class NewReferralNotice(models.Model):
    """A new referral nobody has been told about yet: the next sweep lists it in the digests
    of its programme's managers and its assignee (not whoever made it), then deletes it."""

    referral = models.OneToOneField(
        Referral, on_delete=models.CASCADE, related_name="new_referral_notice"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    swept_at = models.DateTimeField(
        null=True, blank=True, help_text="Claimed by the sweep that is telling it."
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"New referral {self.referral_id}"


class NoticeDigest(models.Model):
    """One e-mail to one person listing the cases a sweep found for them: referrals that
    missed their contact target, or new referrals. At most one per person, kind and sweep,
    however many cases: a flood of cases is one e-mail, never one each."""

    class Kind(models.TextChoices):
        BREACHES = "breaches", "Missed contact targets"
        NEW_REFERRALS = "new_referrals", "New referrals"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=14, choices=Kind.choices)
    swept_at = models.DateTimeField(help_text="The sweep that made it.")
    referral_ids = models.JSONField(
        default=list, help_text="The cases the e-mail lists by reference, first due first."
    )
    total = models.PositiveIntegerField(help_text="All the cases of this sweep for this person.")
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-swept_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "swept_at"], name="notice_digest_once_per_sweep"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.total} for user {self.recipient_id}"
