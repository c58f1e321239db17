"""The partnership's published strategy, in versions, and its reviews."""

from datetime import date

from django.db import models

from vru.messages import field_messages
from vru.models import Partnership, User
from vru.models.scoping import PartnershipQuerySet, scoped_to


class Strategy(models.Model):
    """One published version of the strategy. A new version replaces the last as current."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="duty_strategies"
    )
    title = models.CharField(max_length=300, error_messages=field_messages("the title"))
    version = models.CharField(max_length=40, blank=True)
    published_on = models.DateField(
        "date published", error_messages=field_messages("the date published", kind="date")
    )
    next_review_on = models.DateField(
        "date of the next review",
        error_messages=field_messages("the date of the next review", kind="date"),
    )
    review_every_months = models.PositiveSmallIntegerField(
        "months between reviews",
        default=12,
        error_messages=field_messages("the months between reviews", kind="whole number"),
    )
    lead = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Reminded by e-mail before a review falls due.",
    )
    link = models.URLField("where it is published", blank=True)
    # the due date the lead was last reminded of, so each due date is told once
    reminded_for = models.DateField(null=True, blank=True, editable=False)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name_plural = "strategies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(next_review_on__gte=models.F("published_on")),
                name="strategy_review_after_publication",
                violation_error_message="The next review must be due on or after the date the "
                "strategy was published.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.version}".strip()

    def overdue(self, today: date) -> bool:
        return self.next_review_on < today


class StrategyReview(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(
        "date of the review", error_messages=field_messages("the date of the review", kind="date")
    )
    what_changed = models.TextField(
        "what changed", error_messages=field_messages("what changed in the review")
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = scoped_to("strategy__partnership").as_manager()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.strategy} on {self.reviewed_on:%d %B %Y}"
