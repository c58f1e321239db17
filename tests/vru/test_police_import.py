"""police.uk street-level import: every quirk of the real files (2011 LSOA codes and splits,
empty Crime IDs for ASB, rows with no LSOA, rows outside the partnership), reported by reason,
and idempotent per month. Plus the indicator import (all or nothing, idempotent)."""

import datetime
import gzip
from pathlib import Path

import pytest
import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from tests.factories import FactorFactory, LSOAFactory
from vru import services
from vru.models import AreaIndicator, CrimeCount, Role

pytestmark = pytest.mark.django_db

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context"
)
DATA = Path(__file__).resolve().parents[2] / "vru" / "demo_data" / "police_uk"


def row(lsoa, crime_type="Violence and sexual offences", *, crime_id="abc123", month="2019-01"):
    return (
        f"{crime_id},{month},Essex Police,Essex Police,0.1,51.5,On or near X,{lsoa},"
        f"Somewhere 001A,{crime_type},Under investigation,"
    )


def csv_bytes(*rows):
    return ("\n".join([HEADER, *rows]) + "\n").encode()


@pytest.fixture
def areas(partnership, other_partnership):
    """An unchanged LSOA, a 2011 LSOA split 3:1 by population, and another partnership's."""
    return {
        "same": LSOAFactory(
            partnership=partnership, code="E01021000", lsoa11_code="E01021000", population=1000
        ),
        "big_child": LSOAFactory(
            partnership=partnership, code="E01035001", lsoa11_code="E01021999", population=1500
        ),
        "small_child": LSOAFactory(
            partnership=partnership, code="E01035002", lsoa11_code="E01021999", population=500
        ),
        "elsewhere": LSOAFactory(
            partnership=other_partnership, code="E01015693", lsoa11_code="E01015693"
        ),
    }


def counts(lsoa):
    """Crime type -> count over every month."""
    return dict(
        CrimeCount.objects.filter(lsoa=lsoa)
        .order_by()
        .values_list("crime_type")
        .annotate(n=Sum("count"))
    )


def test_counts_are_aggregated_per_lsoa_month_and_crime_type(partnership, areas):
    record = services.crime_file_import(
        actor=None,
        partnership=partnership,
        file_name="2019-01-essex-street.csv",
        content=csv_bytes(
            row("E01021000"),
            row("E01021000"),
            row("E01021000", "Robbery"),
            row("E01021000", month="2018-12"),
        ),
    )

    assert counts(areas["same"]) == {"Violence and sexual offences": 3, "Robbery": 1}
    assert (
        CrimeCount.objects.get(
            lsoa=areas["same"],
            month=datetime.date(2019, 1, 1),
            crime_type="Violence and sexual offences",
        ).count
        == 2
    )
    assert record.months == ["2018-12-01", "2019-01-01"]
    assert record.rows_read == record.rows_counted == 4


def test_asb_rows_without_a_crime_id_are_counted_and_noted(partnership, areas):
    record = services.crime_file_import(
        actor=None,
        partnership=partnership,
        file_name="f.csv",
        content=csv_bytes(row("E01021000", "Anti-social behaviour", crime_id="")),
    )

    assert counts(areas["same"]) == {"Anti-social behaviour": 1}
    assert record.notes == {"counted without a Crime ID (anti-social behaviour)": 1}
    assert record.skipped == {}


def test_rows_with_no_lsoa_or_outside_the_partnership_are_skipped_by_reason(partnership, areas):
    record = services.crime_file_import(
        actor=None,
        partnership=partnership,
        file_name="f.csv",
        content=csv_bytes(
            row(""),
            row(""),
            row("E01015693"),  # the other partnership's LSOA
            row("E01999999"),  # across the force boundary
            row("E01021000", month="January"),
            row("E01021000", crime_type=""),
            row("E01021000"),
        ),
    )

    assert record.skipped == {
        "no LSOA (no location)": 2,
        "LSOA outside the partnership": 2,
        "no valid month": 1,
        "no crime type": 1,
    }
    assert record.rows_read == 7
    assert record.rows_counted == 1
    assert not CrimeCount.objects.filter(lsoa=areas["elsewhere"]).exists()


def test_a_split_2011_lsoa_is_apportioned_by_population_without_inflating_the_total(
    partnership, areas
):
    services.crime_file_import(
        actor=None,
        partnership=partnership,
        file_name="f.csv",
        content=csv_bytes(*[row("E01021999")] * 10),
    )

    assert counts(areas["big_child"]) == {"Violence and sexual offences": 8}  # 7.5 rounds up
    assert counts(areas["small_child"]) == {"Violence and sexual offences": 2}


def test_apportioning_keeps_whole_numbers_and_the_total():
    assert services.areas.apportion(10, {"a": 1500, "b": 500}) == {"a": 8, "b": 2}
    assert services.areas.apportion(1, {"a": 1, "b": 1}) == {"a": 1, "b": 0}
    assert sum(services.areas.apportion(7, {"a": 1, "b": 1, "c": 1}).values()) == 7
    assert services.areas.apportion(3, {"a": None, "b": None}) == {"a": 2, "b": 1}


def test_reimporting_a_month_replaces_it_only_when_confirmed_and_never_doubles(partnership, areas):
    content = csv_bytes(row("E01021000"), row("E01021000"))
    services.crime_file_import(
        actor=None, partnership=partnership, file_name="f.csv", content=content
    )

    # the same month again, unconfirmed: refused, nothing changed
    with pytest.raises(ValidationError) as refused:
        services.crime_file_import(
            actor=None, partnership=partnership, file_name="f.csv", content=content
        )
    assert refused.value.code == "replace_unconfirmed"
    assert "January 2019 already has 2 crime counts stored" in refused.value.messages[0]
    assert counts(areas["same"]) == {"Violence and sexual offences": 2}

    # confirmed: replaced, never doubled
    services.crime_file_import(
        actor=None, partnership=partnership, file_name="f.csv", content=content, replace=True
    )
    assert counts(areas["same"]) == {"Violence and sexual offences": 2}
    services.crime_file_import(
        actor=None,
        partnership=partnership,
        file_name="f.csv",
        content=csv_bytes(row("E01021000")),
        replace=True,
    )
    assert counts(areas["same"]) == {"Violence and sexual offences": 1}


def test_another_months_counts_are_left_alone(partnership, areas):
    services.crime_file_import(
        actor=None,
        partnership=partnership,
        file_name="a.csv",
        content=csv_bytes(row("E01021000", month="2018-12")),
    )
    services.crime_file_import(
        actor=None, partnership=partnership, file_name="b.csv", content=csv_bytes(row("E01021000"))
    )

    assert CrimeCount.objects.filter(lsoa=areas["same"]).count() == 2


def test_a_file_with_other_columns_is_refused(partnership, areas):
    with pytest.raises(ValidationError):
        services.crime_file_import(
            actor=None, partnership=partnership, file_name="f.csv", content=b"a,b,c\n1,2,3\n"
        )


@pytest.mark.parametrize(
    "role", [r for r in Role if r not in {Role.ANALYST, Role.ADMINISTRATOR}], ids=str
)
def test_only_analysts_and_administrators_import_crime(partnership, areas, user_with_role, role):
    with pytest.raises(PermissionDenied):
        services.crime_file_import(
            actor=user_with_role(role),
            partnership=partnership,
            file_name="f.csv",
            content=csv_bytes(row("E01021000")),
        )


def test_a_real_force_month_is_read_with_every_quirk_reported(partnership):
    """The real Essex file for November 2018 (PROVENANCE.md: 17,050 rows, 91 with no LSOA)."""
    content = gzip.decompress((DATA / "2018-11-essex-street.csv.gz").read_bytes())
    # Our partnership holds only Basildon 015C (E01021318, unchanged since 2011), so nearly every row
    # is "outside the partnership": the check reads it all, and the import refuses the file.
    LSOAFactory(partnership=partnership, code="E01021318", lsoa11_code="E01021318", population=1500)

    plan = services.crime_file_plan(partnership=partnership, content=content)

    assert plan.rows_read == 17050
    assert plan.skipped["no LSOA (no location)"] == 91
    assert plan.rows_counted + sum(plan.skipped.values()) == 17050
    assert plan.rows_counted == sum(plan.counts.values()) == 217
    assert "rows are in neighbourhoods (LSOAs) outside Essex VVP" in plan.refusal
    with pytest.raises(ValidationError):
        services.crime_file_import(
            actor=None,
            partnership=partnership,
            file_name="2018-11-essex-street.csv",
            content=content,
        )
    assert not CrimeCount.objects.exists()


# --- Indicators ---------------------------------------------------------------------------


def indicator_rows(
    *rows, headers=("lsoa_code", "factor", "period", "period_start", "value", "source")
):
    return tablib.Dataset(*rows, headers=list(headers))


def test_indicators_import_all_or_nothing(partnership, areas):
    FactorFactory(partnership=partnership, key="income")

    outcome = services.indicators_import(
        actor=None,
        partnership=partnership,
        dataset=indicator_rows(
            ("E01021000", "income", "year", "2025", "0.2", "IoD2025"),
            ("E01015693", "income", "year", "2025", "0.3", "IoD2025"),  # another partnership's
            ("E01021000", "nope", "year", "2025", "0.3", "IoD2025"),
            ("E01021000", "income", "year", "2025", "lots", "IoD2025"),
        ),
    )

    assert [(e["row"], e["column"]) for e in outcome.errors] == [
        (3, "lsoa_code"),
        (4, "factor"),
        (5, "value"),
    ]
    assert not AreaIndicator.objects.exists()


def test_reimporting_the_same_indicators_changes_nothing(partnership, areas):
    FactorFactory(partnership=partnership, key="income")
    dataset = indicator_rows(("E01021000", "income", "year", "2025", "0.2", "IoD2025"))

    for _ in range(2):
        outcome = services.indicators_import(actor=None, partnership=partnership, dataset=dataset)

    assert outcome.errors == []
    indicator = AreaIndicator.objects.get()
    assert (indicator.value, indicator.period_start) == (0.2, datetime.date(2025, 1, 1))


def test_practitioners_cannot_import_indicators(partnership, user_with_role):
    with pytest.raises(PermissionDenied):
        services.indicators_import(
            actor=user_with_role(Role.PRACTITIONER),
            partnership=partnership,
            dataset=indicator_rows(),
        )
