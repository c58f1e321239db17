from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from grants.models.applications import Application
from vru.age_bands import AgeBand
from vru.models.scoping import scoped_to
from vru.uploads import RandomName


class Decision(models.Model):
    class Outcome(models.TextChoices):
        FUND = "fund", "Fund"
        FUND_WITH_CONDITIONS = "fund_conditions", "Fund with conditions"
        NOT_FUND = "not_fund", "Do not fund"

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    conditions = models.TextField(blank=True)
    reasons = models.TextField()
    # Before decisions quoted the moderated panel view, the letter's free-text feedback
    # (kept for the decisions and letters made then; no longer written). It goes with the
    # quoted comments at the reviewers' period (grants.services.retention).
    feedback = models.TextField(blank=True)
    # The youth panel's moderated view when it was decided (grants.selectors.panel_view):
    # the weighted score as the moderation page computes it, from how many reviewers, and
    # the reviewers' comments the grants officer chose to quote (no names).
    panel_score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    panel_reviewers = models.PositiveSmallIntegerField(default=0)
    quoted_comments = models.JSONField(default=list, blank=True)
    # Decided before the youth panel had finished (grants.models.decision_waits_for): what
    # it was still waiting for, and the grants officer's reason for not waiting.
    panel_outstanding = models.TextField(blank=True)
    override_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    letter = models.FileField(upload_to=RandomName("grants/letters"), blank=True)
    letter_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="not_fund") & Q(amount__isnull=True))
                | (~Q(outcome="not_fund") & Q(amount__gt=0)),
                name="grant_decision_amount_matches_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="fund_conditions") | ~Q(conditions=""),
                name="grant_decision_conditions_given",
            ),
            models.CheckConstraint(
                condition=Q(panel_outstanding="") | ~Q(override_reason=""),
                name="grant_decision_early_has_reason",
                violation_error_message="Give the reason for deciding before the youth panel "
                "has finished.",
            ),
            models.CheckConstraint(
                condition=(Q(panel_score__isnull=True) & Q(panel_reviewers=0))
                | (Q(panel_score__gte=1) & Q(panel_score__lte=5) & Q(panel_reviewers__gte=1)),
                name="grant_decision_panel_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"

    @property
    def funded(self) -> bool:
        return self.outcome != self.Outcome.NOT_FUND

    @property
    def decided_early(self) -> bool:
        return bool(self.override_reason)


AWARD_ENDS_BEFORE_START = "The end date must be after the start date"


def award_dates_errors(starts_on, ends_on) -> dict[str, str]:
    """A grant's dates in order (Award.clean; the decision form says it with its other
    mistakes at once)."""
    if starts_on and ends_on and ends_on <= starts_on:
        return {"ends_on": AWARD_ENDS_BEFORE_START}
    return {}


class Award(models.Model):
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="award")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    awarded_on = models.DateField()
    starts_on = models.DateField()
    ends_on = models.DateField()

    objects = scoped_to("decision__application__grant_round__partnership").as_manager()

    class Meta:
        ordering = ["-awarded_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_award_positive"),
            # the backstop of Award.clean's rule, in its words
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="grant_award_dates_order",
                violation_error_message=AWARD_ENDS_BEFORE_START,
            ),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} to {self.decision.application.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("grants:award_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if errors := award_dates_errors(self.starts_on, self.ends_on):
            raise ValidationError(errors)


class Tranche(models.Model):
    """One payment. Tranche n > 1 is released only once monitoring return n - 1 is approved."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="tranches")
    number = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    due_on = models.DateField()
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["award", "number"]
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="grant_tranche_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_tranche_positive"),
            models.CheckConstraint(condition=Q(number__gte=1), name="grant_tranche_number_pos"),
        ]

    def __str__(self) -> str:
        return f"Tranche {self.number}: £{self.amount}"


class MonitoringReturn(models.Model):
    """What the funded project reports before the next tranche (return n precedes tranche n+1)."""

    class Status(models.TextChoices):
        DUE = "due", "Due"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="monitoring_returns")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DUE)
    # young people reached in each reach band (vru.age_bands.AgeBand's values as keys)
    young_people_by_age_band = models.JSONField(default=dict, blank=True)
    young_people_by_lsoa = models.JSONField(default=dict, blank=True)
    sessions_delivered = models.PositiveIntegerField(null=True, blank=True)
    # distinct young people who started / completed in the period, and outcomes achieved (the
    # quarterly return's columns; empty on returns sent before they were asked)
    new_starts = models.PositiveIntegerField(null=True, blank=True)
    completions = models.PositiveIntegerField(null=True, blank=True)
    outcomes_achieved = models.PositiveIntegerField(null=True, blank=True)
    spend_to_date = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    case_study = models.TextField(blank=True)
    # when the case study went at the end of its retention period (CASE_STUDIES), so the
    # return's page can say so rather than show an empty story
    case_study_cleared_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["award", "number"]
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="grant_return_unique"),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="grant_return_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Monitoring return {self.number}"

    def clean(self) -> None:
        """New starts and completions are young people reached: neither can be more."""
        reached = self.young_people_reached
        errors = {
            field: f"{label} cannot be more than the young people reached ({reached})"
            for field, label in (("new_starts", "New starts"), ("completions", "Completions"))
            if getattr(self, field) is not None and getattr(self, field) > reached
        }
        if errors:
            raise ValidationError(errors)

    @property
    def young_people_reached(self) -> int:
        return sum(int(v) for v in (self.young_people_by_age_band or {}).values())

    @property
    def reached_by_band(self) -> list[tuple[str, int]]:
        """(band label, young people) of each band the return gave, youngest first."""
        given = self.young_people_by_age_band or {}
        return [(label, given[band]) for band, label in AgeBand.choices if band in given]
