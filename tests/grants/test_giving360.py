"""The 360Giving export validates against the 360Giving schema copied into grants/schema."""

import csv
import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from grants import selectors, services
from grants.selectors import giving360
from tests.factories import ApplicationFactory, LSOAFactory

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "grants" / "schema" / "360giving"
PACKAGE_REF = (
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/"
    "360-giving-schema.json"
)


def validator():
    grant = json.loads((SCHEMA_DIR / "360-giving-schema.json").read_text())
    package = json.loads((SCHEMA_DIR / "360-giving-package-schema.json").read_text())
    # The files name their dialect as http://json-schema.org/draft/2020-12/schema (not https)
    resource = Resource(contents=grant, specification=DRAFT202012)
    registry = Registry().with_resources([(PACKAGE_REF, resource), (grant["$id"], resource)])
    return jsonschema.Draft202012Validator(
        package, registry=registry, format_checker=jsonschema.FormatChecker()
    )


@pytest.fixture
def awarded(grant_round, officer):
    application = ApplicationFactory(
        grant_round=grant_round, status="eligible", title="Detached youth work in Basildon"
    )
    application.lsoas.add(LSOAFactory(partnership=grant_round.partnership, code="E01021234"))
    decision = services.decision_record(
        actor=officer,
        override_reason="Decided early to set up this test.",
        application=application,
        outcome="fund",
        amount=Decimal("2500"),
        reasons="Strong plan",
    )
    return services.award_create(
        actor=officer,
        decision=decision,
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 6, 30),
    )


def test_the_json_export_validates_against_the_360giving_schema(awarded, officer):
    data = giving360.package(selectors.award_list(viewer=officer))
    errors = sorted(validator().iter_errors(data), key=str)
    assert not errors, [e.message for e in errors]
    grant = data["grants"][0]
    assert grant["id"] == f"360G-testvru-{awarded.pk}"
    assert grant["amountAwarded"] == 2500.0
    codes = {(loc["geoCode"], loc.get("geoCodeType")) for loc in grant["beneficiaryLocation"]}
    assert ("E01021234", "LSOA") in codes
    la = awarded.decision.application.lsoas.get(code="E01021234").local_authority
    assert (la.code, "NMD") in codes


def test_the_schema_rejects_a_broken_grant(awarded, officer):
    data = giving360.package(selectors.award_list(viewer=officer))
    data["grants"][0]["awardDate"] = "31/12/2027"
    assert list(validator().iter_errors(data))


def test_the_csv_export_has_the_360giving_column_titles(awarded, officer):
    rows = list(csv.DictReader(io.StringIO(giving360.to_csv(selectors.award_list(viewer=officer)))))
    assert rows[0]["Identifier"] == f"360G-testvru-{awarded.pk}"
    assert rows[0]["Amount Awarded"] == "2500.0"
    assert "E01021234" in rows[0]["Beneficiary Location:Geographic Code"]
    # the CSV carries the same grants as the validated JSON
    assert len(rows) == len(giving360.package(selectors.award_list(viewer=officer))["grants"])


def test_the_schema_and_its_licence_are_in_the_project():
    assert (SCHEMA_DIR / "LICENSE.md").exists()
    assert "CC BY 4.0" in (SCHEMA_DIR / "SOURCE.md").read_text()
