"""Readiness for the Duty: the eight areas of the Home Office's readiness assessment, each
scored 1 ("preparing") to 5 ("mature, best practice"), kept over time."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from vru.messages import field_messages
from vru.models import Partnership, User
from vru.models.scoping import PartnershipQuerySet, scoped_to


class ReadinessArea(models.TextChoices):
    DEFINITION = "definition", "Definition and evidence base"
    RESPONSE = "response", "Response (strategy)"
    CHANGE = "change", "Change and impact"
    COLLABORATION = "collaboration", "Collaboration"
    CO_PRODUCTION = "co_production", "Co-production"
    DATA = "data", "Co-operation on information and data"
    COUNTER_NARRATIVE = "counter_narrative", "Counter-narrative"
    CONSENSUS = "consensus", "Community consensus"


SCALE = {
    1: "Preparing",
    2: "Developing",
    3: "Established",
    4: "Advanced",
    5: "Mature, best practice",
}


class AssessmentKind(models.TextChoices):
    EXTERNAL = "external", "External (commissioned by the Home Office)"
    SELF = "self", "Self-assessment"


class ReadinessAssessment(models.Model):
    Kind = AssessmentKind

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="readiness_assessments"
    )
    assessed_on = models.DateField(
        "date of the assessment",
        error_messages=field_messages("the date of the assessment", kind="date"),
    )
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.SELF,
        error_messages=field_messages("who assessed it", choose=True),
    )
    note = models.TextField(
        blank=True, help_text="Where the scores come from, and anything a reader should know."
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AssessmentKind.values), name="readiness_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"Readiness assessment, {self.assessed_on:%d %B %Y}"


class ReadinessScore(models.Model):
    assessment = models.ForeignKey(
        ReadinessAssessment, on_delete=models.CASCADE, related_name="scores"
    )
    area = models.CharField(max_length=20, choices=ReadinessArea.choices)
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        error_messages=field_messages("the score", kind="whole number"),
    )
    evidence = models.TextField(blank=True)

    objects = scoped_to("assessment__partnership").as_manager()

    class Meta:
        ordering = ["assessment", "area"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "area"], name="readiness_score_one_per_area"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5),
                name="readiness_score_1_to_5",
                violation_error_message="A score is from 1 (preparing) to 5 (mature, best practice).",
            ),
            models.CheckConstraint(
                condition=models.Q(area__in=ReadinessArea.values), name="readiness_area_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.score}"

    @property
    def label(self) -> str:
        return SCALE[self.score]
