"""Impact reports: a commissioner's request, the task's progress, and the built report.

The built content is a JSON snapshot of every figure as it may be published (small numbers
already suppressed, no names, references or notes about young people), so the web page and
the PDF show the same thing however the records change afterwards. The PDF lives in the
default storage (MEDIA_ROOT, outside the web root) and is served only by a view that checks
permission and writes an audit row.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from evaluation.report_periods import PeriodKind, period_kind_of, period_name
from vru.models.scoping import PartnershipQuerySet


class ImpactReport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being built"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    class Scope(models.TextChoices):
        PARTNERSHIP = "partnership", "Whole partnership"
        PROGRAMME = "programme", "One programme"
        CSP = "csp", "One community safety partnership"
        LOCAL_AUTHORITY = "local_authority", "One local authority"

    partnership = models.ForeignKey("vru.Partnership", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    # Follows from the dates (evaluation.report_periods.period_kind_of): a whole month,
    # quarter or financial year, or custom dates (staff only, never shown to commissioners).
    period_kind = models.CharField(
        max_length=16, choices=PeriodKind.choices, default=PeriodKind.CUSTOM
    )
    scope = models.CharField(max_length=16, choices=Scope.choices, default=Scope.PARTNERSHIP)
    scope_programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scope_csp = models.ForeignKey(
        "vru.CommunitySafetyPartnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="community safety partnership",
    )
    scope_local_authority = models.ForeignKey(
        "vru.LocalAuthority", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    progress_step = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    content = models.JSONField(default=dict, blank=True)
    pdf = models.FileField(upload_to="impact-reports/", blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "-requested_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="impact_report_period_order",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="impact_report_progress"),
            models.CheckConstraint(
                condition=(
                    Q(
                        scope="partnership",
                        scope_programme__isnull=True,
                        scope_csp__isnull=True,
                        scope_local_authority__isnull=True,
                    )
                    | Q(
                        scope="programme",
                        scope_programme__isnull=False,
                        scope_csp__isnull=True,
                        scope_local_authority__isnull=True,
                    )
                    | Q(
                        scope="csp",
                        scope_programme__isnull=True,
                        scope_csp__isnull=False,
                        scope_local_authority__isnull=True,
                    )
                    | Q(
                        scope="local_authority",
                        scope_programme__isnull=True,
                        scope_csp__isnull=True,
                        scope_local_authority__isnull=False,
                    )
                ),
                name="impact_report_scope_matches_target",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | ~Q(pdf=""),
                name="impact_report_ready_has_pdf",
            ),
        ]

    def __str__(self) -> str:
        return f"Impact report: {self.scope_label}, {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:report_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if (
            self.period_start
            and self.period_end
            and self.period_kind != period_kind_of(self.period_start, self.period_end)
        ):
            raise ValidationError(
                {"period_kind": "The kind of period does not match its first and last days."}
            )

    @property
    def scope_target(self):
        return self.scope_programme or self.scope_csp or self.scope_local_authority

    @property
    def scope_label(self) -> str:
        target = self.scope_target
        return str(target) if target is not None else "Whole partnership"

    @property
    def period_label(self) -> str:
        return f"{self.period_start:%-d %B %Y} to {self.period_end:%-d %B %Y}"

    @property
    def period_name(self) -> str:
        """ "November 2026", "Financial year 2025 to 2026", or the dates when custom."""
        return period_name(self.period_kind, self.period_start, self.period_end)

    @property
    def is_custom_period(self) -> bool:
        return self.period_kind == PeriodKind.CUSTOM

    @property
    def in_progress(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}
