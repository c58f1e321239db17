"""The ONS postcode directory uploaded on a page (administrators and analysts), as a reviewed
import: checked first in Celery (rows read, postcodes kept, rows of other neighbourhoods,
stored postcodes replaced, every bad row by row, column and reason), imported once
confirmed, all or nothing, and undone from its page. The page and `manage.py
import_postcodes` read and write with one rule, so they store the same rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests.factories import LocalAuthorityFactory, LSOAFactory
from vru import services
from vru.models import AuditEvent, ImportJob, Postcode, Role
from vru.services import postcodes

pytestmark = pytest.mark.django_db

HEADER = "pcd,pcd2,pcds,dointr,doterm,usertype,oseast1m,osnrth1m,lsoa21cd,msoa21cd"
NSPL = [
    "CM1 1AA,CM1  1AA,CM1 1AA,198001,,0,570000,207000,E01021237,E02004484",
    "CM2 9ZZ,CM2  9ZZ,CM2 9ZZ,198001,,0,570500,206000,E01021238,E02004484",
    "LU1 1AA,LU1  1AA,LU1 1AA,198001,,0,508000,221000,E01015800,E02003000",
    "SW1A 1AA,SW1A 1AA,SW1A 1AA,198001,,0,529000,179000,E01004736,E02000977",
]


def directory(*rows: str) -> bytes:
    return ("\ufeff" + "\n".join([HEADER, *rows]) + "\n").encode()


@pytest.fixture
def places(partnership, other_partnership):
    chelmsford = LocalAuthorityFactory(partnership=partnership, name="Chelmsford")
    luton = LocalAuthorityFactory(partnership=other_partnership, name="Luton")
    LSOAFactory(local_authority=chelmsford, code="E01021237", name="Chelmsford 001A")
    LSOAFactory(local_authority=chelmsford, code="E01021238", name="Chelmsford 001B")
    LSOAFactory(local_authority=luton, code="E01015800", name="Luton 001A")


@pytest.fixture
def analyst(client, user_with_role, places):
    client.force_login(user_with_role(Role.ANALYST))
    return client


def upload(client, content: bytes, capture) -> ImportJob:
    with capture(execute=True):
        response = client.post(
            "/postcode-imports/", {"file": SimpleUploadedFile("NSPL_CM.csv", content)}
        )
    assert response.status_code == 302, response.content
    return ImportJob.objects.filter(kind=ImportJob.Kind.POSTCODES).latest("pk")


def confirm(client, job: ImportJob, capture, **data) -> ImportJob:
    with capture(execute=True):
        response = client.post(f"/postcode-imports/{job.pk}/", data)
    assert response.status_code == 302, response.content
    job.refresh_from_db()
    return job


def stored() -> dict[str, str]:
    return dict(Postcode.objects.values_list("postcode", "lsoa__code"))


def test_a_checked_file_shows_its_counts_and_imports_once_confirmed(
    analyst, django_capture_on_commit_callbacks
):
    job = upload(analyst, directory(*NSPL), django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED, job.row_errors
    assert {k: job.preview[k] for k in ("rows_read", "postcodes_kept", "rows_outside")} == {
        "rows_read": 4,
        "postcodes_kept": 2,  # the partnership's; Luton's is the other partnership's
        "rows_outside": 2,
    }
    assert not Postcode.objects.exists()  # nothing until confirmed
    page = analyst.get(f"/postcode-imports/{job.pk}/").content.decode()
    assert "Postcodes in the partnership" in page

    job = confirm(analyst, job, django_capture_on_commit_callbacks)

    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.imported_rows == 2
    assert stored() == {"CM11AA": "E01021237", "CM29ZZ": "E01021238"}
    assert AuditEvent.objects.filter(verb="postcodes.imported", partnership=job.partnership)


def test_a_bad_row_refuses_the_file_naming_row_column_and_reason_and_writes_nothing(
    analyst, django_capture_on_commit_callbacks
):
    bad = [*NSPL, "NOT A CODE,x,NOT A CODE,1,,0,1,1,E01021238,E0", "CM3 3AA,CM3"]

    job = upload(analyst, directory(*bad), django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED
    assert job.row_errors == [
        {"row": 6, "column": "pcds", "message": "‘NOT A CODE’ is not a postcode."},
        {"row": 7, "column": "", "message": "too few columns."},
    ]
    assert not Postcode.objects.exists()
    assert "‘NOT A CODE’ is not a postcode." in analyst.get(f"/postcode-imports/{job.pk}/").text


def test_a_file_without_the_columns_is_refused_at_row_one(
    analyst, django_capture_on_commit_callbacks
):
    job = upload(analyst, b"pcds,oseast1m\nCM1 1AA,1\n", django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED
    assert job.row_errors[0]["row"] == 1
    assert "no a neighbourhood column" in job.row_errors[0]["message"]


def test_replacing_stored_postcodes_needs_the_box_and_undoing_puts_them_back(
    analyst, partnership, other_partnership, django_capture_on_commit_callbacks
):
    postcodes.postcodes_import(actor=None, lines=[HEADER, *NSPL])
    before = stored()
    newer = ["CM1 5ZZ,CM1  5ZZ,CM1 5ZZ,198001,,0,1,1,E01021237,E0"]
    job = upload(analyst, directory(*newer), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.preview["stored_replaced"] == 2

    refused = analyst.post(f"/postcode-imports/{job.pk}/", {})
    assert refused.status_code == 400
    job = confirm(analyst, job, django_capture_on_commit_callbacks, replace="on")

    assert stored() == {"CM15ZZ": "E01021237", "LU11AA": "E01015800"}  # Luton's untouched
    services.import_job_restore(actor=job.created_by, job=job)  # the analyst who ran it
    assert stored() == before


def test_the_command_and_the_page_store_the_same_rows(
    analyst, partnership, django_capture_on_commit_callbacks, tmp_path
):
    job = upload(analyst, directory(*NSPL), django_capture_on_commit_callbacks)
    confirm(analyst, job, django_capture_on_commit_callbacks)
    by_page = stored()
    Postcode.objects.all().delete()
    path = tmp_path / "nspl.csv"
    path.write_bytes(directory(*NSPL))

    call_command("import_postcodes", str(path), "--partnership", partnership.slug)

    assert stored() == by_page


def test_a_postcode_that_moved_into_the_partnership_moves_and_undoing_moves_it_back(
    analyst, django_capture_on_commit_callbacks
):
    postcodes.postcodes_import(actor=None, lines=[HEADER, *NSPL])
    moved = "LU1 1AA,LU1  1AA,LU1 1AA,198001,,0,1,1,E01021237,E0"
    job = upload(analyst, directory(NSPL[0], moved), django_capture_on_commit_callbacks)

    job = confirm(analyst, job, django_capture_on_commit_callbacks, replace="on")
    assert job.status == ImportJob.Status.SUCCEEDED, job.row_errors
    assert stored() == {"CM11AA": "E01021237", "LU11AA": "E01021237"}

    services.import_job_restore(actor=job.created_by, job=job)
    assert stored() == {"CM11AA": "E01021237", "CM29ZZ": "E01021238", "LU11AA": "E01015800"}
