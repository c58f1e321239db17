"""Success measures: Essex's real Table A figures must come out as the SNA prints them, and
commissioners must not be able to read small counts of people, directly or through a change."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests.factories import SuccessMeasureFactory, SuccessMeasureValueFactory
from vru import selectors, services
from vru.models import ImportJob, Role

pytestmark = pytest.mark.django_db

DEMO_DATA = Path(services.__file__).resolve().parent.parent / "demo_data"  # vru/demo_data
KNIFE_SV = "Knife enabled serious violence (excluding domestic abuse)"
HOMICIDES = "Non-domestic homicides"
U25_ADMISSIONS = "Under-25s admissions to hospital for assault with a knife or sharp object"
KNIFE_HOMICIDE = "Knife enabled homicide (excluding domestic abuse)"


@pytest.fixture
def essex_measures(partnership, user_with_role):
    """The Essex success measures and their values, loaded the way the demo loads them."""
    analyst = user_with_role(Role.ANALYST)
    measures = json.loads((DEMO_DATA / "essex_success_measures.json").read_text("utf-8"))
    for position, measure in enumerate(measures):
        services.success_measure_create(
            actor=analyst, partnership=partnership, position=position, **measure
        )
    path = DEMO_DATA / "essex_success_measure_values.csv"
    outcome = services.import_rows(
        actor=analyst,
        partnership=partnership,
        kind=ImportJob.Kind.SUCCESS_MEASURE_VALUES,
        dataset=services.read_table(file_name=path.name, content=path.read_bytes()),
    )
    assert outcome.errors == []
    assert outcome.imported_rows == 13
    return partnership


def table_for(viewer):
    """{measure name: {period label: row}} as the viewer sees it."""
    return {
        measure.name: {
            row.value.label: row
            for row in selectors.success_measure_rows(viewer=viewer, measure=measure)
        }
        for measure in selectors.success_measure_list(viewer=viewer)
    }


@pytest.mark.parametrize(
    ("measure", "period", "change"),
    [
        (KNIFE_SV, "Aug 2022 – Jul 2023", -9),  # 1176 -> 1066
        (HOMICIDES, "Aug 2022 – Jul 2023", -33),  # 15 -> 10
        (U25_ADMISSIONS, "2021/22", -23),  # 35 -> 27
    ],
)
def test_table_a_change_on_the_previous_period_is_as_the_sna_prints_it(
    essex_measures, user_with_role, measure, period, change
):
    rows = table_for(user_with_role(Role.ANALYST))

    assert rows[measure][period].change_from_previous == change


@pytest.mark.parametrize(
    ("measure", "period", "change"),
    [
        (KNIFE_SV, "2023", -12),  # 1184 (2020) -> 1043
        (HOMICIDES, "2023", -40),  # 15 (2018/19) -> 9
        (U25_ADMISSIONS, "2021/22", -33),  # 40 (2018/19) -> 27 is -32.5: away from zero
        (KNIFE_HOMICIDE, "2023", -70),  # 10 (2018/19) -> 3
    ],
)
def test_table_a_change_on_the_baseline_is_as_the_sna_prints_it(
    essex_measures, user_with_role, measure, period, change
):
    rows = table_for(user_with_role(Role.ANALYST))

    assert rows[measure][period].change_from_baseline == change


def test_the_previous_period_is_the_latest_one_ended_before_this_one_began(
    essex_measures, user_with_role
):
    rows = table_for(user_with_role(Role.ANALYST))

    assert rows[KNIFE_SV]["Aug 2022 – Jul 2023"].previous.label == "Aug 2021 – Jul 2022"
    assert rows[KNIFE_SV]["2023"].previous.label == "Aug 2021 – Jul 2022"
    assert rows[KNIFE_SV]["2020"].previous is None
    assert rows[KNIFE_SV]["2020"].change_from_baseline is None  # the baseline itself


def test_a_fall_in_a_lower_is_better_measure_is_an_improvement(essex_measures, user_with_role):
    rows = table_for(user_with_role(Role.ANALYST))

    assert rows[KNIFE_SV]["Aug 2022 – Jul 2023"].improved is True
    assert rows[HOMICIDES]["Aug 2021 – Jul 2022"].improved is None  # 15 -> 15


# --- percent_change ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        ("1176", "1066", -9),
        ("15", "10", -33),
        ("40", "27", -33),  # -32.5 rounds away from zero
        ("40", "53", 33),  # +32.5 rounds away from zero
        ("200", "201", 1),  # 0.5
        ("200", "199", -1),  # -0.5
        ("1000", "1004", 0),  # 0.4
        ("100", "100", 0),
        ("4", "12", 200),
        ("10", "0", -100),
        ("2.5", "3.75", 50),
    ],
)
def test_percent_change_is_rounded_half_away_from_zero(previous, current, expected):
    change = selectors.percent_change(previous=Decimal(previous), current=Decimal(current))

    assert change == expected
    assert isinstance(change, int)


def test_percent_change_from_zero_is_undefined():
    assert selectors.percent_change(previous=Decimal(0), current=Decimal(7)) is None


# --- Suppression -------------------------------------------------------------------------


def test_a_commissioner_sees_a_count_of_3_people_as_under_5_with_no_change(
    essex_measures, user_with_role
):
    rows = table_for(user_with_role(Role.COMMISSIONER))

    row = rows[KNIFE_HOMICIDE]["2023"]
    assert row.shown_value == "<5"
    assert row.suppressed is True
    assert row.change_from_previous is None
    assert row.change_from_baseline is None


def test_an_analyst_sees_the_count_of_3_and_its_change(essex_measures, user_with_role):
    rows = table_for(user_with_role(Role.ANALYST))

    row = rows[KNIFE_HOMICIDE]["2023"]
    assert row.shown_value == "3"
    assert row.suppressed is False
    assert row.change_from_baseline == -70


def test_a_commissioner_sees_counts_of_5_or_more_and_counts_that_are_not_people(
    essex_measures, user_with_role
):
    rows = table_for(user_with_role(Role.COMMISSIONER))

    assert rows[HOMICIDES]["2023"].shown_value == "9"
    assert rows[HOMICIDES]["2023"].change_from_baseline == -40
    assert rows[KNIFE_SV]["2023"].shown_value == "1,043"


def test_a_commissioner_sees_no_change_computed_from_a_hidden_previous_value(
    partnership, user_with_role
):
    # given a people count of 2 followed by 10 (a change of +400% would give the 2 away)
    measure = SuccessMeasureFactory(partnership=partnership, counts_people=True)
    SuccessMeasureValueFactory(measure=measure, value=Decimal(2), is_baseline=True)
    SuccessMeasureValueFactory(measure=measure, value=Decimal(10))

    # when
    commissioner_rows = selectors.success_measure_rows(
        viewer=user_with_role(Role.COMMISSIONER), measure=measure
    )
    analyst_rows = selectors.success_measure_rows(
        viewer=user_with_role(Role.ANALYST), measure=measure
    )

    # then
    assert [r.shown_value for r in commissioner_rows] == ["<5", "10"]
    assert commissioner_rows[1].change_from_previous is None
    assert commissioner_rows[1].change_from_baseline is None
    assert analyst_rows[1].change_from_previous == 400


def test_a_count_of_zero_people_is_shown_to_a_commissioner(partnership, user_with_role):
    measure = SuccessMeasureFactory(partnership=partnership, counts_people=True)
    SuccessMeasureValueFactory(measure=measure, value=Decimal(0))

    rows = selectors.success_measure_rows(viewer=user_with_role(Role.COMMISSIONER), measure=measure)

    assert rows[0].shown_value == "0"


def test_the_api_suppresses_small_counts_for_a_commissioner(
    essex_measures, user_with_role, api_client
):
    api_client.force_authenticate(user_with_role(Role.COMMISSIONER))

    measures = api_client.get("/api/success-measures/").json()["results"]

    knife_homicide = next(m for m in measures if m["name"] == KNIFE_HOMICIDE)
    latest = knife_homicide["values"][-1]
    assert latest["value"] == "<5"
    assert latest["suppressed"] is True
    assert latest["change_from_previous_percent"] is None
    assert latest["change_from_baseline_percent"] is None
    assert "3" not in {str(v) for v in latest.values()}


def test_the_api_shows_an_analyst_the_count_and_its_change(
    essex_measures, user_with_role, api_client
):
    api_client.force_authenticate(user_with_role(Role.ANALYST))

    measures = api_client.get("/api/success-measures/").json()["results"]

    knife_homicide = next(m for m in measures if m["name"] == KNIFE_HOMICIDE)
    assert knife_homicide["values"][-1]["value"] == "3"
    assert knife_homicide["values"][-1]["change_from_baseline_percent"] == -70


def _table_html(page: str, measure_name: str) -> str:
    # Match on the table's own caption: the next table's scroll region names its measure too.
    return next(
        table for table in page.split("<table")[1:] if measure_name in table.split("</caption>")[0]
    )


def test_the_page_shows_a_commissioner_under_5_and_no_change(
    essex_measures, user_with_role, client
):
    client.force_login(user_with_role(Role.COMMISSIONER))

    page = client.get("/success-measures/").text

    table = _table_html(page, KNIFE_HOMICIDE)
    assert "&lt;5" in table
    assert "-70%" not in table
    assert "-33%" in _table_html(page, U25_ADMISSIONS)


def test_the_page_shows_an_analyst_the_real_figures(essex_measures, user_with_role, client):
    client.force_login(user_with_role(Role.ANALYST))

    page = client.get("/success-measures/").text

    table = _table_html(page, KNIFE_HOMICIDE)
    assert "&lt;5" not in table
    assert "-70%" in table
    knife_sv = _table_html(page, KNIFE_SV)
    assert "1,066" in knife_sv
    assert "-9%" in knife_sv
    assert "-12%" in knife_sv
