"""One rule for every door: a success measure's value for a period.

Values are written through the admin (add and change), the admin's import and the
import_area_data command and the demo (services.import_rows, the same resource); the API only
reads them, and the measure's
own admin page lists them read-only (its generic save would skip the audit). The same mistake
through each door is refused on the same field in the same words: the rules are
SuccessMeasureValue's (fields, clean, constraints), never "Constraint … is violated".
Each door answers {field: [messages]} (a refusal naming no field is keyed "").
"""

import datetime
from types import SimpleNamespace

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import SuccessMeasureFactory, SuccessMeasureValueFactory
from vru import services
from vru.models import ImportJob, Role, SuccessMeasureValue

pytestmark = pytest.mark.django_db

D = datetime.date
GOOD = {
    "label": "calendar 2023",
    "period_start": D(2023, 1, 1),
    "period_end": D(2023, 12, 31),
    "value": "42",
    "is_baseline": False,
    "source_table": "Table A",
}


@pytest.fixture
def world(client, partnership, user_with_role):
    world = SimpleNamespace()
    world.client = client
    world.partnership = partnership
    world.analyst = user_with_role(Role.ANALYST)
    world.measure = SuccessMeasureFactory(partnership=partnership, name="Knife crime")
    world.baseline = SuccessMeasureValueFactory(
        measure=world.measure,
        label="FY2018/19",
        period_start=D(2018, 4, 1),
        period_end=D(2019, 3, 31),
        is_baseline=True,
    )
    world.existing = SuccessMeasureValueFactory(
        measure=world.measure,
        label="calendar 2021",
        period_start=D(2021, 1, 1),
        period_end=D(2021, 12, 31),
    )
    return world


def _admin_data(world, values) -> dict:
    data = {
        "measure": world.measure.pk,
        "label": values["label"],
        "period_start": values["period_start"].isoformat() if values["period_start"] else "",
        "period_end": values["period_end"].isoformat() if values["period_end"] else "",
        "value": values["value"],
        "source_table": values["source_table"],
    }
    if values["is_baseline"]:
        data["is_baseline"] = "on"
    return data


def _admin(world, url, values) -> dict:
    world.client.force_login(world.analyst)
    response = world.client.post(url, _admin_data(world, values))
    if response.status_code == 302:
        return {}
    assert response.status_code == 200, response.status_code
    errors = response.context["adminform"].form.errors
    return {("" if k == "__all__" else k): list(v) for k, v in errors.items()}


def by_admin_add(world, values) -> dict:
    return _admin(world, reverse("admin:vru_successmeasurevalue_add"), values)


def by_admin_change(world, values) -> dict:
    url = reverse("admin:vru_successmeasurevalue_change", args=[world.existing.pk])
    return _admin(world, url, values)


def _row(world, values) -> dict:
    return {
        "measure": world.measure.name,
        "period_label": values["label"],
        "period_start": values["period_start"].isoformat() if values["period_start"] else "",
        "period_end": values["period_end"].isoformat() if values["period_end"] else "",
        "value": values["value"],
        "is_baseline": "yes" if values["is_baseline"] else "no",
        "source_table": values["source_table"],
    }


# the file's columns are named as the record's fields are (a period's label: period_label)
COLUMN_FIELDS = {"period_label": "label"}


def by_admin_import(world, values) -> dict:
    world.client.force_login(world.analyst)
    row = _row(world, values)
    dataset = tablib.Dataset(headers=list(row))
    dataset.append(list(row.values()))
    upload = SimpleUploadedFile("values.csv", dataset.csv.encode(), "text/csv")
    response = world.client.post(
        reverse("admin:vru_successmeasurevalue_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    result = response.context["result"]
    errors: dict[str, list[str]] = {}
    for invalid in result.invalid_rows:
        for field, messages in invalid.error_dict.items():
            key = "" if field == "__all__" else COLUMN_FIELDS.get(field, field)
            errors.setdefault(key, []).extend(messages)
    for _, row_errors in result.row_errors():
        errors.setdefault("", []).extend(str(e.error) for e in row_errors)
    return errors


def by_import(world, values) -> dict:
    row = _row(world, values)
    dataset = tablib.Dataset(headers=list(row))
    dataset.append(list(row.values()))
    outcome = services.import_rows(
        actor=world.analyst,
        partnership=world.partnership,
        kind=ImportJob.Kind.SUCCESS_MEASURE_VALUES,
        dataset=dataset,
    )
    errors: dict[str, list[str]] = {}
    for error in outcome.errors:
        errors.setdefault(COLUMN_FIELDS.get(error.column, error.column), []).append(error.message)
    return errors


DOORS = {
    "admin: add": by_admin_add,
    "admin: change": by_admin_change,
    "admin: import": by_admin_import,
    "import": by_import,
}

CASES = [
    (
        "a period that ends before it starts",
        {"period_start": D(2023, 12, 31), "period_end": D(2023, 1, 1)},
        {"period_end": ["The period must end on or after the day it starts"]},
    ),
    (
        "a second baseline",
        {"is_baseline": True},
        {
            "is_baseline": [
                "The measure already has a baseline (FY2018/19): untick “is baseline”, "
                "or untick it on that value first"
            ]
        },
    ),
    ("no value", {"value": ""}, {"value": ["Enter the value"]}),
    (
        "a period label too long",
        {"label": "x" * 61},
        {"label": ["Period label must be 60 characters or less"]},
    ),
    (
        "a source table too long",
        {"source_table": "x" * 61},
        {"source_table": ["Source table must be 60 characters or less"]},
    ),
]


def _values():
    return sorted(
        SuccessMeasureValue.objects.values_list(
            "pk", "label", "period_start", "period_end", "value", "is_baseline"
        )
    )


@pytest.mark.parametrize("door", list(DOORS))
@pytest.mark.parametrize(("change", "refusal"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_door_refuses_the_same_value_mistake_the_same_way(world, door, change, refusal):
    before = _values()

    errors = DOORS[door](world, {**GOOD, **change})

    assert errors == refusal
    assert _values() == before


@pytest.mark.parametrize("door", ["admin: add", "admin: change", "import"])
def test_every_door_takes_a_good_value(world, door):
    assert DOORS[door](world, GOOD) == {}

    assert SuccessMeasureValue.objects.filter(label="calendar 2023").count() == 1


def test_a_period_the_measure_already_has_is_refused_naming_it(world):
    errors = by_admin_add(
        world,
        {**GOOD, "period_start": D(2021, 1, 1), "period_end": D(2021, 12, 31)},
    )

    assert errors == {"period_end": ["The measure already has a value for this period"]}


def test_a_value_saved_without_its_checks_is_refused_in_the_rules_words(world):
    value = SuccessMeasureValue(
        measure=world.measure,
        label="backwards",
        period_start=D(2024, 12, 31),
        period_end=D(2024, 1, 1),
        value=1,
    )

    messages = []
    for constraint in SuccessMeasureValue._meta.constraints:
        try:
            constraint.validate(SuccessMeasureValue, value)
        except ValidationError as refused:
            messages += refused.messages
    assert messages == ["The period must end on or after the day it starts"]


def test_values_are_not_written_through_the_api_or_the_measures_page(world, api_client):
    api_client.force_authenticate(world.analyst)
    response = api_client.post("/api/success-measures/", {}, format="json")
    assert response.status_code == 405
    world.client.force_login(world.analyst)
    page = world.client.get(reverse("admin:vru_successmeasure_change", args=[world.measure.pk]))
    (inline,) = page.context["inline_admin_formsets"]
    assert not inline.has_add_permission
    assert not inline.has_change_permission
    assert not inline.has_delete_permission
