"""Evaluations, outcome measures and the value of what was done.

- An Evaluation studies one programme or one grant award: who evaluated it, how, what it found,
  and how strong the evidence is on the Maryland Scientific Methods Scale (SMS, 1 to 5).
- An Instrument is a scored questionnaire (WEMWBS, SWEMWBS, SDQ or a programme's own); an
  OutcomeScore is one young person's total at one time point, on their referral.
- A UnitCost is a published cost of one crime (Home Office, Heeks et al. 2018); a
  BenefitAssumption says how many such crimes an evaluation's effect averts per participant.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from vru.models.scoping import PartnershipQuerySet

# The Maryland Scientific Methods Scale (Sherman et al. 1997; as used by the What Works Centre
# for Local Economic Growth and the College of Policing). Shown on every evaluation page.
MARYLAND_SMS = {
    1: "Level 1: a relationship between the programme and the outcome at one point in time, "
    "with no comparison.",
    2: "Level 2: outcomes before and after the programme, with no comparison group "
    "(or a comparison group that is not comparable).",
    3: "Level 3: before and after, with a comparison group that did not take part.",
    4: "Level 4: before and after in several groups, with the differences between them "
    "controlled for (e.g. matched or statistically adjusted comparison).",
    5: "Level 5: random assignment to the programme or a control group (randomised trial).",
}

# Published by the Essex Violence and Vulnerability Partnership (Essex SNA, citing the V&V case
# for investment, 2022): shown beside computed ratios, never in place of them.
PUBLISHED_BENEFIT_COST_RATIO = {
    "ratio": 3.5,
    "source": "Essex Violence and Vulnerability Partnership, Strategic Needs Assessment "
    "(citing the V&V case for investment, 2022): “intervention benefits are approximately "
    "3.5 times higher than intervention costs”.",
}


class Evaluation(models.Model):
    class Kind(models.TextChoices):
        INTERNAL = "internal", "Internal"
        INDEPENDENT = "independent", "Independent"

    class Method(models.TextChoices):
        PRE_POST = "pre_post", "Before and after (pre/post)"
        COMPARISON = "comparison", "Comparison group"
        RANDOMISED = "randomised", "Randomised controlled trial"
        QUALITATIVE = "qualitative", "Qualitative"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        REPORTED = "reported", "Reported"

    partnership = models.ForeignKey(
        "vru.Partnership", on_delete=models.PROTECT, related_name="evaluations"
    )
    title = models.CharField(max_length=200)
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    award = models.ForeignKey(
        "grants.Award",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The grant award evaluated (instead of a programme).",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    method = models.CharField(max_length=12, choices=Method.choices)
    evaluator = models.CharField(max_length=200, help_text="Who carries out the evaluation.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    reported_on = models.DateField(null=True, blank=True)
    findings = models.TextField(blank=True)
    evidence_rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=[(level, f"{level}") for level in MARYLAND_SMS],
        help_text="Maryland Scientific Methods Scale, 1 (weakest) to 5 (randomised).",
    )
    # Cost and benefit: recorded figures override what the records give (the programme's
    # budget or the award's amount; the referrals in the evaluation's period).
    cost = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Recorded cost of what was evaluated; leave empty to use the budget or award.",
    )
    participants = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Recorded participants; leave empty to count referrals in the period.",
    )
    assumptions = models.TextField(
        blank=True, help_text="How the benefit estimate was reached, in plain words."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(programme__isnull=False) & Q(award__isnull=True))
                | (Q(programme__isnull=True) & Q(award__isnull=False)),
                name="evaluation_programme_xor_award",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="evaluation_dates_order",
            ),
            models.CheckConstraint(
                condition=Q(evidence_rating__isnull=True)
                | Q(evidence_rating__gte=1, evidence_rating__lte=5),
                name="evaluation_sms_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(status="reported") | Q(reported_on__isnull=False),
                name="evaluation_reported_has_date",
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gt=0), name="evaluation_cost_positive"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "starts_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluation:evaluation_detail", kwargs={"pk": self.pk})

    @property
    def evidence_rating_description(self) -> str:
        return MARYLAND_SMS.get(self.evidence_rating or 0, "Not rated yet.")


class UnitCost(models.Model):
    """The cost to society of one crime. National published figures have no partnership and
    change only through the data migration or a superuser; a partnership may add its own
    (e.g. uprated to current prices) with its source."""

    partnership = models.ForeignKey(
        "vru.Partnership", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    offence = models.CharField(max_length=120)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    price_year = models.CharField(max_length=10, help_text='e.g. "2015/16".')
    source = models.CharField(max_length=300)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["offence", "price_year"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="unit_cost_positive"),
            models.UniqueConstraint(
                fields=["partnership", "offence", "price_year"], name="unit_cost_unique"
            ),
            models.UniqueConstraint(
                fields=["offence", "price_year"],
                condition=Q(partnership__isnull=True),
                name="unit_cost_unique_national",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offence} (£{self.amount:,.0f}, {self.price_year} prices)"


class BenefitAssumption(models.Model):
    """Offences of one kind averted per participant, from the evaluation's effect size."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="benefit_assumptions"
    )
    unit_cost = models.ForeignKey(UnitCost, on_delete=models.PROTECT, related_name="+")
    offences_averted_per_participant = models.DecimalField(max_digits=8, decimal_places=4)
    basis = models.TextField(help_text="Where the figure comes from (effect size, source).")

    class Meta:
        ordering = ["evaluation", "unit_cost"]
        constraints = [
            models.CheckConstraint(
                condition=Q(offences_averted_per_participant__gt=0),
                name="benefit_averted_positive",
            ),
            models.UniqueConstraint(
                fields=["evaluation", "unit_cost"], name="benefit_assumption_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offences_averted_per_participant} × {self.unit_cost.offence}"


class Instrument(models.Model):
    """A scored questionnaire. Standard instruments have no partnership; a programme's own
    questionnaire belongs to its partnership. The total is the sum of the items (reverse-scored
    items counted as item_min + item_max - answer) or entered as a total."""

    partnership = models.ForeignKey(
        "vru.Partnership", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=200)
    item_count = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Items answered; empty when only a total is entered."
    )
    item_min = models.SmallIntegerField(null=True, blank=True)
    item_max = models.SmallIntegerField(null=True, blank=True)
    reverse_items = models.JSONField(
        default=list, blank=True, help_text="Item numbers (from 1) that are reverse-scored."
    )
    min_total = models.IntegerField()
    max_total = models.IntegerField()
    higher_is_better = models.BooleanField(default=True)
    meaningful_change = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        help_text="Change in the total (in the good direction) that counts as improvement.",
    )
    meaningful_change_source = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="instrument_code_unique"),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(partnership__isnull=True),
                name="instrument_code_unique_standard",
            ),
            models.CheckConstraint(
                condition=Q(max_total__gt=F("min_total")), name="instrument_total_range"
            ),
            models.CheckConstraint(
                condition=Q(meaningful_change__gt=0), name="instrument_meaningful_positive"
            ),
            models.CheckConstraint(
                condition=Q(item_count__isnull=True)
                | (
                    Q(item_count__gte=1) & Q(item_min__isnull=False) & Q(item_max__gt=F("item_min"))
                ),
                name="instrument_items_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def direction(self) -> str:
        return "higher is better" if self.higher_is_better else "lower is better"

    def total_of(self, items: list[int]) -> int:
        """The instrument's total for item answers (reverse-scored items turned round).
        Raises ValueError with a message a person can act on."""
        if self.item_count is None:
            raise ValueError(f"{self.name} is entered as a total, not item by item.")
        if len(items) != self.item_count:
            raise ValueError(f"{self.name} has {self.item_count} items; {len(items)} were given.")
        reverse = set(self.reverse_items or [])
        total = 0
        for number, answer in enumerate(items, start=1):
            if not self.item_min <= answer <= self.item_max:
                raise ValueError(f"Item {number} must be from {self.item_min} to {self.item_max}.")
            total += (self.item_min + self.item_max - answer) if number in reverse else answer
        return total

    def improvement(self, first: int, last: int) -> int:
        """Change from first to last in the good direction (positive = better)."""
        return (last - first) if self.higher_is_better else (first - last)


SCORE_IN_FUTURE = "The date cannot be in the future."
SCORE_BEFORE_REFERRAL = "The date cannot be before the referral."


class OutcomeScore(models.Model):
    """One young person's total on one instrument at one time point, on their referral."""

    class TimePoint(models.TextChoices):
        BASELINE = "baseline", "Start (baseline)"
        MID = "mid", "Midway review"
        EXIT = "exit", "End (exit)"
        FOLLOW_UP = "follow_up", "Follow-up"

    referral = models.ForeignKey("programmes.Referral", on_delete=models.CASCADE, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="scores")
    time_point = models.CharField(max_length=10, choices=TimePoint.choices)
    scored_on = models.DateField()
    total = models.IntegerField()
    items = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["referral", "instrument", "scored_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "instrument", "time_point"], name="outcome_score_once"
            )
        ]
        indexes = [models.Index(fields=["instrument", "referral", "scored_on"])]

    def __str__(self) -> str:
        return f"{self.instrument.code} {self.get_time_point_display()}: {self.total}"

    def clean(self) -> None:
        # Every door runs this (the scores page through the service, a direct call): the day
        # the questionnaire was completed lies between the referral and today.
        day = self.scored_on
        if not isinstance(day, date):
            return
        if day > timezone.localdate():
            raise ValidationError({"scored_on": SCORE_IN_FUTURE})
        if self.referral_id is not None and day < timezone.localdate(self.referral.referred_at):
            raise ValidationError({"scored_on": SCORE_BEFORE_REFERRAL})
