"""When a needs assessment is refreshed, each recommendation of the old one is carried forward
to its successor in the new one, or retired; what served the old one then serves the new."""

from django.db import models

from vru.models import Recommendation, User
from vru.models.scoping import scoped_to


class RecommendationSuccession(models.Model):
    previous = models.OneToOneField(
        Recommendation, on_delete=models.CASCADE, related_name="duty_succession"
    )
    successor = models.ForeignKey(
        Recommendation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duty_predecessors",
        help_text="Blank when the recommendation is retired.",
    )
    retired_because = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = scoped_to("previous__needs_assessment__partnership").as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(successor__isnull=False) | ~models.Q(retired_because=""),
                name="succession_successor_or_reason",
                violation_error_message="Choose its successor, or say why it is retired.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.previous} -> {self.successor or 'retired'}"
