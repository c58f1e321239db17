"""The record of what each retention sweep anonymised."""

from django.db import models

from vru.models import Partnership


class RetentionRun(models.Model):
    """What a retention sweep did: the auditable record of anonymisation."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, null=True, related_name="+"
    )
    ran_at = models.DateTimeField()
    referrals_anonymised = models.PositiveIntegerField(default=0)
    young_people_anonymised = models.PositiveIntegerField(default=0)
    referral_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"Retention run {self.ran_at:%Y-%m-%d}"
