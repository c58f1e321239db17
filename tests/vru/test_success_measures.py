"""Success measures: a % change is shown only for a comparison the needs assessment makes.

Essex's SNA prints its success measures in Tables A to E, each comparing two periods, some
of different kinds ("FY2018/19 compared with calendar year 2023"). Every door (page, home
page, API, admin, import, report) must show those comparisons and nothing else: never a
change between neighbours of a measure's values, which may be periods of different kinds.
Commissioners must not be able to read small counts of people, directly or through a change.
"""

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from tests.factories import (
    SuccessMeasureComparisonFactory,
    SuccessMeasureFactory,
    SuccessMeasureValueFactory,
)
from vru import selectors, services
from vru.models import (
    ImportJob,
    Role,
    SuccessMeasureComparison,
    SuccessMeasureValue,
    period_kind,
    period_label,
)

pytestmark = pytest.mark.django_db

DEMO_DATA = Path(services.__file__).resolve().parent.parent / "demo_data"  # vru/demo_data
KNIFE_SV = "Knife enabled serious violence (excluding domestic abuse)"
HOMICIDES = "Non-domestic homicides"
U25_ADMISSIONS = "Under-25s admissions to hospital for assault with a knife or sharp object"
KNIFE_HOMICIDE = "Knife enabled homicide (excluding domestic abuse)"

# Tables A to E of the Essex SNA ("8. Context - Essex"), figures and % changes as printed:
# (table, measure, kind, earlier period, earlier figure, later period, later figure, change)
SNA_TABLES = {
    ("Table A", KNIFE_SV, "previous", "Aug 2021 to Jul 2022", "1,176", "Aug 2022 to Jul 2023", "1,066", -9),
    ("Table A", HOMICIDES, "previous", "Aug 2021 to Jul 2022", "15", "Aug 2022 to Jul 2023", "10", -33),
    ("Table A", U25_ADMISSIONS, "previous", "FY2020/21", "35", "FY2021/22", "27", -23),
    ("Table B", KNIFE_SV, "baseline", "calendar 2020", "1,184", "calendar 2023", "1,043", -12),
    ("Table C", HOMICIDES, "baseline", "FY2018/19", "15", "calendar 2023", "9", -40),
    ("Table D", U25_ADMISSIONS, "baseline", "FY2018/19", "40", "FY2021/22", "27", -33),
    ("Table E", KNIFE_HOMICIDE, "baseline", "FY2018/19", "10", "calendar 2023", "3", -70),
}  # fmt: skip


def import_demo_file(actor, partnership, kind, file_name):
    path = DEMO_DATA / file_name
    return services.import_rows(
        actor=actor,
        partnership=partnership,
        kind=kind,
        dataset=services.read_table(file_name=path.name, content=path.read_bytes()),
    )


@pytest.fixture
def essex_measures(partnership, user_with_role):
    """The Essex success measures, values and comparisons, loaded the way the demo loads them."""
    analyst = user_with_role(Role.ANALYST)
    measures = json.loads((DEMO_DATA / "essex_success_measures.json").read_text("utf-8"))
    for position, measure in enumerate(measures):
        services.success_measure_create(
            actor=analyst, partnership=partnership, position=position, **measure
        )
    values = import_demo_file(
        analyst,
        partnership,
        ImportJob.Kind.SUCCESS_MEASURE_VALUES,
        "essex_success_measure_values.csv",
    )
    comparisons = import_demo_file(
        analyst,
        partnership,
        ImportJob.Kind.SUCCESS_MEASURE_COMPARISONS,
        "essex_success_measure_comparisons.csv",
    )
    assert (values.errors, comparisons.errors) == ([], [])
    assert (values.imported_rows, comparisons.imported_rows) == (13, 7)
    return partnership


def figures_for(viewer):
    """{measure name: MeasureFigures} as the viewer sees them."""
    return {
        measure.name: selectors.success_measure_figures(viewer=viewer, measure=measure)
        for measure in selectors.success_measure_list(viewer=viewer)
    }


def rows_for(viewer):
    """{measure name: {period label: row}} as the viewer sees it."""
    return {
        name: {row.value.label: row for row in figures.rows}
        for name, figures in figures_for(viewer).items()
    }


# --- The demo holds exactly the SNA's printed comparisons ---------------------------------


def test_the_comparisons_are_exactly_tables_a_to_e_as_the_sna_prints_them(
    essex_measures, user_with_role
):
    figures = figures_for(user_with_role(Role.ANALYST))

    shown = {
        (
            c.source_table,
            name,
            c.kind,
            c.earlier.label,
            c.earlier_shown,
            c.later.label,
            c.later_shown,
            c.change,
        )
        for name, f in figures.items()
        for c in f.comparisons
    }
    assert shown == SNA_TABLES
    assert SuccessMeasureComparison.objects.count() == len(SNA_TABLES) == 7


def test_where_the_periods_differ_in_kind_the_comparison_carries_the_sna_note(
    essex_measures, user_with_role
):
    figures = figures_for(user_with_role(Role.ANALYST))

    table_c = next(c for c in figures[HOMICIDES].comparisons if c.source_table == "Table C")
    assert table_c.note == "Figures for FY2018/19 have been compared with the calendar year 2023"
    table_e = figures[KNIFE_HOMICIDE].comparisons[0]
    assert "2018/19" in table_e.note
    assert "calendar year 2023" in table_e.note
    # like-for-like comparisons need no note
    table_d = next(c for c in figures[U25_ADMISSIONS].comparisons if c.source_table == "Table D")
    assert table_d.note == ""


def test_every_value_carries_its_period_and_the_table_it_came_from(essex_measures):
    values = {
        (v.measure.name, v.label): (v.period_start, v.period_end, v.source_table)
        for v in SuccessMeasureValue.objects.select_related("measure")
    }

    assert values[(KNIFE_SV, "calendar 2023")] == (
        datetime.date(2023, 1, 1),
        datetime.date(2023, 12, 31),
        "Table B",
    )
    assert values[(HOMICIDES, "Aug 2021 to Jul 2022")] == (
        datetime.date(2021, 8, 1),
        datetime.date(2022, 7, 31),
        "Table A",
    )
    assert values[(U25_ADMISSIONS, "FY2021/22")][2] == "Tables A and D"
    assert all(table for _, _, table in values.values())


# --- No change without a comparison -------------------------------------------------------


def test_no_change_is_worked_out_between_values_that_have_no_comparison(
    partnership, user_with_role
):
    # given three back-to-back calendar years and no comparison recorded
    measure = SuccessMeasureFactory(partnership=partnership)
    for year, value in [(2021, 100), (2022, 80), (2023, 60)]:
        SuccessMeasureValueFactory(
            measure=measure,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            value=Decimal(value),
            is_baseline=year == 2021,
        )

    # when
    figures = selectors.success_measure_figures(
        viewer=user_with_role(Role.ANALYST), measure=measure
    )

    # then
    assert figures.comparisons == []
    assert figures.headline is None
    assert [(r.change_from_previous, r.change_from_baseline) for r in figures.rows] == [
        (None, None)
    ] * 3


def test_the_merged_series_gives_no_change_between_a_calendar_year_and_a_year_to_july(
    essex_measures, user_with_role
):
    # The complaint: "knife-enabled serious violence 2023: 1,043, -11%" compared calendar
    # 2023 with Aug 2021 to Jul 2022. Only Table B's comparison (against 2020) ends at 2023.
    rows = rows_for(user_with_role(Role.ANALYST))

    calendar_2023 = rows[KNIFE_SV]["calendar 2023"]
    assert calendar_2023.against_previous is None
    assert calendar_2023.change_from_baseline == -12
    assert rows[KNIFE_SV]["Aug 2021 to Jul 2022"].change_from_previous is None
    every_change = {
        change
        for measure_rows in rows.values()
        for row in measure_rows.values()
        for change in (row.change_from_previous, row.change_from_baseline)
        if change is not None
    }
    assert every_change == {-9, -33, -23, -12, -40, -70}


@pytest.mark.parametrize(
    ("measure", "headline"),
    [
        (KNIFE_SV, "calendar 2023 against 2020: -12%"),
        (HOMICIDES, "calendar 2023 against FY2018/19: -40%"),
        (U25_ADMISSIONS, "FY2021/22 against FY2018/19: -33%"),
        (KNIFE_HOMICIDE, "calendar 2023 against FY2018/19: -70%"),
    ],
)
def test_the_headline_names_both_periods(essex_measures, user_with_role, measure, headline):
    figures = figures_for(user_with_role(Role.ANALYST))

    assert figures[measure].headline.headline == headline


def test_a_fall_in_a_lower_is_better_measure_is_an_improvement(essex_measures, user_with_role):
    figures = figures_for(user_with_role(Role.ANALYST))

    assert figures[KNIFE_SV].headline.improved is True


# --- The rules every door keeps ------------------------------------------------------------


def _value(measure, start, end, value=100, **kwargs):
    return SuccessMeasureValueFactory(
        measure=measure, period_start=start, period_end=end, value=Decimal(value), **kwargs
    )


@pytest.fixture
def measure(partnership):
    return SuccessMeasureFactory(partnership=partnership, name="Non-domestic homicides")


def test_periods_of_different_kinds_cannot_be_compared_without_a_note(measure):
    fy = _value(measure, datetime.date(2018, 4, 1), datetime.date(2019, 3, 31), is_baseline=True)
    cy = _value(measure, datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))

    with pytest.raises(ValidationError) as error:
        SuccessMeasureComparisonFactory(earlier=fy, later=cy, kind="baseline")

    assert "differ in kind" in error.value.message_dict["note"][0]
    SuccessMeasureComparisonFactory(
        earlier=fy, later=cy, kind="baseline", note="FY2018/19 compared with calendar 2023"
    )


def test_a_baseline_comparison_is_against_the_measures_baseline(measure):
    first = _value(measure, datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))
    second = _value(measure, datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))

    with pytest.raises(ValidationError) as error:
        SuccessMeasureComparisonFactory(earlier=first, later=second, kind="baseline")

    assert "not the measure's baseline" in error.value.message_dict["earlier"][0]


def test_the_earlier_period_must_end_before_the_later_begins(measure):
    year = _value(measure, datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))
    overlapping = _value(measure, datetime.date(2022, 4, 1), datetime.date(2023, 3, 31))

    with pytest.raises(ValidationError) as error:
        SuccessMeasureComparisonFactory(earlier=overlapping, later=year, note="n")

    assert "must begin after" in error.value.message_dict["later"][0]


def test_both_values_must_belong_to_the_same_measure(measure, partnership):
    other = SuccessMeasureFactory(partnership=partnership, name="Knife crime")
    ours = _value(measure, datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))
    theirs = _value(other, datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))

    with pytest.raises(ValidationError) as error:
        SuccessMeasureComparisonFactory(earlier=ours, later=theirs)

    assert "same success measure" in error.value.message_dict["later"][0]


def test_a_period_is_compared_with_one_previous_period_only(measure):
    a = _value(measure, datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))
    b = _value(measure, datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))
    c = _value(measure, datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    SuccessMeasureComparisonFactory(earlier=b, later=c)

    with pytest.raises(ValidationError):
        SuccessMeasureComparisonFactory(earlier=a, later=c)


def test_a_value_cannot_change_so_that_its_comparisons_stop_holding(measure):
    fy = _value(measure, datetime.date(2020, 4, 1), datetime.date(2021, 3, 31), is_baseline=True)
    next_fy = _value(measure, datetime.date(2021, 4, 1), datetime.date(2022, 3, 31))
    SuccessMeasureComparisonFactory(earlier=fy, later=next_fy, kind="baseline")

    next_fy.period_start, next_fy.period_end = (
        datetime.date(2022, 1, 1),
        datetime.date(2022, 12, 31),
    )
    with pytest.raises(ValidationError, match="differ in kind"):
        next_fy.full_clean()
    fy.refresh_from_db()
    fy.is_baseline = False
    with pytest.raises(ValidationError, match="not the measure's baseline"):
        fy.full_clean()


def test_a_value_without_a_label_is_labelled_from_its_dates(measure):
    value = SuccessMeasureValue(
        measure=measure,
        period_start=datetime.date(2018, 4, 1),
        period_end=datetime.date(2019, 3, 31),
        value=Decimal(15),
    )

    value.full_clean()

    assert value.label == "FY2018/19"


@pytest.mark.parametrize(
    ("start", "end", "kind", "label"),
    [
        ((2023, 1, 1), (2023, 12, 31), "calendar year", "calendar 2023"),
        ((2018, 4, 1), (2019, 3, 31), "financial year", "FY2018/19"),
        ((1999, 4, 1), (2000, 3, 31), "financial year", "FY1999/00"),
        ((2021, 8, 1), (2022, 7, 31), "year from August", "Aug 2021 to Jul 2022"),
        ((2023, 1, 1), (2023, 3, 31), "3 months", "Jan 2023 to Mar 2023"),
        ((2023, 1, 1), (2023, 3, 15), "74 days", "1 Jan 2023 to 15 Mar 2023"),
    ],
)
def test_the_kind_and_label_of_a_period(start, end, kind, label):
    start, end = datetime.date(*start), datetime.date(*end)

    assert period_kind(start, end) == kind
    assert period_label(start, end) == label


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
    figures = figures_for(user_with_role(Role.COMMISSIONER))

    row = next(r for r in figures[KNIFE_HOMICIDE].rows if r.value.label == "calendar 2023")
    assert (row.shown_value, row.suppressed) == ("<5", True)
    table_e = figures[KNIFE_HOMICIDE].headline
    assert (table_e.later_shown, table_e.change) == ("<5", None)
    assert table_e.headline == "calendar 2023 against FY2018/19: change not shown"


def test_an_analyst_sees_the_count_of_3_and_its_change(essex_measures, user_with_role):
    figures = figures_for(user_with_role(Role.ANALYST))

    table_e = figures[KNIFE_HOMICIDE].headline
    assert (table_e.later_shown, table_e.change) == ("3", -70)


def test_a_commissioner_sees_counts_of_5_or_more_and_counts_that_are_not_people(
    essex_measures, user_with_role
):
    figures = figures_for(user_with_role(Role.COMMISSIONER))

    assert figures[HOMICIDES].headline.later_shown == "9"
    assert figures[HOMICIDES].headline.change == -40
    assert figures[KNIFE_SV].headline.later_shown == "1,043"


def test_a_commissioner_sees_no_change_computed_from_a_hidden_earlier_value(
    partnership, user_with_role
):
    # given a people count of 2 compared with a later 10 (+400% would give the 2 away)
    measure = SuccessMeasureFactory(partnership=partnership, counts_people=True)
    SuccessMeasureComparisonFactory(
        earlier=SuccessMeasureValueFactory(measure=measure, value=Decimal(2), is_baseline=True),
        later=SuccessMeasureValueFactory(measure=measure, value=Decimal(10)),
        kind="baseline",
    )

    # when
    commissioner = selectors.success_measure_figures(
        viewer=user_with_role(Role.COMMISSIONER), measure=measure
    )
    analyst = selectors.success_measure_figures(
        viewer=user_with_role(Role.ANALYST), measure=measure
    )

    # then
    assert [r.shown_value for r in commissioner.rows] == ["<5", "10"]
    assert commissioner.rows[1].change_from_baseline is None
    assert "400" not in commissioner.headline.headline
    assert analyst.rows[1].change_from_baseline == 400


def test_a_count_of_zero_people_is_shown_to_a_commissioner(partnership, user_with_role):
    measure = SuccessMeasureFactory(partnership=partnership, counts_people=True)
    SuccessMeasureValueFactory(measure=measure, value=Decimal(0))

    rows = selectors.success_measure_rows(viewer=user_with_role(Role.COMMISSIONER), measure=measure)

    assert rows[0].shown_value == "0"


# --- The doors: API, page, home page ------------------------------------------------------


def test_the_api_gives_each_value_its_period_and_table_and_only_the_sna_comparisons(
    essex_measures, user_with_role, api_client
):
    api_client.force_authenticate(user_with_role(Role.ANALYST))

    measures = api_client.get("/api/success-measures/").json()["results"]

    knife_sv = next(m for m in measures if m["name"] == KNIFE_SV)
    latest = knife_sv["values"][-1]
    assert (latest["label"], latest["source_table"], latest["period_start"]) == (
        "calendar 2023",
        "Table B",
        "2023-01-01",
    )
    assert latest["change_from_previous_percent"] is None  # not -11
    assert latest["change_from_baseline_percent"] == -12
    assert [(c["source_table"], c["change_percent"]) for c in knife_sv["comparisons"]] == [
        ("Table A", -9),
        ("Table B", -12),
    ]
    assert knife_sv["headline"]["headline"] == "calendar 2023 against 2020: -12%"
    homicides = next(m for m in measures if m["name"] == HOMICIDES)
    assert homicides["headline"]["note"] == (
        "Figures for FY2018/19 have been compared with the calendar year 2023"
    )


def test_the_api_suppresses_small_counts_for_a_commissioner(
    essex_measures, user_with_role, api_client
):
    api_client.force_authenticate(user_with_role(Role.COMMISSIONER))

    measures = api_client.get("/api/success-measures/").json()["results"]

    knife_homicide = next(m for m in measures if m["name"] == KNIFE_HOMICIDE)
    latest = knife_homicide["values"][-1]
    assert (latest["value"], latest["suppressed"]) == ("<5", True)
    assert latest["change_from_baseline_percent"] is None
    table_e = knife_homicide["comparisons"][0]
    assert (table_e["later_value"], table_e["change_percent"]) == ("<5", None)
    assert "70" not in json.dumps(knife_homicide)
    assert '"3"' not in json.dumps(knife_homicide)


def _home_rows(page: str) -> dict[str, str]:
    """{measure name: the row's text} of the home page's success-measure table."""
    table = page.split('aria-label="Success measures: latest comparison"')[1].split("</table>")[0]
    rows = {}
    for row in table.split("<tr")[2:]:
        text = " ".join(re.sub(r"<[^>]+>", " ", row).split())
        name = next(n for n in (KNIFE_SV, HOMICIDES, U25_ADMISSIONS, KNIFE_HOMICIDE) if n in text)
        rows[name] = text.replace("&#x27;", "'").replace("&lt;", "<")
    return rows


@pytest.mark.parametrize("role", [Role.ANALYST, Role.COMMISSIONER])
def test_the_home_page_and_the_api_agree(essex_measures, user_with_role, client, api_client, role):
    user = user_with_role(role)
    client.force_login(user)
    api_client.force_authenticate(user)

    home = _home_rows(client.get("/").text)
    measures = api_client.get("/api/success-measures/").json()["results"]

    assert set(home) == {m["name"] for m in measures}
    for measure in measures:
        headline = measure["headline"]
        row = home[measure["name"]]
        periods, change = headline["headline"].rsplit(": ", 1)
        assert periods in row
        assert f"{headline['later_value']} against {headline['earlier_value']}" in row
        if headline["change_percent"] is not None:
            assert change in row
        else:
            assert "change not shown" in row
    assert "-11%" not in client.get("/").text


def test_the_home_page_names_both_periods_to_a_commissioner(essex_measures, user_with_role, client):
    client.force_login(user_with_role(Role.COMMISSIONER))

    home = _home_rows(client.get("/").text)

    assert "calendar 2023 against 2020" in home[KNIFE_SV]
    assert "-12%" in home[KNIFE_SV]
    assert "1,043 against 1,184" in home[KNIFE_SV]
    assert "<5 against 10" in home[KNIFE_HOMICIDE]
    assert "-70%" not in home[KNIFE_HOMICIDE]


def _section(page: str, measure_name: str) -> str:
    """The page's part about one measure: from its heading to the next."""
    return page.split(f">{measure_name}</h2>")[1].split('<h2 class="govuk-heading-m"')[0]


def test_the_page_shows_a_commissioner_under_5_and_no_change(
    essex_measures, user_with_role, client
):
    client.force_login(user_with_role(Role.COMMISSIONER))

    page = client.get("/success-measures/").text

    section = _section(page, KNIFE_HOMICIDE)
    assert "&lt;5" in section
    assert "-70%" not in section
    assert "-33%" in _section(page, U25_ADMISSIONS)


def test_the_page_shows_each_sna_comparison_with_its_table_and_note(
    essex_measures, user_with_role, client
):
    client.force_login(user_with_role(Role.ANALYST))

    page = client.get("/success-measures/").text

    knife_sv = _section(page, KNIFE_SV)
    assert "Aug 2022 to Jul 2023 against Aug 2021 to Jul 2022" in knife_sv
    assert "calendar 2023 against 2020" in knife_sv
    assert "-9%" in knife_sv
    assert "-12%" in knife_sv
    assert "-11%" not in page
    homicides = _section(page, HOMICIDES)
    assert "Table C" in homicides
    assert "Figures for FY2018/19 have been compared with the calendar year 2023" in homicides
    assert "-70%" in _section(page, KNIFE_HOMICIDE)


def test_the_page_says_when_a_measure_has_no_comparison(partnership, user_with_role, client):
    measure = SuccessMeasureFactory(partnership=partnership, name="Knife crime")
    SuccessMeasureValueFactory(measure=measure, value=Decimal(120))
    SuccessMeasureValueFactory(measure=measure, value=Decimal(60))
    client.force_login(user_with_role(Role.ANALYST))

    page = client.get("/success-measures/").text

    assert "No comparison is recorded for this measure" in page
    assert "-50%" not in page
