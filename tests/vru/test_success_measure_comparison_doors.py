"""Comparisons through the import and the admin: the same rules as everywhere (both values
of one measure, the earlier ending first, a note where the periods differ in kind), each
row's error naming its row and column, and nothing of another partnership reachable."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests.factories import (
    SuccessMeasureComparisonFactory,
    SuccessMeasureFactory,
    SuccessMeasureValueFactory,
)
from vru import services
from vru.models import AuditEvent, ImportJob, Role, SuccessMeasureComparison, period_label
from vru.resources import SuccessMeasureComparisonResource

pytestmark = pytest.mark.django_db

HEADER = (
    "measure,kind,earlier_period_start,earlier_period_end,"
    "later_period_start,later_period_end,source_table,note"
)
D = datetime.date


@pytest.fixture
def homicides(partnership):
    measure = SuccessMeasureFactory(partnership=partnership, name="Non-domestic homicides")
    for start, end, value, baseline in [
        (D(2018, 4, 1), D(2019, 3, 31), 15, True),
        (D(2021, 8, 1), D(2022, 7, 31), 15, False),
        (D(2022, 8, 1), D(2023, 7, 31), 10, False),
        (D(2023, 1, 1), D(2023, 12, 31), 9, False),
    ]:
        SuccessMeasureValueFactory(
            measure=measure,
            period_start=start,
            period_end=end,
            label=period_label(start, end),
            value=Decimal(value),
            is_baseline=baseline,
        )
    return measure


def run_import(actor, partnership, *lines):
    content = ("\n".join([HEADER, *lines]) + "\n").encode()
    return services.import_rows(
        actor=actor,
        partnership=partnership,
        kind=ImportJob.Kind.SUCCESS_MEASURE_COMPARISONS,
        dataset=services.read_table(file_name="comparisons.csv", content=content),
    )


TABLE_A = "Non-domestic homicides,previous,2021-08-01,2022-07-31,2022-08-01,2023-07-31,Table A,"
TABLE_C = (
    "Non-domestic homicides,baseline,2018-04-01,2019-03-31,2023-01-01,2023-12-31,Table C,"
    "Figures for FY2018/19 have been compared with the calendar year 2023"
)


def test_comparisons_import_and_importing_again_changes_nothing(
    homicides, partnership, user_with_role
):
    analyst = user_with_role(Role.ANALYST)

    first = run_import(analyst, partnership, TABLE_A, TABLE_C)
    events = AuditEvent.objects.count()
    second = run_import(analyst, partnership, TABLE_A, TABLE_C)

    assert (first.errors, first.imported_rows, second.imported_rows) == ([], 2, 0)
    assert AuditEvent.objects.count() == events
    saved = {
        (c.kind, c.earlier.label, c.later.label, c.source_table)
        for c in SuccessMeasureComparison.objects.all()
    }
    assert saved == {
        ("previous", "Aug 2021 to Jul 2022", "Aug 2022 to Jul 2023", "Table A"),
        ("baseline", "FY2018/19", "calendar 2023", "Table C"),
    }


def test_a_comparison_of_periods_of_different_kinds_without_a_note_is_refused(
    homicides, partnership, user_with_role
):
    outcome = run_import(
        user_with_role(Role.ANALYST),
        partnership,
        TABLE_A,
        "Non-domestic homicides,baseline,2018-04-01,2019-03-31,2023-01-01,2023-12-31,Table C,",
    )

    assert [(e.row, e.column) for e in outcome.errors] == [(3, "note")]
    assert "differ in kind" in outcome.errors[0].message
    assert SuccessMeasureComparison.objects.count() == 0  # all or nothing


def test_a_period_the_measure_has_no_value_for_is_named_in_the_error(
    homicides, partnership, user_with_role
):
    outcome = run_import(
        user_with_role(Role.ANALYST),
        partnership,
        "Non-domestic homicides,previous,2020-08-01,2021-07-31,2021-08-01,2022-07-31,,",
    )

    assert [(e.row, e.column) for e in outcome.errors] == [(2, "earlier_period_start")]
    assert "no value for 1 Aug 2020 to 31 Jul 2021" in outcome.errors[0].message


def test_another_partnerships_measure_cannot_be_named(
    homicides, partnership, other_partnership, user_with_role
):
    theirs = SuccessMeasureFactory(partnership=other_partnership, name="Bedfordshire homicides")
    for year in (2021, 2022):
        SuccessMeasureValueFactory(
            measure=theirs, period_start=D(year, 1, 1), period_end=D(year, 12, 31)
        )

    outcome = run_import(
        user_with_role(Role.ANALYST),
        partnership,
        "Bedfordshire homicides,previous,2021-01-01,2021-12-31,2022-01-01,2022-12-31,,",
    )

    assert outcome.errors
    assert SuccessMeasureComparison.objects.count() == 0


def test_the_same_comparison_twice_in_a_file_is_refused(homicides, partnership, user_with_role):
    outcome = run_import(user_with_role(Role.ANALYST), partnership, TABLE_A, TABLE_A)

    assert [e.row for e in outcome.errors] == [3]


def test_the_export_names_each_period_and_can_be_imported_again(homicides, partnership):
    values = {v.label: v for v in homicides.values.all()}
    SuccessMeasureComparisonFactory(
        earlier=values["FY2018/19"],
        later=values["calendar 2023"],
        kind="baseline",
        source_table="Table C",
        note="Figures for FY2018/19 have been compared with the calendar year 2023",
    )
    resource = SuccessMeasureComparisonResource(partnership=partnership)

    exported = resource.export()
    result = SuccessMeasureComparisonResource(partnership=partnership).import_data(
        exported, dry_run=True
    )

    row = exported.dict[0]
    assert (row["earlier_period_label"], row["later_period_label"]) == (
        "FY2018/19",
        "calendar 2023",
    )
    assert (row["earlier_period_start"], row["later_period_end"]) == ("2018-04-01", "2023-12-31")
    assert row["change_percent"] == "-40"
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert result.totals["skip"] == 1


# --- The admin ---------------------------------------------------------------------------


def test_the_admin_lists_only_the_partnerships_comparisons_with_both_periods(
    homicides, partnership, other_partnership, user_with_role, client
):
    values = {v.label: v for v in homicides.values.all()}
    SuccessMeasureComparisonFactory(
        earlier=values["Aug 2021 to Jul 2022"], later=values["Aug 2022 to Jul 2023"]
    )
    theirs = SuccessMeasureFactory(partnership=other_partnership, name="Theirs")
    SuccessMeasureComparisonFactory(
        earlier=SuccessMeasureValueFactory(measure=theirs, label="their 2021"),
        later=SuccessMeasureValueFactory(measure=theirs, label="their 2022"),
    )
    client.force_login(user_with_role(Role.ANALYST))

    page = client.get("/admin/vru/successmeasurecomparison/")

    assert page.status_code == 200
    assert "Aug 2022 to Jul 2023 against Aug 2021 to Jul 2022" in page.text
    assert "-33%" in page.text
    assert "their 2022" not in page.text


def test_the_admin_refuses_a_note_less_comparison_of_different_kinds(
    homicides, partnership, user_with_role, client
):
    values = {v.label: v for v in homicides.values.all()}
    client.force_login(user_with_role(Role.ANALYST))
    form = {
        "measure": homicides.pk,
        "kind": "baseline",
        "earlier": values["FY2018/19"].pk,
        "later": values["calendar 2023"].pk,
        "source_table": "Table C",
        "note": "",
    }

    refused = client.post("/admin/vru/successmeasurecomparison/add/", form)
    form["note"] = "Figures for FY2018/19 have been compared with the calendar year 2023"
    saved = client.post("/admin/vru/successmeasurecomparison/add/", form)

    assert refused.status_code == 200
    assert "differ in kind" in refused.text
    assert saved.status_code == 302
    assert AuditEvent.objects.filter(verb="successmeasurecomparison.created").exists()


def test_the_admin_offers_only_the_partnerships_values(
    homicides, other_partnership, user_with_role, client
):
    theirs = SuccessMeasureFactory(partnership=other_partnership, name="Theirs")
    SuccessMeasureValueFactory(measure=theirs, label="their 2021")
    client.force_login(user_with_role(Role.ANALYST))

    page = client.get("/admin/vru/successmeasurecomparison/add/")

    assert page.status_code == 200
    assert "FY2018/19" in page.text
    assert "their 2021" not in page.text


def test_the_admin_import_of_comparisons_is_previewed_then_audited(
    homicides, user_with_role, client
):
    analyst = user_with_role(Role.ANALYST)
    client.force_login(analyst)
    upload = SimpleUploadedFile(
        "comparisons.csv", f"{HEADER}\n{TABLE_A}\n{TABLE_C}\n".encode(), content_type="text/csv"
    )

    preview = client.post(
        "/admin/vru/successmeasurecomparison/import/",
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert preview.status_code == 200
    assert SuccessMeasureComparison.objects.count() == 0
    confirm = client.post(
        "/admin/vru/successmeasurecomparison/process_import/",
        dict(preview.context["confirm_form"].initial),
    )

    assert confirm.status_code == 302
    assert SuccessMeasureComparison.objects.count() == 2
    assert AuditEvent.objects.get(verb="import.successmeasurecomparison").actor == analyst


def test_practitioners_cannot_open_the_comparison_admin(user_with_role, client):
    client.force_login(user_with_role(Role.PRACTITIONER))

    page = client.get("/admin/vru/successmeasurecomparison/")

    assert page.status_code in {302, 403}


@pytest.mark.django_db(transaction=True)
def test_the_import_command_imports_comparisons(homicides, partnership, tmp_path):
    path = tmp_path / "comparisons.csv"
    path.write_text(f"{HEADER}\n{TABLE_A}\n{TABLE_C}\n", encoding="utf-8")
    out = io.StringIO()

    call_command(
        "import_area_data",
        "success_measure_comparisons",
        str(path),
        partnership=partnership.slug,
        stdout=out,
    )

    assert "Imported 2 of 2 rows." in out.getvalue()
    assert SuccessMeasureComparison.objects.count() == 2
