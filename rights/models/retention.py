from django.db import models


class KindRetentionRun(models.Model):
    """One daily run of the per-kind retention (rights.services.retention): how many
    records of each kind of data went (and of the two working copies, subject_access_copy
    and import_details), never which or what they said."""

    ran_at = models.DateTimeField()
    removed = models.JSONField(default=dict, help_text="Kind of data -> records removed.")
    failed = models.CharField(
        max_length=40,
        blank=True,
        help_text="The kind whose removal failed and ended the run early (the kinds before it "
        "were removed and are counted, and so are the batches of this kind committed before "
        "the failure); empty when the run finished.",
    )

    class Meta:
        ordering = ["-ran_at"]
        get_latest_by = "ran_at"

    def __str__(self) -> str:
        return f"Retention run {self.ran_at:%d %b %Y %H:%M}"
