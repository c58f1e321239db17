"""Grant rounds: dates, budget, eligibility questions and the criteria the youth panel scores."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from vru.messages import field_messages
from vru.models import LSOA, Partnership, Recommendation
from vru.models.scoping import PartnershipQuerySet

ROUND_CLOSES_BEFORE_OPENS = "The round must close after it opens"
ROUND_PANEL_BEFORE_CLOSE = "The panel deadline must be after the round closes"
ROUND_MAXIMUM_BELOW_MINIMUM = "The largest award must be at least the smallest award"
ROUND_BUDGET_BELOW_MAXIMUM = "The budget must be at least the largest award"
ROUND_THEMES_NOT_TEXTS = "Themes must be a list of short texts."
# the fields a round is given (the page's form, the admin's, the service): written once
GRANT_ROUND_FIELDS = (
    "fund",
    "title",
    "description",
    "budget",
    "minimum_award",
    "maximum_award",
    "opens_at",
    "closes_at",
    "panel_deadline",
    "reviewers_per_application",
    "identifier_prefix",
    "listening_themes",
)
_AT_LEAST_A_POUND = [MinValueValidator(Decimal("1"))]


class GrantRound(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="grant_rounds"
    )
    fund = models.CharField(
        max_length=200,
        help_text="The fund paying for the round.",
        error_messages=field_messages("fund"),
    )
    title = models.CharField(
        "round title", max_length=200, error_messages=field_messages("round title")
    )
    description = models.TextField(blank=True)
    budget = models.DecimalField(
        "budget (£)",
        max_digits=12,
        decimal_places=2,
        validators=_AT_LEAST_A_POUND,
        error_messages=field_messages("budget", kind="number"),
    )
    minimum_award = models.DecimalField(
        "smallest award (£)",
        max_digits=12,
        decimal_places=2,
        validators=_AT_LEAST_A_POUND,
        error_messages=field_messages("smallest award", kind="number"),
    )
    maximum_award = models.DecimalField(
        "largest award (£)",
        max_digits=12,
        decimal_places=2,
        validators=_AT_LEAST_A_POUND,
        error_messages=field_messages("largest award", kind="number"),
    )
    opens_at = models.DateTimeField(
        "opens", error_messages=field_messages("when the round opens", kind="date")
    )
    closes_at = models.DateTimeField(
        "closes", error_messages=field_messages("when the round closes", kind="date")
    )
    panel_deadline = models.DateTimeField(
        help_text="When reviewers must submit their scores.",
        error_messages=field_messages("panel deadline", kind="date"),
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        error_messages=field_messages("reviewers per application", kind="whole number"),
    )
    # Priority LSOAs: chosen by the grants officer until the risk index (issue 3) ranks them.
    target_lsoas = models.ManyToManyField(LSOA, blank=True, related_name="+")
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="+")
    listening_themes = models.JSONField(
        default=list, blank=True, help_text="Listening-project themes the round responds to."
    )
    identifier_prefix = models.CharField(
        "360Giving identifier prefix",
        max_length=40,
        default="360G-vru",
        help_text="360Giving identifier prefix for grants awarded in this round.",
        error_messages=field_messages("360Giving identifier prefix"),
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="grant_round_dates_order",
                violation_error_message=ROUND_CLOSES_BEFORE_OPENS,
            ),
            models.CheckConstraint(
                condition=Q(panel_deadline__gt=models.F("closes_at")),
                name="grant_round_panel_after_close",
                violation_error_message=ROUND_PANEL_BEFORE_CLOSE,
            ),
            models.CheckConstraint(
                condition=Q(minimum_award__gt=0),
                name="grant_round_minimum_positive",
                violation_error_message="The smallest award must be more than £0",
            ),
            models.CheckConstraint(
                condition=Q(maximum_award__gte=models.F("minimum_award")),
                name="grant_round_maximum_not_below_minimum",
                violation_error_message=ROUND_MAXIMUM_BELOW_MINIMUM,
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=models.F("maximum_award")),
                name="grant_round_budget_covers_maximum",
                violation_error_message=ROUND_BUDGET_BELOW_MAXIMUM,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("grants:round_detail", kwargs={"pk": self.pk})

    def is_open(self, now) -> bool:
        return self.opens_at <= now < self.closes_at

    def clean(self) -> None:
        # Every door runs this: the round page (its form is a model form), the admin's form,
        # the services. A rule across fields is judged when both values are there.
        errors = {}
        if not isinstance(self.listening_themes, list) or not all(
            isinstance(t, str) and t.strip() for t in self.listening_themes
        ):
            errors["listening_themes"] = ROUND_THEMES_NOT_TEXTS
        opens, closes, panel = self.opens_at, self.closes_at, self.panel_deadline
        if opens and closes and closes <= opens:
            errors["closes_at"] = ROUND_CLOSES_BEFORE_OPENS
        if closes and panel and panel <= closes:
            errors["panel_deadline"] = ROUND_PANEL_BEFORE_CLOSE
        # amounts of less than £1 are their own fields' mistakes: not compared with others
        smallest, largest, budget = (
            amount if isinstance(amount, int | float | Decimal) and amount >= 1 else None
            for amount in (self.minimum_award, self.maximum_award, self.budget)
        )
        if smallest and largest and largest < smallest:
            errors["maximum_award"] = ROUND_MAXIMUM_BELOW_MINIMUM
        if largest and budget and budget < largest:
            errors["budget"] = ROUND_BUDGET_BELOW_MAXIMUM
        if errors:
            raise ValidationError(errors)


class EligibilityQuestion(models.Model):
    """A yes/no question; the application passes when the answer equals `pass_answer`."""

    grant_round = models.ForeignKey(
        GrantRound, on_delete=models.CASCADE, related_name="eligibility_questions"
    )
    text = models.CharField(max_length=300)
    pass_answer = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["grant_round", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Criterion(models.Model):
    """A rubric criterion, written for young reviewers, scored 1 to 5."""

    grant_round = models.ForeignKey(GrantRound, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(max_length=200)
    guidance = models.TextField(help_text="Plain English, for reviewers aged 14 and over.")
    worked_example = models.TextField()
    weight = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("1"), validators=[MinValueValidator(0)]
    )
    descriptor_1 = models.CharField("what a 1 means", max_length=200)
    descriptor_2 = models.CharField("what a 2 means", max_length=200)
    descriptor_3 = models.CharField("what a 3 means", max_length=200)
    descriptor_4 = models.CharField("what a 4 means", max_length=200)
    descriptor_5 = models.CharField("what a 5 means", max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["grant_round", "position", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="grant_criterion_weight_pos")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def descriptors(self) -> list[tuple[int, str]]:
        return [(n, getattr(self, f"descriptor_{n}")) for n in range(1, 6)]
