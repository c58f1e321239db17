"""The hotspot rule (vru/services/areas/hotspots.py) on hand-made cases with known answers, and the stored
hotspots with their persistence and "new" flag."""

import datetime
import math

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import CrimeCountFactory, CrimeFactorFactory, LSOAFactory
from vru import services
from vru.models import Hotspot, Role
from vru.services.areas import hotspots

pytestmark = pytest.mark.django_db


def test_the_poisson_tail_matches_closed_forms():
    assert hotspots.poisson_upper_tail(0, 3.0) == 1.0
    assert hotspots.poisson_upper_tail(1, 1.0) == pytest.approx(1 - math.exp(-1))
    # P(X >= 2 | 2) = 1 - e^-2 (1 + 2)
    assert hotspots.poisson_upper_tail(2, 2.0) == pytest.approx(1 - 3 * math.exp(-2))
    # P(X >= 10 | 2), from the pmf summed by hand (R: ppois(9, 2, lower=FALSE) = 4.649808e-05)
    assert hotspots.poisson_upper_tail(10, 2.0) == pytest.approx(4.649808e-05, rel=1e-6)


def test_tiny_p_values_do_not_collapse_to_zero():
    p = hotspots.poisson_upper_tail(100, 10.0)

    assert 0 < p < 1e-40


def test_an_lsoa_far_above_its_expected_count_is_a_hotspot_and_the_others_are_not():
    # 4 LSOAs of 1,000 people, 40 crimes: rate 0.01, expected 10 each.
    counts = {"A": 25, "B": 5, "C": 5, "D": 5}
    populations = dict.fromkeys(counts, 1000)

    results = {t.code: t for t in hotspots.hotspot_tests(counts, populations, alpha=0.01)}

    assert results["A"].expected == pytest.approx(10.0)
    assert results["A"].is_hotspot
    assert results["A"].p_value == pytest.approx(hotspots.poisson_upper_tail(25, 10.0))
    assert not any(results[c].is_hotspot for c in "BCD")


def test_the_threshold_is_configurable():
    # 16 against 10 expected: p = 0.0487, a hotspot at 0.05 but not at 0.01.
    counts = {"A": 16, "B": 8, "C": 8, "D": 8}
    populations = dict.fromkeys(counts, 1000)

    lenient = {t.code: t for t in hotspots.hotspot_tests(counts, populations, alpha=0.05)}
    strict = {t.code: t for t in hotspots.hotspot_tests(counts, populations, alpha=0.01)}

    assert lenient["A"].is_hotspot
    assert not strict["A"].is_hotspot


def test_expected_counts_follow_population():
    counts = {"big": 20, "small": 20}
    populations = {"big": 3000, "small": 1000}

    results = {t.code: t for t in hotspots.hotspot_tests(counts, populations, alpha=0.01)}

    assert results["big"].expected == pytest.approx(30.0)
    assert results["small"].expected == pytest.approx(10.0)
    assert results["small"].is_hotspot
    assert not results["big"].is_hotspot


def test_an_lsoa_without_population_is_never_a_hotspot():
    results = hotspots.hotspot_tests({"A": 50, "B": 1}, {"A": None, "B": 1000}, alpha=0.01)

    assert [t.is_hotspot for t in results] == [False, False]


def test_persistence_counts_hotspot_years_among_the_last_n():
    assert hotspots.persistence([2019, 2021, 2022, 2023], year=2023, years=5) == 4
    assert hotspots.persistence([2015, 2016, 2023], year=2023, years=5) == 1
    assert hotspots.persistence([2019, 2024], year=2023, years=5) == 1  # later years ignored


def test_a_hotspot_is_new_when_it_was_not_one_the_year_before():
    assert hotspots.is_new_hotspot([2021, 2023], year=2023)
    assert not hotspots.is_new_hotspot([2022, 2023], year=2023)
    assert not hotspots.is_new_hotspot([2022], year=2023)


def _area(partnership, counts_by_year: dict[int, int], population=1000):
    lsoa = LSOAFactory(partnership=partnership, population=population)
    for year, n in counts_by_year.items():
        CrimeCountFactory(lsoa=lsoa, month=datetime.date(year, 3, 1), count=n)
    return lsoa


def test_stored_hotspots_carry_persistence_and_the_new_flag(partnership):
    factor = CrimeFactorFactory(partnership=partnership, key="violence")
    hot = _area(partnership, {2021: 40, 2022: 40, 2023: 40})
    newly_hot = _area(partnership, {2021: 5, 2022: 5, 2023: 40})
    for _ in range(6):
        _area(partnership, {2021: 5, 2022: 5, 2023: 5})

    for year in (2021, 2022, 2023):
        services.hotspots_compute(actor=None, partnership=partnership, factor=factor, year=year)

    rows = {h.lsoa_id: h for h in Hotspot.objects.filter(year=2023)}
    assert set(rows) == {hot.pk, newly_hot.pk}
    assert rows[hot.pk].persistence == 3
    assert not rows[hot.pk].is_new
    assert rows[newly_hot.pk].persistence == 1
    assert rows[newly_hot.pk].is_new


def test_recomputing_a_year_replaces_it(partnership):
    factor = CrimeFactorFactory(partnership=partnership)
    _area(partnership, {2023: 40})
    for _ in range(6):
        _area(partnership, {2023: 5})

    services.hotspots_compute(actor=None, partnership=partnership, factor=factor, year=2023)
    services.hotspots_compute(actor=None, partnership=partnership, factor=factor, year=2023)

    assert Hotspot.objects.filter(factor=factor, year=2023).count() == 1


def test_only_analysts_and_administrators_compute_hotspots(partnership, user_with_role):
    factor = CrimeFactorFactory(partnership=partnership)

    with pytest.raises(PermissionDenied):
        services.hotspots_compute(
            actor=user_with_role(Role.PRACTITIONER),
            partnership=partnership,
            factor=factor,
            year=2023,
        )
    services.hotspots_compute(
        actor=user_with_role(Role.ANALYST), partnership=partnership, factor=factor, year=2023
    )
