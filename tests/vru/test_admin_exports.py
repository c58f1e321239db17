"""Every admin changelist that offers an export opens its export page and downloads a file of
the user's own partnership's records only."""

import csv
import io

import pytest
from django.contrib import admin
from import_export.admin import ExportMixin

from tests.factories import (
    LSOAFactory,
    OrganisationFactory,
    RecommendationFactory,
    SuccessMeasureComparisonFactory,
    SuccessMeasureValueFactory,
    UserFactory,
)
from vru.models import Role

pytestmark = pytest.mark.django_db


def _exporting_admins() -> list[tuple[str, str]]:
    return sorted(
        (model._meta.app_label, model._meta.model_name)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ExportMixin)
    )


EXPORTS = _exporting_admins()


@pytest.fixture
def records(partnership, other_partnership):
    """One record of each exported kind in both partnerships (the other's must not leave)."""
    for owner in (partnership, other_partnership):
        LSOAFactory(partnership=owner)
        RecommendationFactory(needs_assessment__partnership=owner)
        SuccessMeasureValueFactory(measure__partnership=owner)
        SuccessMeasureComparisonFactory(earlier__measure__partnership=owner)
        OrganisationFactory(partnership=owner)


def test_the_admin_offers_exports_of_the_reference_data():
    assert {
        ("vru", "lsoa"),
        ("vru", "recommendation"),
        ("vru", "successmeasurevalue"),
        ("vru", "successmeasurecomparison"),
    } <= set(EXPORTS)


@pytest.mark.parametrize(("app", "model"), EXPORTS, ids=["/".join(e) for e in EXPORTS])
def test_every_admin_export_opens_and_downloads_the_partnerships_records(
    client, partnership, records, app, model
):
    administrator = UserFactory(
        partnership=partnership,
        roles=[Role.ADMINISTRATOR, Role.ANALYST, Role.GRANTS_OFFICER],
        is_staff=True,
    )
    client.force_login(administrator)
    url = f"/admin/{app}/{model}/export/"

    page = client.get(url)
    assert page.status_code == 200, page.content[:500]
    form = page.context["form"]
    choices = {label: value for value, label in form.fields["format"].choices}
    data = {"format": choices["csv"]}
    # the export form lists each resource's columns as boxes: tick them all
    data.update(
        {name: "on" for name, field in form.fields.items() if name not in data and field.initial}
    )
    if "resource" in form.fields:
        data["resource"] = form.fields["resource"].choices[0][0]
    response = client.post(url, data)

    assert response.status_code == 200, response.content[:500]
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    model_admin = next(
        a
        for m, a in admin.site._registry.items()
        if (m._meta.app_label, m._meta.model_name) == (app, model)
    )
    ours = model_admin.get_queryset(_request(administrator)).count()
    assert ours >= 1
    assert len(rows) - 1 == ours  # the header, then the partnership's records only


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


def test_a_resource_made_without_a_partnership_lists_columns_but_reads_and_imports_nothing(
    partnership,
):
    import tablib

    from vru.resources import LSOAResource

    LSOAFactory(partnership=partnership)
    resource = LSOAResource()
    dataset = tablib.Dataset(
        ["E01000001", "Somewhere 001A", "E07000066"],
        headers=["code", "name", "local_authority_code"],
    )

    result = resource.import_data(dataset, dry_run=True, raise_errors=False)

    assert "code" in resource.get_export_headers()
    assert not resource.get_export_queryset().exists()
    assert result.has_errors()
    assert "Choose the partnership to import into." in str(result.base_errors[0].error)
