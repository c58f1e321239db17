from django.conf import settings
from django.db import models


class ImportJob(models.Model):
    """A file to import, validated in full before anything is saved; runs in Celery."""

    class Kind(models.TextChoices):
        LSOAS = "lsoas", "LSOAs"
        RECOMMENDATIONS = "recommendations", "SNA recommendations"
        SUCCESS_MEASURE_VALUES = "success_measure_values", "Success-measure values"
        SUCCESS_MEASURE_COMPARISONS = (
            "success_measure_comparisons",
            "Success-measure comparisons",
        )
        # run by the programmes app (its own task and page): vru's runner never takes them
        REFERRALS = "referrals", "Referrals (custody spreadsheet)"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Checking and importing"
        SUCCEEDED = "succeeded", "Imported"
        FAILED = "failed", "Not imported: errors found"

    partnership = models.ForeignKey(
        "vru.Partnership", on_delete=models.PROTECT, related_name="import_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    needs_assessment = models.ForeignKey(
        "vru.StrategicNeedsAssessment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="For recommendation imports.",
    )
    target_id = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="What the rows are imported into, for kinds that need it "
        "(referrals: the programme).",
    )
    file_name = models.CharField(max_length=255)
    content = models.BinaryField(help_text="The uploaded file, kept until the job is done.")
    skip_invalid_rows = models.BooleanField(
        default=False, help_text="Import exactly the valid rows and report the others."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    row_errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import: {self.file_name}"

    @property
    def percent_done(self) -> int:
        if self.status in {self.Status.SUCCEEDED, self.Status.FAILED}:
            return 100
        if not self.total_rows:
            return 0
        return int(100 * self.processed_rows / self.total_rows)
