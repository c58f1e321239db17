"""The referrals each user opened last, shown on their caseload."""

from django.conf import settings
from django.db import models

from programmes.models.referrals import Referral


class RecentView(models.Model):
    """That a user opened a referral, and when (the latest time only). Read through the
    visibility rule (selectors.recently_viewed): a case moved off someone's caseload drops
    off their list too."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="recent_views")
    viewed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "referral"], name="recent_view_unique")
        ]
        indexes = [models.Index(fields=["user", "-viewed_at"], name="recent_view_latest")]

    def __str__(self) -> str:
        return f"Referral {self.referral_id} viewed by {self.user_id}"
