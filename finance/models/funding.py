"""Funding streams, their allocations to programmes and grant rounds, and the spend recorded
per programme per quarter of the UK financial year (April to June is Q1)."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from grants.models import GrantRound
from programmes.models import Programme
from vru.models import Partnership
from vru.models.scoping import PartnershipQuerySet, scoped_to

_YEARS = [MinValueValidator(2000), MaxValueValidator(2100)]
_POSITIVE = [MinValueValidator(Decimal("0.01"))]


def financial_year_label(year: int) -> str:
    """2024 -> "2024/25" (the year that starts on 1 April 2024)."""
    return f"{year}/{(year + 1) % 100:02d}"


def financial_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def quarter_of(day: date) -> int:
    """The quarter of the UK financial year: April-June 1, July-September 2, October-December
    3, January-March 4."""
    return (day.month - 4) % 12 // 3 + 1


def quarter_dates(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of quarter `quarter` of financial year `year`."""
    start_month = 4 + 3 * (quarter - 1)
    start_year = year + (start_month - 1) // 12
    start_month = (start_month - 1) % 12 + 1
    start = date(start_year, start_month, 1)
    end_month = start_month + 3
    end_year = start_year + (end_month - 1) // 12
    end_month = (end_month - 1) % 12 + 1
    return start, date.fromordinal(date(end_year, end_month, 1).toordinal() - 1)


class Quarter(models.IntegerChoices):
    Q1 = 1, "Q1 (April to June)"
    Q2 = 2, "Q2 (July to September)"
    Q3 = 3, "Q3 (October to December)"
    Q4 = 4, "Q4 (January to March)"


class FundingStream(models.Model):
    class SpendType(models.TextChoices):
        CORE = "core", "Core"
        INTERVENTION = "intervention", "Intervention"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    funder = models.CharField(max_length=200, help_text="Who pays, e.g. the Home Office.")
    grant_name = models.CharField(max_length=200)
    financial_year = models.PositiveSmallIntegerField(
        validators=_YEARS, help_text="The year it starts: 2024 for 2024/25."
    )
    amount = models.DecimalField(
        "amount (£)", max_digits=12, decimal_places=2, validators=_POSITIVE
    )
    spend_type = models.CharField(max_length=12, choices=SpendType.choices)
    conditions = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-financial_year", "funder", "grant_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "funder", "grant_name", "financial_year"],
                name="finance_stream_unique",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_stream_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.funder}: {self.grant_name} {financial_year_label(self.financial_year)}"

    def get_absolute_url(self) -> str:
        return reverse("finance:stream_detail", kwargs={"pk": self.pk})

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)


class Allocation(models.Model):
    """Part of a stream given to a programme or to a grant round (one of the two)."""

    stream = models.ForeignKey(FundingStream, on_delete=models.CASCADE, related_name="allocations")
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    grant_round = models.ForeignKey(
        GrantRound, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = models.DecimalField(
        "amount (£)", max_digits=12, decimal_places=2, validators=_POSITIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_to("stream__partnership").as_manager()

    class Meta:
        ordering = ["stream", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(programme__isnull=False) & Q(grant_round__isnull=True))
                | (Q(programme__isnull=True) & Q(grant_round__isnull=False)),
                name="finance_allocation_one_target",
                violation_error_message="Allocate to a programme or to a grant round (one).",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_allocation_positive"),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} of {self.stream} to {self.target}"

    @property
    def target(self):
        return self.programme if self.programme_id else self.grant_round

    def clean(self) -> None:
        target = (
            self.programme
            if self.programme_id
            else self.grant_round
            if self.grant_round_id
            else None
        )
        if target is None or not self.stream_id:
            return
        if target.partnership_id != self.stream.partnership_id:
            field = "programme" if self.programme_id else "grant_round"
            raise ValidationError({field: "Choose one of your partnership's."})


class QuarterlySpend(models.Model):
    """What a programme actually spent in one quarter of a financial year."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    financial_year = models.PositiveSmallIntegerField(validators=_YEARS)
    quarter = models.PositiveSmallIntegerField(choices=Quarter.choices)
    amount = models.DecimalField(
        "amount (£)", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = scoped_to("programme__partnership").as_manager()

    class Meta:
        ordering = ["-financial_year", "-quarter", "programme"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "financial_year", "quarter"], name="finance_spend_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="finance_spend_not_negative"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="finance_spend_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {financial_year_label(self.financial_year)} Q{self.quarter}: £{self.amount}"
