"""The demo's populations for fair reach, one per partnership, each saying what it is.

- Bedfordshire: the county shares its Strategic Needs Assessment gives (77.5% White British,
  13.9% Asian, 4.8% Black, 3.0% Mixed, 0.8% other; all ages, both sexes), scaled to the
  partnership's LSOA population in the demo's area data. The five shares add up to 100%,
  leaving nothing for White people who are not British: the SNA's "White British" share is
  stored as White (every White group), which is also all a young person's record says.
  All ages, so not the same ages as the young people referred, and the page says so.
- Every other partnership (Essex): a SYNTHETIC population (made up for the demo, not census
  figures: the repository holds no census table for it), by reach band and sex, so that the
  demo also shows a comparison of the same ages.

Idempotent: a partnership with population figures is left alone."""

from django.db import transaction
from django.db.models import Sum

from finance.models import ALL_AGES, PopulationFigure, PopulationSex
from vru.age_bands import AgeBand
from vru.models import LSOA, Partnership

BEDFORDSHIRE = "bedfordshire-veru"
SNA_SHARES = {"white": 77.5, "asian": 13.9, "black": 4.8, "mixed": 3.0, "other": 0.8}
SNA_YEAR = 2019  # the SNA's year (its summary's ethnic shares state no year of their own)
SNA_SOURCE = (
    "Bedfordshire SNA county figures, all ages (77.5% White British, taken as all White; "
    "13.9% Asian; 4.8% Black; 3.0% Mixed; 0.8% other), scaled to the partnership's LSOA "
    "population of {total:,}"
)
# synthetic shares (made up): ethnic group, reach band, sex
SYNTHETIC_SHARES = {"white": 88.0, "asian": 4.5, "black": 3.0, "mixed": 3.0, "other": 1.5}
SYNTHETIC_BANDS = {
    AgeBand.UNDER_10: 11.0,
    AgeBand.AGE_10_13: 4.6,
    AgeBand.AGE_14_17: 4.5,
    AgeBand.AGE_18_24: 7.9,
    AgeBand.OVER_24: 72.0,
}
SYNTHETIC_SEXES = {PopulationSex.FEMALE: 51.0, PopulationSex.MALE: 49.0}
SYNTHETIC_YEAR = 2021
SYNTHETIC_SOURCE = (
    "Synthetic demo population (not census figures), by age band and sex, scaled to the "
    "partnership's LSOA population of {total:,}"
)
FALLBACK_TOTAL = 100_000  # a partnership with no LSOA populations in the demo


def load_demo() -> list[str]:
    lines = []
    for partnership in Partnership.objects.order_by("pk"):
        if PopulationFigure.objects.filter(partnership=partnership).exists():
            lines.append(f"Population already loaded for {partnership.short_name}.")
            continue
        lines.append(_load(partnership))
    return lines


def _total(partnership: Partnership) -> int:
    total = LSOA.objects.filter(local_authority__partnership=partnership).aggregate(
        n=Sum("population")
    )["n"]
    return total or FALLBACK_TOTAL


@transaction.atomic
def _load(partnership: Partnership) -> str:
    total = _total(partnership)
    figures = []
    if partnership.slug == BEDFORDSHIRE:
        for group, share in SNA_SHARES.items():
            figures.append(
                PopulationFigure(
                    partnership=partnership,
                    source=SNA_SOURCE.format(total=total),
                    year=SNA_YEAR,
                    age_band=ALL_AGES,
                    sex=PopulationSex.ALL,
                    ethnic_group=group,
                    people=round(total * share / 100),
                )
            )
        kind = "Bedfordshire SNA county shares"
    else:
        for group, share in SYNTHETIC_SHARES.items():
            for band, band_share in SYNTHETIC_BANDS.items():
                for sex, sex_share in SYNTHETIC_SEXES.items():
                    people = total * share * band_share * sex_share / 100**3
                    figures.append(
                        PopulationFigure(
                            partnership=partnership,
                            source=SYNTHETIC_SOURCE.format(total=total),
                            year=SYNTHETIC_YEAR,
                            age_band=band,
                            sex=sex,
                            ethnic_group=group,
                            people=round(people),
                            synthetic=True,
                        )
                    )
        kind = "synthetic"
    PopulationFigure.objects.bulk_create(figures)
    return f"Population ({kind}, {total:,} people) loaded for {partnership.short_name}."
