"""Spend imported from the finance system's spreadsheet: checked first, imported only once
confirmed, all or nothing (a bad row refuses the whole file, naming row, column and
reason), and undone back to the figures before it."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from finance import services
from finance.models import QuarterlySpend
from tests.factories import ProgrammeFactory, UserFactory
from vru import services as core_services
from vru.models import ImportJob, Role

pytestmark = pytest.mark.django_db

HEADER = "programme,financial_year,quarter,amount,note"


def csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


@pytest.fixture
def officer(partnership):
    return UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])


def upload(client, content, capture):
    with capture(execute=True):
        response = client.post(
            "/finance/spend/import/", {"file": SimpleUploadedFile("spend.csv", content)}
        )
    assert response.status_code == 302, response.content
    job = ImportJob.objects.filter(kind=ImportJob.Kind.FINANCE_SPEND).latest("pk")
    return job


def test_a_checked_file_imports_once_confirmed_and_undoes_to_the_figures_before(
    client, partnership, officer, django_capture_on_commit_callbacks
):
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    services.spend_record(
        actor=officer, programme=programme, financial_year=2025, quarter=1, amount=Decimal("100")
    )
    client.force_login(officer)

    job = upload(
        client,
        csv("ReRoute,2025/26,Q1,9000.50,", 'reroute,2025,2,"£8,000",batch 2'),
        django_capture_on_commit_callbacks,
    )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED, job.row_errors
    assert (job.preview["rows_to_add"], job.preview["rows_replaced"]) == (1, 1)
    assert QuarterlySpend.objects.get(quarter=1).amount == Decimal("100")  # nothing yet

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/finance/spend/imports/{job.pk}/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert {s.quarter: s.amount for s in QuarterlySpend.objects.all()} == {
        1: Decimal("9000.50"),
        2: Decimal("8000.00"),
    }

    core_services.import_job_restore(actor=officer, job=job)
    assert {s.quarter: s.amount for s in QuarterlySpend.objects.all()} == {1: Decimal("100")}


def test_one_bad_row_refuses_the_whole_file_naming_row_column_and_reason(
    client, partnership, officer, django_capture_on_commit_callbacks
):
    ProgrammeFactory(partnership=partnership, name="ReRoute")
    client.force_login(officer)

    job = upload(
        client,
        csv(
            "ReRoute,2025/26,1,9000,",
            "Nowhere,2025/26,2,10,",
            "ReRoute,2025/27,5,-3,",
            "ReRoute,2025/26,1,50,",
        ),
        django_capture_on_commit_callbacks,
    )
    job.refresh_from_db()

    assert job.status == ImportJob.Status.REFUSED
    found = {(e["row"], e["column"]) for e in job.row_errors}
    assert found == {
        (3, "programme"),
        (4, "financial_year"),
        (4, "quarter"),
        (4, "amount"),
        (5, "quarter"),  # the same quarter as row 2
    }
    assert any("Nowhere" in e["message"] for e in job.row_errors)
    assert not QuarterlySpend.objects.exists()
