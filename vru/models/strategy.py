from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from vru.models.accounts import Partnership
from vru.uploads import RandomName
from vru.validators import validate_document


class PreventionStage(models.TextChoices):
    PRIMARY = "primary", "Primary prevention"
    SECONDARY = "secondary", "Secondary prevention"
    TERTIARY = "tertiary", "Tertiary intervention"


class StrategicNeedsAssessment(models.Model):
    """An SNA: refreshed every year ("a live document"), drafted then published."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="needs_assessments"
    )
    title = models.CharField(max_length=300)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(
        null=True, blank=True, help_text="Leave blank when the document does not say."
    )
    document = models.FileField(
        upload_to=RandomName("sna"), blank=True, validators=[validate_document]
    )
    source = models.TextField(blank=True, help_text="Where the content was taken from.")

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = "strategic needs assessment"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="sna_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("vru:sna_detail", kwargs={"pk": self.pk})


class Theme(models.Model):
    needs_assessment = models.ForeignKey(
        StrategicNeedsAssessment, on_delete=models.CASCADE, related_name="themes"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["needs_assessment", "name"], name="theme_name_unique_per_sna"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Recommendation(models.Model):
    needs_assessment = models.ForeignKey(
        StrategicNeedsAssessment, on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    prevention_stage = models.CharField(
        max_length=12,
        choices=PreventionStage.choices,
        blank=True,
        help_text="Blank when the recommendation underpins every stage.",
    )
    intended_impacts = models.JSONField(default=list, blank=True)
    themes = models.ManyToManyField(Theme, related_name="recommendations", blank=True)

    class Meta:
        ordering = ["needs_assessment", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["needs_assessment", "number"], name="recommendation_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="recommendation_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    def clean(self) -> None:
        if not isinstance(self.intended_impacts, list) or not all(
            isinstance(item, str) and item.strip() for item in self.intended_impacts
        ):
            raise ValidationError(
                {"intended_impacts": "Intended impacts must be a list of short texts."}
            )


class SuccessMeasure(models.Model):
    """A figure the partnership tracks over time, e.g. knife-enabled serious violence."""

    class Direction(models.TextChoices):
        DOWN = "down", "Lower is better"
        UP = "up", "Higher is better"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="success_measures"
    )
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=60)
    direction = models.CharField(max_length=4, choices=Direction.choices, default=Direction.DOWN)
    counts_people = models.BooleanField(
        default=False,
        help_text="Counts people (victims, admissions): small values are suppressed "
        "for commissioners.",
    )
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["partnership", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="success_measure_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SuccessMeasureValue(models.Model):
    measure = models.ForeignKey(SuccessMeasure, on_delete=models.CASCADE, related_name="values")
    label = models.CharField(max_length=60, help_text='As the SNA prints it, e.g. "2018/19".')
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2)
    is_baseline = models.BooleanField(default=False)

    class Meta:
        ordering = ["measure", "period_start", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period_start", "period_end"],
                name="success_measure_value_period_unique",
            ),
            models.UniqueConstraint(
                fields=["measure"],
                condition=models.Q(is_baseline=True),
                name="success_measure_one_baseline",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="success_measure_value_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.label} = {self.value}"
