"""Success-measure values recorded before comparisons existed stay sensible.

Migration 0009 relabels bare years with their kind and keeps only the like-for-like
"previous period" changes the old pages showed (a period beginning the day after another of
the same kind ends); it makes up no baseline comparison. Loading the demo on top then gives
exactly the SNA's Tables A to E.
"""

import datetime
import importlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps

from vru import demo, services
from vru.models import SuccessMeasure, SuccessMeasureComparison, SuccessMeasureValue

pytestmark = pytest.mark.django_db

migration = importlib.import_module("vru.migrations.0009_success_measure_comparisons")
DEMO_DATA = Path(services.__file__).resolve().parent.parent / "demo_data"
KNIFE_SV = "Knife enabled serious violence (excluding domestic abuse)"
HOMICIDES = "Non-domestic homicides"
U25 = "Under-25s admissions to hospital for assault with a knife or sharp object"
KNIFE_HOMICIDE = "Knife enabled homicide (excluding domestic abuse)"
D = datetime.date

# The Essex values as the demo stored them before: labels as printed, no table, no comparison.
OLD_VALUES = [
    (KNIFE_SV, "2020", D(2020, 1, 1), D(2020, 12, 31), 1184, True),
    (KNIFE_SV, "Aug 2021 – Jul 2022", D(2021, 8, 1), D(2022, 7, 31), 1176, False),
    (KNIFE_SV, "Aug 2022 – Jul 2023", D(2022, 8, 1), D(2023, 7, 31), 1066, False),
    (KNIFE_SV, "2023", D(2023, 1, 1), D(2023, 12, 31), 1043, False),
    (HOMICIDES, "2018/19", D(2018, 4, 1), D(2019, 3, 31), 15, True),
    (HOMICIDES, "Aug 2021 – Jul 2022", D(2021, 8, 1), D(2022, 7, 31), 15, False),
    (HOMICIDES, "Aug 2022 – Jul 2023", D(2022, 8, 1), D(2023, 7, 31), 10, False),
    (HOMICIDES, "2023", D(2023, 1, 1), D(2023, 12, 31), 9, False),
    (U25, "2018/19", D(2018, 4, 1), D(2019, 3, 31), 40, True),
    (U25, "2020/21", D(2020, 4, 1), D(2021, 3, 31), 35, False),
    (U25, "2021/22", D(2021, 4, 1), D(2022, 3, 31), 27, False),
    (KNIFE_HOMICIDE, "2018/19", D(2018, 4, 1), D(2019, 3, 31), 10, True),
    (KNIFE_HOMICIDE, "2023", D(2023, 1, 1), D(2023, 12, 31), 3, False),
]


@pytest.fixture
def old_essex_values(partnership):
    measures = json.loads((DEMO_DATA / "essex_success_measures.json").read_text("utf-8"))
    by_name = {
        m["name"]: services.success_measure_create(
            actor=None, partnership=partnership, position=i, **m
        )
        for i, m in enumerate(measures)
    }
    for name, label, start, end, value, is_baseline in OLD_VALUES:
        SuccessMeasureValue.objects.create(
            measure=by_name[name],
            label=label,
            period_start=start,
            period_end=end,
            value=Decimal(value),
            is_baseline=is_baseline,
        )
    return partnership


def comparisons():
    return {
        (c.measure.name, c.kind, c.earlier.label, c.later.label, c.source_table)
        for c in SuccessMeasureComparison.objects.select_related("measure", "earlier", "later")
    }


def test_the_migration_keeps_only_like_for_like_changes_and_says_what_kind_each_year_is(
    old_essex_values,
):
    migration.keep_existing_values_sensible(apps, None)

    labels = set(SuccessMeasureValue.objects.values_list("label", flat=True))
    assert labels == {
        "calendar 2020",
        "calendar 2023",
        "FY2018/19",
        "FY2020/21",
        "FY2021/22",
        "Aug 2021 – Jul 2022",  # already says what it covers: kept as written
        "Aug 2022 – Jul 2023",
    }
    # Table A's three, the only back-to-back pairs of the same kind; calendar 2023 is no
    # longer compared with Aug 2021 to Jul 2022, and no baseline comparison is made up
    assert comparisons() == {
        (KNIFE_SV, "previous", "Aug 2021 – Jul 2022", "Aug 2022 – Jul 2023", ""),
        (HOMICIDES, "previous", "Aug 2021 – Jul 2022", "Aug 2022 – Jul 2023", ""),
        (U25, "previous", "FY2020/21", "FY2021/22", ""),
    }
    for comparison in SuccessMeasureComparison.objects.all():
        comparison.full_clean()  # what the migration made keeps the rules every door keeps


def test_the_migration_is_safe_to_run_twice(old_essex_values):
    migration.keep_existing_values_sensible(apps, None)
    migration.keep_existing_values_sensible(apps, None)

    assert SuccessMeasureComparison.objects.count() == 3
    assert SuccessMeasureValue.objects.filter(label="calendar calendar 2020").count() == 0


def test_loading_the_demo_on_migrated_data_gives_exactly_tables_a_to_e(old_essex_values):
    migration.keep_existing_values_sensible(apps, None)

    demo._success_measures(old_essex_values)

    assert SuccessMeasure.objects.count() == 4
    assert SuccessMeasureValue.objects.count() == 13
    assert comparisons() == {
        (KNIFE_SV, "previous", "Aug 2021 to Jul 2022", "Aug 2022 to Jul 2023", "Table A"),
        (HOMICIDES, "previous", "Aug 2021 to Jul 2022", "Aug 2022 to Jul 2023", "Table A"),
        (U25, "previous", "FY2020/21", "FY2021/22", "Table A"),
        (KNIFE_SV, "baseline", "calendar 2020", "calendar 2023", "Table B"),
        (HOMICIDES, "baseline", "FY2018/19", "calendar 2023", "Table C"),
        (U25, "baseline", "FY2018/19", "FY2021/22", "Table D"),
        (KNIFE_HOMICIDE, "baseline", "FY2018/19", "calendar 2023", "Table E"),
    }
