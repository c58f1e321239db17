import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from grants.models.rounds import Application, Criterion
from vru.models import Partnership

ADULT_AGE = 18


class PanelMember(models.Model):
    """A young reviewer on the partnership's youth panel."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="grant_panel_members"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_member"
    )
    date_of_birth = models.DateField()
    training_completed_on = models.DateField(null=True, blank=True)
    guardian_consent_recorded_on = models.DateField(
        "parent or guardian consent recorded on",
        null=True,
        blank=True,
        help_text="Needed for reviewers under 18.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["user__username"]

    def __str__(self) -> str:
        return str(self.user)

    def age_on(self, day: datetime.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def may_score_on(self, day: datetime.date) -> bool:
        """Trained, active and, under 18, with a parent or guardian's consent."""
        if not self.active or self.training_completed_on is None:
            return False
        return self.age_on(day) >= ADULT_AGE or self.guardian_consent_recorded_on is not None


class Assignment(models.Model):
    """A reviewer asked to score one application."""

    class Status(models.TextChoices):
        AWAITING_DECLARATION = "awaiting", "Needs your conflict check"
        CONFLICTED = "conflicted", "Conflict declared"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Scores sent"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.AWAITING_DECLARATION
    )
    conflict_reason = models.TextField(blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "reviewer"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="grant_assignment_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="grant_assignment_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} reviews {self.application}"

    def get_absolute_url(self) -> str:
        return reverse("grants:review", kwargs={"pk": self.pk})

    @property
    def counts(self) -> bool:
        """Whether this assignment fills one of the application's reviewer places."""
        return self.status != self.Status.CONFLICTED


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["assignment", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="grant_score_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="grant_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"
