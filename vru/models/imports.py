from datetime import timedelta

from django.conf import settings
from django.db import models

from vru.models.scoping import PartnershipQuerySet

# What an import's file name reads once its period ended (vru.services.import_details_expire):
# an uploaded file's name may be a young person's ("Ann One custody.csv").
FILE_NAME_REMOVED = "(file name removed)"


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
        POSTCODES = "postcodes", "ONS postcode directory"
        LISTENING_RESPONSES = "listening_responses", "Listening responses"
        FINANCE_SPEND = "finance_spend", "Quarterly spend (finance system spreadsheet)"
        POPULATION = "population", "Population by ethnic group, age and sex (ONS Census 2021)"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        CHECKING = "checking", "Checking the file"
        CHECKED = "checked", "Checked: waiting for your confirmation"
        REFUSED = "refused", "Refused: nothing changed"
        CANCELLED = "cancelled", "Cancelled: nothing changed"
        RUNNING = "running", "Checking and importing"
        SUCCEEDED = "succeeded", "Imported"
        FAILED = "failed", "Not imported: errors found"
        RESTORED = "restored", "Undone: the data is back as it was before"
        EXPIRED = "expired", "Check expired: upload the file again"

    # a job in one of these has finished its work: running it again changes nothing
    FINISHED = frozenset(
        {
            Status.SUCCEEDED,
            Status.FAILED,
            Status.REFUSED,
            Status.CANCELLED,
            Status.RESTORED,
            Status.EXPIRED,
        }
    )

    # checked first (the preview), imported once confirmed, undone from the import's page;
    # each kind's pieces are registered by its app (vru.import_kinds)
    REVIEWED = frozenset(
        {
            Kind.POLICE_UK,
            Kind.AREA_INDICATORS,
            Kind.POSTCODES,
            Kind.REFERRALS,
            Kind.LISTENING_RESPONSES,
        }
    )

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
        "(referrals: the programme; listening responses: the exercise).",
    )
    file_name = models.CharField(max_length=255)
    content = models.BinaryField(
        help_text="The uploaded file, kept until the job is done (a check nobody confirms "
        "expires: VRU_IMPORT_CHECK_HOURS)."
    )
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
    checked_at = models.DateTimeField(
        null=True, blank=True, help_text="When the check finished and the wait began."
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
    details_cleared_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the file name, the row errors (which may quote a cell) and any file "
        "still held were cleared, VRU_IMPORT_DETAILS_DAYS after the job finished; counts and "
        "status stay.",
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import: {self.file_name}"

    @property
    def check_expires_at(self):
        """When a checked file nobody confirmed is forgotten (None unless it is waiting)."""
        if self.status != self.Status.CHECKED:
            return None
        return (self.checked_at or self.created_at) + timedelta(
            hours=settings.VRU_IMPORT_CHECK_HOURS
        )

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

    Imports that only add rows (custody referrals, listening responses) replace nothing:
    `rows` are the ids of the rows they added, which an undo removes exactly. What they added
    is personal data (identities, young people's words, held encrypted): an undo keeps only
    the ids and pseudonymous references of what it removed, never a copy of the data.
    """

    job = models.OneToOneField(ImportJob, on_delete=models.CASCADE, related_name="snapshot")
    scope = models.JSONField(default=dict)
    rows = models.JSONField(
        default=list,
        help_text="police.uk: [LSOA id, month, crime type, count] per row; area indicators: "
        "[LSOA id, factor id, period, period start, value, source]; referrals: [referral id, "
        "young person id] added; listening responses: [response id] added.",
    )
    rows_removed_on_restore = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"What {self.job} replaced"
