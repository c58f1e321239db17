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
        # checked first (a preview, nothing written), then imported once confirmed, undoable
        POLICE_UK = "police_uk", "police.uk street-level crime"
        AREA_INDICATORS = "area_indicators", "Area indicators"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        CHECKING = "checking", "Checking the file"
        CHECKED = "checked", "Checked: waiting for your confirmation"
        REFUSED = "refused", "Refused: nothing changed"
        CANCELLED = "cancelled", "Cancelled: nothing changed"
        RUNNING = "running", "Checking and importing"
        SUCCEEDED = "succeeded", "Imported"
        FAILED = "failed", "Not imported: errors found"
        RESTORED = "restored", "Undone: the data it replaced is back"

    # a job in one of these has finished its work: running it again changes nothing
    FINISHED = frozenset(
        {
            Status.SUCCEEDED,
            Status.FAILED,
            Status.REFUSED,
            Status.CANCELLED,
            Status.RESTORED,
        }
    )

    # checked first (the preview), imported once confirmed, undone from the import's page
    REVIEWED = frozenset({Kind.POLICE_UK, Kind.AREA_INDICATORS})

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
    preview = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the file would change, found by the check before anything is written.",
    )
    replace_confirmed = models.BooleanField(
        default=False, help_text="The person confirming agreed to replace stored data."
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    crime_import = models.OneToOneField(
        "vru.CrimeImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="job",
        help_text="For police.uk imports: the record of what was counted.",
    )
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    restored_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import: {self.file_name}"

    @property
    def percent_done(self) -> int:
        if self.status in self.FINISHED or self.status == self.Status.CHECKED:
            return 100
        if not self.total_rows:
            return 0
        return int(100 * self.processed_rows / self.total_rows)


class ImportSnapshot(models.Model):
    """What an import replaced, kept so that it can be put back exactly as it was.

    `scope` says what the import replaced as a whole (police.uk: the partnership's counts for
    `months`; area indicators: the values at the `keys` it wrote); `rows` are the stored rows
    it replaced. When the import is undone, the rows it
    had written are kept in `rows_removed_on_restore`: nothing is ever lost.
    """

    job = models.OneToOneField(ImportJob, on_delete=models.CASCADE, related_name="snapshot")
    scope = models.JSONField(default=dict)
    rows = models.JSONField(
        default=list,
        help_text="police.uk: [LSOA id, month, crime type, count] per row; area indicators: "
        "[LSOA id, factor id, period, period start, value, source].",
    )
    rows_removed_on_restore = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"What {self.job} replaced"
