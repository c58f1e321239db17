"""The quarterly return: for one quarter of a financial year, one row per intervention
(programme or grant award) with its spend and whom it reached. Produced as a draft, reviewed,
then locked (who, when). A locked return is never edited: a correction is a new version
beside it (`supersedes`), produced afresh from the records."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from finance.models.funding import Quarter, financial_year_label
from programmes.models import Ethnicity, Gender
from vru.age_bands import AGE_NOT_KNOWN, AgeBand
from vru.models import Partnership

# The return's columns, fixed and documented (README, "The quarterly return"): the order of
# every export. Counts of people are distinct young people, never referrals or contacts.
AGE_COLUMNS = [
    ("age_under_10", AgeBand.UNDER_10.value),
    ("age_10_to_13", AgeBand.AGE_10_13.value),
    ("age_14_to_17", AgeBand.AGE_14_17.value),
    ("age_18_to_24", AgeBand.AGE_18_24.value),
    ("age_25_and_over", AgeBand.OVER_24.value),
    ("age_not_known", AGE_NOT_KNOWN[0]),
]
SEX_COLUMNS = [
    ("sex_female", Gender.FEMALE.value),
    ("sex_male", Gender.MALE.value),
    ("sex_non_binary", Gender.NON_BINARY.value),
    ("sex_other", Gender.OTHER.value),
    ("sex_prefer_not_to_say", Gender.NOT_SAID.value),
    ("sex_not_known", "not_known"),  # not collected (grant awards' monitoring returns)
]
ETHNICITY_COLUMNS = [
    ("ethnicity_asian", Ethnicity.ASIAN.value),
    ("ethnicity_black", Ethnicity.BLACK.value),
    ("ethnicity_mixed", Ethnicity.MIXED.value),
    ("ethnicity_white", Ethnicity.WHITE.value),
    ("ethnicity_other", Ethnicity.OTHER.value),
    ("ethnicity_prefer_not_to_say", Ethnicity.NOT_SAID.value),
    ("ethnicity_not_known", Ethnicity.NOT_KNOWN.value),
]
COUNT_COLUMNS = [
    "young_people_reached",
    "new_starts",
    "completions",
    *(name for name, _ in AGE_COLUMNS),
    *(name for name, _ in SEX_COLUMNS),
    *(name for name, _ in ETHNICITY_COLUMNS),
    "reached_in_priority_neighbourhoods",
    "outcomes_recorded",
]
COLUMNS = [
    "financial_year",
    "quarter",
    "version",
    "intervention_type",
    "intervention",
    "delivered_by",
    "spend_in_quarter",
    *COUNT_COLUMNS,
]
# the breakdowns whose cells add up to young_people_reached
BREAKDOWNS = {
    "age band": [name for name, _ in AGE_COLUMNS],
    "sex": [name for name, _ in SEX_COLUMNS],
    "ethnicity": [name for name, _ in ETHNICITY_COLUMNS],
}


class QuarterlyReturn(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEWED = "reviewed", "Reviewed"
        LOCKED = "locked", "Locked"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    financial_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(choices=Quarter.choices)
    version = models.PositiveSmallIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    correction_reason = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    # true counts (staff) and the same cells as published outside the partnership (each
    # person's fixed adjustment, then small numbers: vru.selectors.disclosure)
    rows = models.JSONField(default=list)
    published_rows = models.JSONField(default=list)
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    produced_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-financial_year", "-quarter", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "financial_year", "quarter", "version"],
                name="finance_return_version_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status="locked") | (Q(locked_at__isnull=False)),
                name="finance_return_locked_when",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(reviewed_at__isnull=False),
                name="finance_return_reviewed_when",
            ),
            models.CheckConstraint(
                condition=Q(version=1, supersedes__isnull=True)
                | Q(version__gt=1, supersedes__isnull=False),
                name="finance_return_correction_supersedes",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"Quarterly return {financial_year_label(self.financial_year)} Q{self.quarter} "
            f"(version {self.version})"
        )

    def get_absolute_url(self) -> str:
        return reverse("finance:return_detail", kwargs={"pk": self.pk})

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)
