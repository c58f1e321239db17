from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from vru.messages import field_messages
from vru.models.accounts import Partnership
from vru.models.scoping import PartnershipQuerySet
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

    objects = PartnershipQuerySet.as_manager()

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
        return f"{self.number}. {self.short_text}"

    @property
    def full_label(self) -> str:
        """The number and the whole text: where someone chooses a recommendation."""
        return f"{self.number}. {self.text}"

    @property
    def short_text(self) -> str:
        """The text up to about 80 characters, cut between words (never inside one)."""
        limit = 80
        if len(self.text) <= limit:
            return self.text
        cut = self.text[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;:.-")
        return f"{cut or self.text[:limit]}…"

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

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="success_measure_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


def period_kind(start: date, end: date) -> str:
    """What kind of period a start and end date make, in words: "calendar year", "financial
    year", "year from August", "3 months" or "45 days". Two periods compare like with like
    only when they are of the same kind."""
    if start.day == 1 and (end + timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 12:
            if start.month == 1:
                return "calendar year"
            if start.month == 4:
                return "financial year"
            return f"year from {start:%B}"
        return f"{months} month{'s' if months != 1 else ''}"
    days = (end - start).days + 1
    return f"{days} day{'s' if days != 1 else ''}"


def period_label(start: date, end: date) -> str:
    """The label a period gets when none is given: "calendar 2023", "FY2018/19",
    "Aug 2021 to Jul 2022" or "1 Jan 2023 to 15 Mar 2023"."""
    kind = period_kind(start, end)
    if kind == "calendar year":
        return f"calendar {start.year}"
    if kind == "financial year":
        return f"FY{start.year}/{(start.year + 1) % 100:02d}"
    if start.day == 1 and (end + timedelta(days=1)).day == 1:
        return f"{start:%b %Y} to {end:%b %Y}"
    return f"{start.day} {start:%b %Y} to {end.day} {end:%b %Y}"


# A value's rules in the words every door that writes one says them (the admin, the admin's
# import, the import_area_data command): SuccessMeasureValue.clean holds them, and the database
# constraints are the backstop in the same words.
VALUE_PERIOD_BACKWARDS = "The period must end on or after the day it starts"
VALUE_PERIOD_TAKEN = "The measure already has a value for this period"
VALUE_SECOND_BASELINE = (
    "The measure already has a baseline ({label}): untick “is baseline”, or untick it on that "
    "value first"
)
# the fields a value is given (the admin's form; the import's columns carry the same, the
# label as "period_label")
SUCCESS_MEASURE_VALUE_FIELDS = (
    "measure",
    "label",
    "period_start",
    "period_end",
    "value",
    "is_baseline",
    "source_table",
)


class SuccessMeasureValue(models.Model):
    """One figure of a measure for the period it covers, as printed in one table of the SNA."""

    measure = models.ForeignKey(
        SuccessMeasure,
        on_delete=models.CASCADE,
        related_name="values",
        error_messages=field_messages("success measure", choose=True),
    )
    label = models.CharField(
        "period label",
        max_length=60,
        blank=True,
        help_text='The period in words, e.g. "calendar 2023", "FY2018/19" or "Aug 2021 to Jul '
        '2022". Left blank, it is written from the dates.',
        error_messages=field_messages("period label"),
    )
    period_start = models.DateField(error_messages=field_messages("period start", kind="date"))
    period_end = models.DateField(error_messages=field_messages("period end", kind="date"))
    value = models.DecimalField(
        max_digits=12, decimal_places=2, error_messages=field_messages("the value", kind="number")
    )
    is_baseline = models.BooleanField(default=False)
    source_table = models.CharField(
        max_length=60,
        blank=True,
        help_text='The table of the needs assessment the figure is printed in, e.g. "Table A" '
        '(or "Tables A and D" when it is printed in both).',
        error_messages=field_messages("source table"),
    )

    class Meta:
        ordering = ["measure", "period_start", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period_start", "period_end"],
                name="success_measure_value_period_unique",
                violation_error_message=VALUE_PERIOD_TAKEN,
            ),
            models.UniqueConstraint(
                fields=["measure"],
                condition=models.Q(is_baseline=True),
                name="success_measure_one_baseline",
                violation_error_message="The measure already has a baseline: untick “is "
                "baseline”, or untick it on that value first",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="success_measure_value_period_order",
                violation_error_message=VALUE_PERIOD_BACKWARDS,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.label} = {self.value}"

    @property
    def period_kind(self) -> str:
        return period_kind(self.period_start, self.period_end)

    def clean(self) -> None:
        # Every door runs this: the admin's form, the imports (each row). The rules across
        # fields are judged when their values are there.
        start, end = self.period_start, self.period_end
        if not isinstance(start, date) or not isinstance(end, date):
            return  # the fields' own errors say what is missing
        if end < start:
            raise ValidationError({"period_end": VALUE_PERIOD_BACKWARDS})
        if not self.label.strip():
            self.label = period_label(start, end)
        errors = {}
        if self.measure_id is not None:
            others = SuccessMeasureValue.objects.filter(measure_id=self.measure_id).exclude(
                pk=self.pk
            )
            if others.filter(period_start=start, period_end=end).exists():
                errors["period_end"] = VALUE_PERIOD_TAKEN
            baseline = others.filter(is_baseline=True).first() if self.is_baseline else None
            if baseline is not None:
                errors["is_baseline"] = VALUE_SECOND_BASELINE.format(label=baseline.label)
        if errors:
            raise ValidationError(errors)
        if self.pk is None:
            return
        # The comparisons this value is part of must still hold with its new period and flag.
        compared = []
        for comparison in SuccessMeasureComparison.objects.filter(
            models.Q(earlier=self) | models.Q(later=self)
        ).select_related("earlier", "later"):
            earlier = self if comparison.earlier_id == self.pk else comparison.earlier
            later = self if comparison.later_id == self.pk else comparison.later
            compared += comparison_errors(
                earlier=earlier, later=later, kind=comparison.kind, note=comparison.note
            ).values()
        if compared:
            raise ValidationError(
                [f"It is compared with another period, and then: {e}" for e in compared]
            )


class ComparisonKind(models.TextChoices):
    PREVIOUS = "previous", "Against the previous period"
    BASELINE = "baseline", "Against the baseline"


def comparison_errors(
    *, earlier: SuccessMeasureValue, later: SuccessMeasureValue, kind: str, note: str
) -> dict[str, str]:
    """What is wrong with comparing `later` against `earlier` (empty when nothing is).

    One rule for every door (admin, import, demo) and for a value whose period changes."""
    errors = {}
    if earlier.measure_id != later.measure_id:
        errors["later"] = "Both periods must be values of the same success measure."
    elif earlier.period_end >= later.period_start:
        errors["later"] = (
            f"The later period ({later.label}) must begin after the earlier one "
            f"({earlier.label}) ends."
        )
    if kind == ComparisonKind.BASELINE and not earlier.is_baseline:
        errors["earlier"] = (
            f"{earlier.label} is not the measure's baseline: mark it as the baseline, or "
            "compare against the previous period."
        )
    earlier_kind, later_kind = earlier.period_kind, later.period_kind
    if earlier_kind != later_kind and not note.strip():
        errors["note"] = (
            f"The periods differ in kind ({earlier.label} is a {earlier_kind}, {later.label} a "
            f"{later_kind}): say so in a note, as the needs assessment does."
        )
    return errors


class SuccessMeasureComparison(models.Model):
    """A comparison the needs assessment makes between two values of a measure.

    % changes are shown only for these, never between neighbours of a measure's values,
    which may be periods of different kinds (a year to July beside a calendar year)."""

    Kind = ComparisonKind

    measure = models.ForeignKey(
        SuccessMeasure, on_delete=models.CASCADE, related_name="comparisons"
    )
    earlier = models.ForeignKey(
        SuccessMeasureValue, on_delete=models.CASCADE, related_name="compared_as_earlier"
    )
    later = models.ForeignKey(
        SuccessMeasureValue, on_delete=models.CASCADE, related_name="compared_as_later"
    )
    kind = models.CharField(max_length=8, choices=ComparisonKind.choices)
    source_table = models.CharField(
        max_length=60, blank=True, help_text='The table of the needs assessment, e.g. "Table C".'
    )
    note = models.TextField(
        blank=True,
        help_text="Needed where the periods differ in kind, e.g. "
        "\u201cFigures for FY2018/19 have been compared with the calendar year 2023\u201d.",
    )

    class Meta:
        ordering = ["measure", "later__period_end", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["earlier", "later"], name="success_measure_comparison_unique"
            ),
            models.UniqueConstraint(
                fields=["later", "kind"], name="success_measure_comparison_one_per_kind"
            ),
            models.CheckConstraint(
                condition=~models.Q(earlier=models.F("later")),
                name="success_measure_comparison_two_values",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.later.label} against {self.earlier.label}"

    def clean(self) -> None:
        if not (self.earlier_id and self.later_id):
            return
        if self.measure_id is None:
            self.measure_id = self.earlier.measure_id
        errors = comparison_errors(
            earlier=self.earlier, later=self.later, kind=self.kind, note=self.note
        )
        if self.earlier.measure_id != self.measure_id:
            errors.setdefault("earlier", f"{self.earlier.label} is a value of another measure.")
        if errors:
            raise ValidationError(errors)
