from django.db import models


class KeyRotation(models.Model):
    """One run of re-encrypting every encrypted value with the first key of
    VRU_FIELD_ENCRYPTION_KEYS (vru.services.encryption.field_keys_rotate): where it got to,
    written in the same transaction as each batch, so a stopped run resumes from there."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # the model being rewritten ("app_label.Model") and the last primary key done in it
    current_model = models.CharField(max_length=100, blank=True)
    after_pk = models.BigIntegerField(null=True, blank=True)
    # {"app_label.Model": rows rewritten}, for the models finished and the current one
    rows = models.JSONField(default=dict, blank=True)
    batches = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        state = "finished" if self.finished_at else f"at {self.current_model or 'start'}"
        return f"Key rotation {self.started_at:%Y-%m-%d %H:%M} ({state})"

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())
