"""The demo gives each partnership a population for fair reach that says what it is:
Bedfordshire's from its SNA county shares (all ages, White British taken as all White),
every other partnership's synthetic; loading it twice changes nothing."""

import pytest

from finance import demo_population
from finance.models import PopulationFigure
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def test_bedfordshire_gets_its_sna_county_shares_and_essex_a_synthetic_population(partnership):
    beds = PartnershipFactory(slug="bedfordshire-veru", short_name="Bedfordshire VERU")

    demo_population.load_demo()
    demo_population.load_demo()

    figures = PopulationFigure.objects.filter(partnership=beds)
    assert {f.ethnic_group: f.people for f in figures} == {
        "white": 77_500,
        "asian": 13_900,
        "black": 4_800,
        "mixed": 3_000,
        "other": 800,
    }
    assert {(f.age_band, f.sex, f.synthetic) for f in figures} == {("all", "all", False)}
    assert all(f.source.startswith("Bedfordshire SNA county figures, all ages") for f in figures)
    essex = PopulationFigure.objects.filter(partnership=partnership)
    assert essex.exists()
    assert all(f.synthetic and f.source.startswith("Synthetic demo population") for f in essex)
    assert essex.count() == 5 * 5 * 2  # groups x reach bands x sexes, once
