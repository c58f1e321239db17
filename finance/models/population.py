"""The population fair reach compares referrals with: people by local authority (or the whole
partnership), age band, sex and ethnic group, with the figures' source and year
(docs/finance.md, "Fair reach").

Imported from the ONS Census 2021 ethnic group by age (and sex) table of each local
authority through a reviewed import (finance.services.population_imports), or loaded by the
demo. Ethnic groups are the ONS 2021 high-level groups the young people's records use
(programmes.models.Ethnicity), with White optionally split into White British and other White
groups when the table gives them; ages are the core's reach bands (vru.age_bands) or all
ages; sex is female, male or both (Census 2021 asked sex as female or male)."""

from django.db import models
from django.db.models import Q

from programmes.models import Ethnicity
from vru.age_bands import AgeBand
from vru.models import ImportJob, LocalAuthority, Partnership

ALL_AGES = "all"
AGE_CHOICES = [*AgeBand.choices, (ALL_AGES, "All ages")]


class PopulationSex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    ALL = "all", "All persons"


class PopulationEthnicGroup(models.TextChoices):
    ASIAN = Ethnicity.ASIAN.value, Ethnicity.ASIAN.label
    BLACK = Ethnicity.BLACK.value, Ethnicity.BLACK.label
    MIXED = Ethnicity.MIXED.value, Ethnicity.MIXED.label
    WHITE = Ethnicity.WHITE.value, Ethnicity.WHITE.label
    # White split, where the table gives it (compared with referrals as White)
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_OTHER = "white_other", "White: other White groups"
    OTHER = Ethnicity.OTHER.value, Ethnicity.OTHER.label


# the five groups of young people's records each population group counts towards
COMPARED_AS = {
    PopulationEthnicGroup.WHITE_BRITISH.value: Ethnicity.WHITE.value,
    PopulationEthnicGroup.WHITE_OTHER.value: Ethnicity.WHITE.value,
}
COMPARED_GROUPS = [
    Ethnicity.ASIAN.value,
    Ethnicity.BLACK.value,
    Ethnicity.MIXED.value,
    Ethnicity.WHITE.value,
    Ethnicity.OTHER.value,
]


def compared_group(ethnic_group: str) -> str:
    return COMPARED_AS.get(ethnic_group, ethnic_group)


class PopulationFigure(models.Model):
    """How many people of one age band, sex and ethnic group live in one local authority (or,
    without one, the whole partnership), by a named source and year."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: a figure for the whole partnership.",
    )
    source = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    age_band = models.CharField(max_length=8, choices=AGE_CHOICES)
    sex = models.CharField(max_length=6, choices=PopulationSex.choices)
    ethnic_group = models.CharField(max_length=16, choices=PopulationEthnicGroup.choices)
    people = models.PositiveIntegerField()
    synthetic = models.BooleanField(
        default=False, help_text="Made up for the demo: never census figures."
    )
    import_job = models.ForeignKey(
        ImportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["local_authority__name", "year", "age_band", "sex", "ethnic_group"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "partnership",
                    "local_authority",
                    "year",
                    "age_band",
                    "sex",
                    "ethnic_group",
                ],
                condition=Q(local_authority__isnull=False),
                name="finance_population_la_cell_unique",
            ),
            models.UniqueConstraint(
                fields=["partnership", "year", "age_band", "sex", "ethnic_group"],
                condition=Q(local_authority__isnull=True),
                name="finance_population_partnership_cell_unique",
            ),
        ]

    def __str__(self) -> str:
        where = self.local_authority.name if self.local_authority else "partnership"
        return f"{where} {self.year}: {self.age_band} {self.sex} {self.ethnic_group} {self.people}"
