"""A grants officer produces, reviews, locks and exports a quarterly return on its pages; the
export has the fixed columns; a commissioner's export, and any export marked external, is
the disclosure control's copy."""

import csv
import io

import pytest

from finance.models import COLUMNS, QuarterlyReturn
from tests.factories import ProgrammeFactory, UserFactory
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_reauthentication(settings):
    settings.VRU_REAUTH_REQUIRED = False


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_a_grants_officer_produces_reviews_locks_and_exports_a_return(client, partnership):
    from decimal import Decimal

    from finance import services

    officer = UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    services.spend_record(
        actor=officer, programme=programme, financial_year=2025, quarter=3, amount=Decimal("900")
    )
    client.force_login(officer)

    response = client.post("/finance/returns/", {"financial_year": "2025", "quarter": "3"})
    produced = QuarterlyReturn.objects.get()
    assert response.status_code == 302
    client.post(f"/finance/returns/{produced.pk}/review/")
    client.post(f"/finance/returns/{produced.pk}/lock/")
    produced.refresh_from_db()
    assert (produced.status, produced.locked_by) == ("locked", officer)

    exported = rows_of(client.get(f"/finance/returns/{produced.pk}/export/?format=csv"))
    assert exported[0] == COLUMNS
    assert exported[1][:7] == [
        "2025/26",
        "Q3",
        "1",
        "programme",
        "ReRoute",
        programme.delivering_organisation,
        "900.00",
    ]
    xlsx = client.get(f"/finance/returns/{produced.pk}/export/?format=xlsx&external=1")
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"].endswith('-external.xlsx"')
    assert AuditEvent.objects.filter(verb="quarterly_return.exported_external").exists()
    page = client.get(f"/finance/returns/{produced.pk}/")
    assert b"Correct this return" in page.content


def test_a_commissioners_export_is_the_disclosure_controls_copy(client, partnership):
    produced = QuarterlyReturn.objects.create(
        partnership=partnership,
        financial_year=2025,
        quarter=1,
        produced_at="2025-07-02T10:00:00Z",
        rows=[dict.fromkeys(COLUMNS[3:], 3)],
        published_rows=[dict.fromkeys(COLUMNS[3:], "<5")],
    )
    client.force_login(UserFactory(partnership=partnership, roles=[Role.COMMISSIONER]))

    exported = rows_of(client.get(f"/finance/returns/{produced.pk}/export/?format=csv"))

    assert exported[1][3:] == ["<5"] * (len(COLUMNS) - 3)
    api = client.get(f"/api/quarterly-returns/{produced.pk}/")
    assert api.json()["figures"] == "disclosure control"
    assert api.json()["rows"][0]["young_people_reached"] == "<5"
