"""An area-indicator file uploaded on the page is checked before anything changes: the page
shows the rows read, the values that would be stored, the rows skipped by reason and how many
stored values it would replace, for which factors and periods. Replacing stored values needs
the box ticked; what they held is kept, and an administrator (or the analyst who ran it) can
undo the import from its page: the values come back exactly as they were, audited.

Before: the upload wrote at once and silently overwrote the stored values.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import FactorFactory, LSOAFactory
from vru import services
from vru.models import AreaIndicator, AuditEvent, ImportJob, ImportSnapshot, Role

pytestmark = pytest.mark.django_db

IMPORTERS = {Role.ADMINISTRATOR, Role.ANALYST}
HEADER = "lsoa_code,factor,period,period_start,value,source"


def csv_bytes(*rows):
    return ("\n".join([HEADER, *rows]) + "\n").encode()


@pytest.fixture
def essex(partnership):
    for code in ("E01021000", "E01021001", "E01021002"):
        LSOAFactory(partnership=partnership, code=code)
    FactorFactory(partnership=partnership, key="income", name="Income")
    FactorFactory(partnership=partnership, key="employment", name="Employment")
    return partnership


@pytest.fixture
def income_2025(essex):
    """Income 2025 stored for two of the three LSOAs."""
    services.indicators_import(
        actor=None,
        partnership=essex,
        dataset=services.read_table(
            file_name="iod.csv",
            content=csv_bytes(
                "E01021000,income,year,2025,0.2,IoD2025",
                "E01021001,income,year,2025,0.3,IoD2025",
            ),
        ),
        file_name="iod.csv",
    )
    return stored()


def stored():
    return sorted(
        AreaIndicator.objects.values_list(
            "lsoa__code", "factor__key", "period", "period_start", "value", "source"
        )
    )


@pytest.fixture
def signed_in(client, user_with_role):
    def sign_in(role, **kwargs):
        user = user_with_role(role, **kwargs)
        client.force_login(user)
        client.user = user
        return client

    return sign_in


def upload(client, content, django_capture_on_commit_callbacks, name="indicators.csv"):
    """Upload on the page; the check runs (in Celery) once the upload commits."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/area-indicators/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content
    job = ImportJob.objects.filter(kind=ImportJob.Kind.AREA_INDICATORS, file_name=name).latest(
        "created_at"
    )
    assert response["Location"] == f"/area-indicators/{job.pk}/"
    job.refresh_from_db()
    return job


def confirm(client, job, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/area-indicators/{job.pk}/", data)
    job.refresh_from_db()
    return response


REVISED = csv_bytes(
    "E01021000,income,year,2025,0.25,IoD2025 revised",  # replaces 0.2
    "E01021001,income,year,2025,0.3,IoD2025",  # same as stored
    "E01021002,income,year,2025,0.4,IoD2025 revised",  # new
    "E01021002,income,year,2025,0.45,IoD2025 revised",  # repeated: the later row is kept
    "E01021000,employment,month,2025-03,7,DWP",  # new
)


# --- The check: what would change, and nothing written ------------------------------------


def test_the_check_shows_what_would_change_and_writes_nothing(
    signed_in, income_2025, django_capture_on_commit_callbacks
):
    client = signed_in(Role.ANALYST)

    job = upload(client, REVISED, django_capture_on_commit_callbacks)

    assert job.status == ImportJob.Status.CHECKED
    assert stored() == income_2025
    assert not ImportSnapshot.objects.filter(job=job).exists()
    assert job.preview["rows_read"] == 5
    assert job.preview["rows_stored"] == 4
    assert job.preview["skipped"] == {"Repeated in the file (the later row is kept)": 1}
    assert job.preview["replaced"] == 1
    assert [
        (g["label"], g["added"], g["replaced"], g["unchanged"]) for g in job.preview["groups"]
    ] == [
        ("Employment, March 2025", 1, 0, 0),
        ("Income, 2025", 1, 1, 1),
    ]
    page = client.get(f"/area-indicators/{job.pk}/")
    assert "What this file would change" in page.text
    assert "Repeated in the file (the later row is kept): 1" in page.text
    assert "Replace the 1 stored indicator value this file changes (Income, 2025)" in page.text
    assert "Replace and import" in page.text


def test_a_file_with_a_bad_row_is_refused_with_its_rows_and_changes_nothing(
    signed_in, income_2025, django_capture_on_commit_callbacks
):
    client = signed_in(Role.ANALYST)
    content = csv_bytes(
        "E01021000,income,year,2025,0.9,x",
        "E01099999,income,year,2025,0.9,x",
        "E01021001,income,year,2025,lots,x",
    )

    job = upload(client, content, django_capture_on_commit_callbacks)

    assert job.status == ImportJob.Status.REFUSED
    assert [(e["row"], e["column"]) for e in job.row_errors] == [(3, "lsoa_code"), (4, "value")]
    page = client.get(f"/area-indicators/{job.pk}/")
    assert "This file was not imported" in page.text
    assert "E01099999 is not an LSOA of this partnership." in page.text
    assert confirm(client, job, django_capture_on_commit_callbacks, replace="on").status_code == 400
    assert stored() == income_2025
    assert AuditEvent.objects.filter(verb="indicators.refused", target_id=str(job.pk)).exists()


# --- The confirmation ---------------------------------------------------------------------


def test_replacing_stored_values_needs_the_box_ticked(
    signed_in, income_2025, django_capture_on_commit_callbacks
):
    client = signed_in(Role.ANALYST)
    job = upload(client, REVISED, django_capture_on_commit_callbacks)

    # without the box: refused, nothing changes, the job still waits
    response = confirm(client, job, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "This file replaces 1 stored indicator value (Income, 2025)" in response.text
    assert job.status == ImportJob.Status.CHECKED
    assert stored() == income_2025
    with pytest.raises(ValidationError, match="confirm that it replaces them"):
        services.import_job_confirm(actor=client.user, job=job)

    # with it: imported, and what it replaced is kept
    response = confirm(client, job, django_capture_on_commit_callbacks, replace="on")
    assert response.status_code == 302
    assert job.status == ImportJob.Status.SUCCEEDED
    assert (job.replace_confirmed, job.imported_rows) == (True, 4)
    assert stored() == [
        ("E01021000", "employment", "month", datetime.date(2025, 3, 1), 7.0, "DWP"),
        ("E01021000", "income", "year", datetime.date(2025, 1, 1), 0.25, "IoD2025 revised"),
        ("E01021001", "income", "year", datetime.date(2025, 1, 1), 0.3, "IoD2025"),
        ("E01021002", "income", "year", datetime.date(2025, 1, 1), 0.45, "IoD2025 revised"),
    ]
    assert len(job.snapshot.rows) == 2  # the values stored at its keys before it
    event = AuditEvent.objects.get(verb="indicators.imported", target_id=str(job.pk))
    assert event.changes["replaced"] == [{"indicator": "Income, 2025", "values": 1}]


def test_new_values_import_without_a_box_to_tick(
    signed_in, essex, django_capture_on_commit_callbacks
):
    client = signed_in(Role.ADMINISTRATOR)
    job = upload(
        client, csv_bytes("E01021000,income,year,2025,0.2,x"), django_capture_on_commit_callbacks
    )
    assert "Replace the" not in client.get(f"/area-indicators/{job.pk}/").text

    assert confirm(client, job, django_capture_on_commit_callbacks).status_code == 302

    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.replace_confirmed is False
    assert AreaIndicator.objects.count() == 1


def test_values_changed_after_the_check_stop_the_import(
    signed_in, income_2025, django_capture_on_commit_callbacks
):
    client = signed_in(Role.ANALYST)
    job = upload(client, REVISED, django_capture_on_commit_callbacks)
    AreaIndicator.objects.filter(lsoa__code="E01021001").update(value=0.99)
    before = stored()

    confirm(client, job, django_capture_on_commit_callbacks, replace="on")

    assert job.status == ImportJob.Status.FAILED
    assert "changed after the file was checked" in job.row_errors[0]["message"]
    assert stored() == before
    assert not ImportSnapshot.objects.filter(job=job).exists()


def test_a_checked_file_can_be_cancelled_and_is_then_forgotten(
    signed_in, income_2025, django_capture_on_commit_callbacks
):
    client = signed_in(Role.ANALYST)
    job = upload(client, REVISED, django_capture_on_commit_callbacks)

    response = client.post(f"/area-indicators/{job.pk}/cancel/")

    job.refresh_from_db()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.CANCELLED
    assert bytes(job.content) == b""
    assert stored() == income_2025
    assert AuditEvent.objects.filter(verb="indicators.import_cancelled").count() == 1


# --- The way back -------------------------------------------------------------------------


@pytest.mark.parametrize("restorer", ["administrator", "the analyst who ran it"])
def test_values_replaced_by_mistake_are_restored_from_the_page_exactly_as_before(
    client, user_with_role, income_2025, django_capture_on_commit_callbacks, restorer
):
    analyst = user_with_role(Role.ANALYST)
    client.force_login(analyst)
    job = upload(client, REVISED, django_capture_on_commit_callbacks)
    confirm(client, job, django_capture_on_commit_callbacks, replace="on")
    assert stored() != income_2025

    if restorer == "administrator":
        client.force_login(user_with_role(Role.ADMINISTRATOR))
    page = client.get(f"/area-indicators/{job.pk}/")
    assert f'href="/area-indicators/{job.pk}/undo/"' in page.text
    confirmation = client.get(f"/area-indicators/{job.pk}/undo/")
    assert confirmation.status_code == 200
    assert "Yes, undo the import" in confirmation.text
    response = client.post(f"/area-indicators/{job.pk}/undo/")

    # the values (and their sources) are back exactly; the new ones are gone
    assert response.status_code == 302
    assert stored() == income_2025
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RESTORED
    event = AuditEvent.objects.get(verb="indicators.import_undone")
    assert event.actor == job.restored_by
    assert event.target_id == str(job.pk)
    assert event.changes["values_put_back"] == 2
    assert event.changes["values_removed"] == 4
    assert len(job.snapshot.rows_removed_on_restore) == 4  # what the import wrote, kept
    assert "Undone on" in client.get(f"/area-indicators/{job.pk}/").text
    # and it cannot be undone twice
    client.post(f"/area-indicators/{job.pk}/undo/")
    assert AuditEvent.objects.filter(verb="indicators.import_undone").count() == 1


def test_an_import_written_over_later_is_undone_only_after_the_later_one(
    essex, income_2025, user_with_role
):
    admin = user_with_role(Role.ADMINISTRATOR)

    def run(content, name):
        services.indicators_import(
            actor=admin,
            partnership=essex,
            dataset=services.read_table(file_name=name, content=content),
            file_name=name,
            replace=True,
        )
        return ImportJob.objects.get(file_name=name)

    first = run(csv_bytes("E01021000,income,year,2025,0.5,a"), "first.csv")
    second = run(csv_bytes("E01021000,income,year,2025,0.6,b"), "second.csv")

    with pytest.raises(ValidationError, match="Income, 2025 was imported again afterwards"):
        services.import_job_restore(actor=admin, job=first)
    services.import_job_restore(actor=admin, job=second)
    services.import_job_restore(actor=admin, job=first)

    assert stored() == income_2025


# --- Who may do what ----------------------------------------------------------------------


@pytest.fixture
def checked_and_imported(essex, income_2025, user_with_role, django_capture_on_commit_callbacks):
    """An import done by an analyst, and a checked file waiting for a confirmation."""
    analyst = user_with_role(Role.ANALYST, username="ran-it")
    services.indicators_import(
        actor=analyst,
        partnership=essex,
        dataset=services.read_table(file_name="done.csv", content=REVISED),
        file_name="done.csv",
        replace=True,
    )
    done = ImportJob.objects.get(file_name="done.csv")
    with django_capture_on_commit_callbacks(execute=True):
        waiting = services.import_job_create(
            actor=analyst,
            partnership=essex,
            kind=ImportJob.Kind.AREA_INDICATORS,
            file_name="waiting.csv",
            content=csv_bytes("E01021002,employment,year,2024,3,x"),
        )
    waiting.refresh_from_db()
    assert waiting.status == ImportJob.Status.CHECKED
    return done, waiting


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_only_importers_see_check_confirm_and_cancel_an_import(
    signed_in, checked_and_imported, role, django_capture_on_commit_callbacks
):
    done, waiting = checked_and_imported
    client = signed_in(role)
    allowed = role in IMPORTERS

    assert client.get(f"/area-indicators/{done.pk}/").status_code == (200 if allowed else 404)
    assert client.get(f"/area-indicators/{waiting.pk}/").status_code == (200 if allowed else 404)
    response = confirm(client, waiting, django_capture_on_commit_callbacks)
    assert response.status_code == (302 if allowed else 404)
    assert waiting.status == (ImportJob.Status.SUCCEEDED if allowed else ImportJob.Status.CHECKED)
    assert client.post(f"/area-indicators/{waiting.pk}/cancel/").status_code == (
        302 if allowed else 404
    )


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_only_administrators_and_the_analyst_who_ran_it_may_undo_an_import(
    signed_in, checked_and_imported, role
):
    done, _ = checked_and_imported
    client = signed_in(role)  # not the analyst who ran it
    allowed = role == Role.ADMINISTRATOR

    assert client.get(f"/area-indicators/{done.pk}/undo/").status_code == (200 if allowed else 404)
    response = client.post(f"/area-indicators/{done.pk}/undo/")
    done.refresh_from_db()
    assert response.status_code == (302 if allowed else 404)
    assert done.status == (ImportJob.Status.RESTORED if allowed else ImportJob.Status.SUCCEEDED)
    if role == Role.ANALYST:  # sees the import, not the way to undo it
        assert "/undo/" not in client.get(f"/area-indicators/{done.pk}/").text


def test_the_analyst_who_ran_an_import_may_undo_it(client, checked_and_imported):
    done, _ = checked_and_imported
    client.force_login(done.created_by)

    assert client.post(f"/area-indicators/{done.pk}/undo/").status_code == 302

    done.refresh_from_db()
    assert done.status == ImportJob.Status.RESTORED


@pytest.mark.parametrize("role", sorted(IMPORTERS), ids=str)
def test_another_partnerships_importers_find_nothing(
    signed_in, checked_and_imported, other_partnership, role, django_capture_on_commit_callbacks
):
    done, waiting = checked_and_imported
    client = signed_in(role, partnership=other_partnership)

    for url in (
        f"/area-indicators/{done.pk}/",
        f"/area-indicators/{done.pk}/undo/",
        f"/area-indicators/{waiting.pk}/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/area-indicators/{done.pk}/undo/").status_code == 404
    assert client.post(f"/area-indicators/{waiting.pk}/cancel/").status_code == 404
    assert confirm(client, waiting, django_capture_on_commit_callbacks).status_code == 404
    assert "done.csv" not in client.get("/area-indicators/").text


def test_the_services_check_who_is_asking_whatever_the_door(
    user_with_role, checked_and_imported, other_partnership
):
    done, waiting = checked_and_imported
    stranger = user_with_role(Role.ADMINISTRATOR, partnership=other_partnership)

    with pytest.raises(PermissionDenied):
        services.import_job_confirm(actor=stranger, job=waiting, replace=True)
    with pytest.raises(PermissionDenied):
        services.import_job_cancel(actor=user_with_role(Role.COMMISSIONER), job=waiting)
    with pytest.raises(PermissionDenied):
        services.import_job_restore(actor=stranger, job=done)
    with pytest.raises(PermissionDenied):
        services.import_job_restore(actor=user_with_role(Role.ANALYST), job=done)


# --- The command door follows the same rules ----------------------------------------------


def test_the_command_replaces_stored_values_only_with_replace(tmp_path, income_2025):
    from django.core.management import CommandError, call_command

    path = tmp_path / "revised.csv"
    path.write_bytes(REVISED)

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_area_indicators", str(path), "--partnership", "essex-test")
    assert stored() == income_2025

    call_command("import_area_indicators", str(path), "--partnership", "essex-test", "--replace")
    assert len(stored()) == 4
    # the run without --replace was checked and cancelled; this one imported
    assert ImportJob.objects.filter(file_name="revised.csv").count() == 2
    job = ImportJob.objects.get(file_name="revised.csv", status=ImportJob.Status.SUCCEEDED)
    assert job.snapshot.rows  # and it can be undone from its page
