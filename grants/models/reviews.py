import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from grants.models.applications import Application
from grants.models.rounds import Criterion
from vru.models import Partnership
from vru.models.scoping import PartnershipQuerySet, scoped_to

ADULT_AGE = 18


class PanelMember(models.Model):
    """A young reviewer on the partnership's youth panel.

    After a round closes and the REVIEWER retention period passes (vru.data_kinds), the
    reviewer's scores in it move to a stand-in with no account and no details (one per
    reviewer and round, so the round's record still shows which scores one person gave), and a
    reviewer with no later round left has their account anonymised
    (grants.services.reviewers_expire); both are marked ``anonymised_at``."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="grant_panel_members"
    )
    # empty only on an anonymised stand-in
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="panel_member",
        null=True,
        blank=True,
    )
    # required on every form; empty only once anonymised
    date_of_birth = models.DateField(null=True)
    training_completed_on = models.DateField(null=True, blank=True)
    guardian_consent_recorded_on = models.DateField(
        "parent or guardian consent recorded on",
        null=True,
        blank=True,
        help_text="Needed for reviewers under 18.",
    )
    active = models.BooleanField(default=True)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__username"]

    def __str__(self) -> str:
        if self.anonymised_at is not None:
            return f"Anonymised reviewer {self.pk}"
        return str(self.user)

    def age_on(self, day: datetime.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def may_score_on(self, day: datetime.date) -> bool:
        """Trained, active and, under 18, with a parent or guardian's consent."""
        if not self.active or self.training_completed_on is None:
            return False
        return self.age_on(day) >= ADULT_AGE or self.guardian_consent_recorded_on is not None


STILL_TO_SCORE = ("awaiting", "in_progress")


class AssignmentQuerySet(models.QuerySet):
    def panel_progress(self) -> dict[int, "PanelProgress"]:
        """How far the youth panel has got with each application of these assignments, in
        one query: reviewers still to score (asked, not conflicted, not released, scores not
        sent) and reviewers who sent their scores."""
        rows = (
            self.values("application_id")
            .annotate(
                still_to_score=Count("pk", filter=Q(status__in=STILL_TO_SCORE)),
                scored=Count("pk", filter=Q(status="submitted")),
            )
            .order_by()
            .values_list("application_id", "still_to_score", "scored")
        )
        return {app: PanelProgress(still, scored) for app, still, scored in rows}


@dataclass(frozen=True)
class PanelProgress:
    still_to_score: int = 0
    scored: int = 0


def decision_waits_for(
    *, closes_at: datetime.datetime, progress: PanelProgress, now: datetime.datetime
) -> list[str]:
    """The one rule for "may this application be decided": what the decision still waits
    for, in the grants officer's words; an empty list means it may be decided.

    It may be decided once the round has closed and the youth panel has finished: every
    reviewer asked to score it (not conflicted, not released by the grants team) has sent
    their scores, and at least one has. Deciding earlier needs an override with a reason
    (grants.services.decision_record). Every door that records a decision goes through
    that service; the moderation page and the decision page show this list.
    """
    waits = []
    if now < closes_at:
        waits.append(
            f"The round is still open: it closes on {timezone.localtime(closes_at):%-d %B %Y}."
        )
    if progress.still_to_score:
        people = "reviewer has" if progress.still_to_score == 1 else "reviewers have"
        waits.append(f"{progress.still_to_score} {people} not sent their scores yet.")
    elif not progress.scored:
        waits.append("No reviewer has scored it yet.")
    return waits


class Assignment(models.Model):
    """A reviewer asked to score one application."""

    class Status(models.TextChoices):
        AWAITING_DECLARATION = "awaiting", "Needs your conflict check"
        CONFLICTED = "conflicted", "Conflict declared"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Scores sent"
        RELEASED = "released", "Released by the grants team"

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
    # The grants team let the reviewer off this application (ill, left the panel): the
    # decision no longer waits for their scores.
    release_reason = models.TextField(blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

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
            models.CheckConstraint(
                condition=~Q(status="released")
                | (Q(released_at__isnull=False) & ~Q(release_reason="")),
                name="grant_assignment_released_has_reason",
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

    @property
    def still_to_score(self) -> bool:
        """Whether the decision waits for this reviewer."""
        return self.status in STILL_TO_SCORE


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)

    objects = scoped_to("assignment__application__grant_round__partnership").as_manager()

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
