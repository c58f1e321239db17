"""Area data and the risk index: indicators, police.uk crime counts, hotspots, runs, profiles.

Everything here is about places, not people: counts per LSOA, never a named person.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from vru.models.accounts import Partnership
from vru.models.places import LSOA, CommunitySafetyPartnership, LocalAuthority
from vru.models.scoping import PartnershipQuerySet


class Factor(models.Model):
    """One input of the risk index, configurable per partnership.

    Its values per LSOA come from imported indicators (`AreaIndicator`), from police.uk crime
    counts weighted by crime type (`crime_weights`), or from the hotspot persistence of another
    crime factor. A proxy stands in for police-held data and is labelled so wherever shown.
    """

    class Source(models.TextChoices):
        INDICATOR = "indicator", "Imported indicator"
        CRIME = "crime", "police.uk crime counts per 1,000 residents"
        PERSISTENCE = "persistence", "Hotspot persistence (years of the last N)"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="factors")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.INDICATOR)
    is_proxy = models.BooleanField(
        default=False, help_text="A public stand-in for police-held data; labelled as a proxy."
    )
    crime_weights = models.JSONField(
        default=dict,
        blank=True,
        help_text='For crime factors: {"police.uk crime type": weight}, e.g. ASB 1.',
    )
    base_factor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="persistence_factors",
        help_text="For persistence factors: the crime factor whose hotspots are counted.",
    )
    default_weight = models.DecimalField(max_digits=6, decimal_places=3, default=1)
    position = models.PositiveSmallIntegerField(default=0)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key"], name="factor_key_unique"),
            models.CheckConstraint(
                condition=models.Q(default_weight__gte=0), name="factor_weight_ge0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (proxy)" if self.is_proxy else self.name


class AreaIndicator(models.Model):
    """A factor's value for one LSOA and period (a year or a month), with its source."""

    class Period(models.TextChoices):
        YEAR = "year", "Year"
        MONTH = "month", "Month"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    lsoa = models.ForeignKey(LSOA, on_delete=models.CASCADE, related_name="indicators")
    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="indicators")
    period = models.CharField(max_length=5, choices=Period.choices, default=Period.YEAR)
    period_start = models.DateField()
    value = models.FloatField()
    source = models.CharField(max_length=300, blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["factor", "lsoa", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["lsoa", "factor", "period", "period_start"], name="indicator_unique"
            )
        ]
        indexes = [models.Index(fields=["partnership", "factor", "period_start"])]

    def __str__(self) -> str:
        return f"{self.factor} {self.lsoa_id} {self.period_start}: {self.value}"


class CrimeImport(models.Model):
    """One police.uk street-level file imported: what was counted and what was skipped, why."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    months = models.JSONField(default=list)
    rows_read = models.PositiveIntegerField(default=0)
    rows_counted = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=dict, help_text="Rows skipped, by reason.")
    notes = models.JSONField(default=dict, help_text="Rows counted with a quirk, by quirk.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows_counted} of {self.rows_read} rows)"

    @property
    def rows_skipped(self) -> int:
        return sum(self.skipped.values())


class CrimeCount(models.Model):
    """Recorded crimes and ASB incidents per 2021 LSOA, month and police.uk crime type."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    lsoa = models.ForeignKey(LSOA, on_delete=models.CASCADE, related_name="crime_counts")
    month = models.DateField(help_text="The first day of the month.")
    crime_type = models.CharField(max_length=100)
    count = models.PositiveIntegerField()

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["month", "lsoa", "crime_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["lsoa", "month", "crime_type"], name="crime_count_unique"
            )
        ]
        indexes = [models.Index(fields=["partnership", "month"])]

    def __str__(self) -> str:
        return f"{self.lsoa_id} {self.month:%Y-%m} {self.crime_type}: {self.count}"


class Hotspot(models.Model):
    """An LSOA that was a hotspot of a crime factor in a year, by the rule in vru/services/areas/hotspots.py."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="hotspots")
    lsoa = models.ForeignKey(LSOA, on_delete=models.CASCADE, related_name="hotspots")
    year = models.PositiveSmallIntegerField()
    observed = models.FloatField()
    expected = models.FloatField()
    p_value = models.FloatField()
    alpha = models.FloatField()
    persistence = models.PositiveSmallIntegerField(
        help_text="In how many of the last N years (this one included) it was a hotspot."
    )
    persistence_years = models.PositiveSmallIntegerField(default=5)
    is_new = models.BooleanField(help_text="Not a hotspot in the year before.")

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["factor", "-year", "p_value", "lsoa"]
        constraints = [
            models.UniqueConstraint(fields=["factor", "lsoa", "year"], name="hotspot_unique")
        ]
        indexes = [models.Index(fields=["partnership", "year"])]

    def __str__(self) -> str:
        return f"{self.factor} hotspot {self.lsoa_id} {self.year}"


class RiskRun(models.Model):
    """One computation of the risk index: inputs, method, weights, who and when.

    The scores hold each LSOA's input values, so a run is reproduced exactly from itself.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Computing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="risk_runs")
    label = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    weights = models.JSONField(help_text='{"factor key": weight}')
    factors = models.JSONField(
        default=list, help_text="The factors as they were at the time: key, name, proxy, source."
    )
    method = models.JSONField(default=dict)
    top_percent = models.DecimalField(max_digits=5, decimal_places=2, default=5)
    period_start = models.DateField()
    period_end = models.DateField()
    lsoa_count = models.PositiveIntegerField(default=0)
    priority_count = models.PositiveIntegerField(default=0)
    is_current = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(is_current=True),
                name="one_current_risk_run",
            ),
            models.CheckConstraint(
                condition=models.Q(top_percent__gt=0, top_percent__lte=100),
                name="risk_run_top_percent_range",
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="risk_run_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("vru:risk_run_detail", kwargs={"pk": self.pk})

    @property
    def has_proxies(self) -> bool:
        return any(f.get("is_proxy") for f in self.factors)


class RiskScore(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(RiskRun, on_delete=models.CASCADE, related_name="scores")
    lsoa = models.ForeignKey(LSOA, on_delete=models.CASCADE, related_name="risk_scores")
    inputs = models.JSONField(help_text="The factor values used: {key: value or null}.")
    score = models.FloatField()
    rank = models.PositiveIntegerField()
    percentile = models.FloatField(help_text="Share of LSOAs with a lower score, per cent.")
    is_priority = models.BooleanField()

    class Meta:
        ordering = ["run", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["run", "lsoa"], name="risk_score_unique"),
            models.UniqueConstraint(fields=["run", "rank"], name="risk_score_rank_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.lsoa_id} rank {self.rank}"


class HarmWeight(models.Model):
    """Cambridge Crime Harm Index style weight (days of imprisonment) per police.uk type."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    crime_type = models.CharField(max_length=100)
    weight = models.FloatField()
    source = models.CharField(max_length=300)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["crime_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "crime_type"], name="harm_weight_unique"
            ),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="harm_weight_ge0"),
        ]

    def __str__(self) -> str:
        return f"{self.crime_type}: {self.weight}"


class AreaProfile(models.Model):
    """One month's figures for a community safety partnership or a local authority."""

    class Kind(models.TextChoices):
        CSP = "csp", "Community safety partnership"
        LOCAL_AUTHORITY = "la", "Local authority"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=3, choices=Kind.choices)
    community_safety_partnership = models.ForeignKey(
        CommunitySafetyPartnership,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    area_name = models.CharField(max_length=200)
    month = models.DateField()
    offences = models.PositiveIntegerField()
    population = models.PositiveIntegerField()
    rate_per_1000 = models.FloatField()
    rank = models.PositiveSmallIntegerField(help_text="1 = highest rate in the partnership.")
    previous_rate_per_1000 = models.FloatField(null=True, blank=True)
    harm = models.FloatField(help_text="Harm-weighted count (sum of count x harm weight).")
    generated_at = models.DateTimeField(auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "kind", "rank"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="csp",
                        community_safety_partnership__isnull=False,
                        local_authority__isnull=True,
                    )
                    | models.Q(
                        kind="la",
                        local_authority__isnull=False,
                        community_safety_partnership__isnull=True,
                    )
                ),
                name="area_profile_one_area",
            ),
            models.UniqueConstraint(
                fields=["partnership", "kind", "area_name", "month"], name="area_profile_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_name} {self.month:%Y-%m}"

    @property
    def trend_percent(self) -> float | None:
        if not self.previous_rate_per_1000:
            return None
        return round(
            (self.rate_per_1000 - self.previous_rate_per_1000) * 100 / self.previous_rate_per_1000,
            1,
        )
