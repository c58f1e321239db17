"""A police.uk file uploaded on the page is checked before anything changes, a file for
another area is refused with the reason, replacing a stored month needs a confirmation, and
an import can be undone from its page: the counts come back exactly as they were, audited.

What users found: Bedfordshire's January 2019 file uploaded into Essex replaced Essex's
16,318 January counts with 1, with no warning, no confirmation and no way back.
"""

import datetime
import gzip
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import LocalAuthorityFactory, LSOAFactory
from vru import services
from vru.models import AuditEvent, CrimeCount, CrimeImport, ImportJob, ImportSnapshot, Role

pytestmark = pytest.mark.django_db

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context"
)
DATA = Path(__file__).resolve().parents[2] / "vru" / "demo_data" / "police_uk"
JANUARY = datetime.date(2019, 1, 1)
IMPORTERS = {Role.ADMINISTRATOR, Role.ANALYST}


def row(lsoa, crime_type="Robbery", *, month="2019-01", force="Essex Police"):
    return f"x1,{month},{force},{force},0.1,51.5,On or near X,{lsoa},Somewhere,{crime_type},,"


def csv_bytes(*rows):
    return ("\n".join([HEADER, *rows]) + "\n").encode()


@pytest.fixture
def essex(partnership):
    """Essex VVP, served by Essex Police, with three neighbourhoods."""
    authority = LocalAuthorityFactory(
        partnership=partnership, code="E07000066", name="Basildon", police_force="Essex Police"
    )
    for code in ("E01021000", "E01021001", "E01021002"):
        LSOAFactory(
            partnership=partnership,
            local_authority=authority,
            community_safety_partnership=authority.community_safety_partnership,
            code=code,
            lsoa11_code=code,
        )
    return partnership


@pytest.fixture
def january(essex):
    """Essex's January as stored: 9 crimes over three LSOAs and two crime types."""
    services.crime_file_import(
        actor=None,
        partnership=essex,
        file_name="2019-01-essex-street.csv",
        content=csv_bytes(
            *[row("E01021000")] * 4,
            *[row("E01021001", "Anti-social behaviour")] * 3,
            *[row("E01021002")] * 2,
        ),
    )
    return stored()


def stored():
    return sorted(
        CrimeCount.objects.values_list("partnership_id", "lsoa_id", "month", "crime_type", "count")
    )


@pytest.fixture
def signed_in(client, user_with_role):
    def sign_in(role, **kwargs):
        user = user_with_role(role, **kwargs)
        client.force_login(user)
        client.user = user
        return client

    return sign_in


def upload(client, content, django_capture_on_commit_callbacks, name="2019-01-street.csv"):
    """Upload on the page; the check runs (in Celery) once the upload commits."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/crime-imports/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content
    job = ImportJob.objects.get(kind=ImportJob.Kind.POLICE_UK, file_name=name)
    assert response["Location"] == f"/crime-imports/{job.pk}/"
    return job


def confirm(client, job, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/crime-imports/{job.pk}/", data)
    job.refresh_from_db()
    return response


# --- (1) Another force's file changes nothing and says why ------------------------------


def test_bedfordshires_real_january_file_uploaded_into_essex_is_refused_and_changes_nothing(
    signed_in, january, django_capture_on_commit_callbacks
):
    # given Essex's January stored, and Bedfordshire's real January 2019 file (5,630 rows)
    content = gzip.decompress((DATA / "2019-01-bedfordshire-street.csv.gz").read_bytes())
    client = signed_in(Role.ANALYST)

    # when it is uploaded into Essex
    job = upload(client, content, django_capture_on_commit_callbacks)

    # then it is refused with the reason, and nothing changed
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED
    page = client.get(f"/crime-imports/{job.pk}/")
    assert "This file was not imported" in page.text
    assert (
        "This file is from Bedfordshire Police, which does not serve Essex VVP "
        "(Essex Police does): 5,630 of 5,630 rows are another force&#x27;s. Nothing was changed."
    ) in page.text
    assert stored() == january
    assert CrimeImport.objects.count() == 1  # Essex's own, from before
    assert not ImportSnapshot.objects.filter(job=job).exists()
    assert bytes(job.content) == b""  # the refused file is not kept
    # and it cannot be confirmed afterwards
    response = confirm(client, job, django_capture_on_commit_callbacks, replace="on")
    assert response.status_code == 400
    assert stored() == january
    assert AuditEvent.objects.filter(verb="crime.refused", target_id=str(job.pk)).exists()


def test_a_file_mostly_outside_the_partnership_is_refused_even_when_its_forces_are_not_known(
    partnership, january
):
    # given a partnership whose forces are not recorded (the force check cannot apply)
    partnership.local_authorities.update(police_force="")
    content = csv_bytes(row("E01021000"), row("E01099998"), row("E01099999"))

    # when / then: 2 of 3 rows are in LSOAs outside it
    plan = services.crime_file_plan(partnership=partnership, content=content)
    assert plan.partnership_forces == set()
    assert plan.refusal.startswith("2 of 3 rows are in neighbourhoods (LSOAs) outside Essex VVP")
    with pytest.raises(ValidationError) as refused:
        services.crime_file_import(
            actor=None, partnership=partnership, file_name="f.csv", content=content, replace=True
        )
    assert refused.value.code == "another_area"
    assert stored() == january


def test_a_file_from_another_force_is_refused_at_the_command_door_too(essex, january):
    content = csv_bytes(*[row("E01021000", force="Bedfordshire Police")] * 3)

    with pytest.raises(ValidationError, match="from Bedfordshire Police, which does not serve"):
        services.crime_file_import(
            actor=None, partnership=essex, file_name="f.csv", content=content, replace=True
        )

    assert stored() == january


def test_rows_reported_by_another_force_within_ours_are_counted(essex):
    # British Transport Police report crimes that fall within a territorial force's area
    content = csv_bytes(
        "x,2019-02,British Transport Police,Essex Police,0,51,Station,E01021000,A,Robbery,,"
    )

    record = services.crime_file_import(
        actor=None, partnership=essex, file_name="btp.csv", content=content
    )

    assert record.rows_counted == 1


# --- (2) A month replaced by mistake is restored from the page, exactly -----------------


@pytest.mark.parametrize("restorer", ["administrator", "the analyst who ran it"])
def test_a_month_replaced_by_mistake_is_restored_from_the_page_exactly_as_before(
    client, user_with_role, january, django_capture_on_commit_callbacks, restorer
):
    # given an analyst who replaced January (9 crimes) with a file of 1 row
    analyst = user_with_role(Role.ANALYST)
    client.force_login(analyst)
    job = upload(client, csv_bytes(row("E01021000")), django_capture_on_commit_callbacks)
    confirm(client, job, django_capture_on_commit_callbacks, replace="on")
    assert job.status == ImportJob.Status.SUCCEEDED
    assert sum(CrimeCount.objects.values_list("count", flat=True)) == 1

    # when the import is undone from its page, after its confirmation page
    if restorer == "administrator":
        client.force_login(user_with_role(Role.ADMINISTRATOR))
    page = client.get(f"/crime-imports/{job.pk}/")
    assert f'href="/crime-imports/{job.pk}/undo/"' in page.text
    confirmation = client.get(f"/crime-imports/{job.pk}/undo/")
    assert confirmation.status_code == 200
    assert "Yes, undo the import" in confirmation.text
    response = client.post(f"/crime-imports/{job.pk}/undo/")

    # then the counts are back exactly, the undo is recorded, and nothing is lost
    assert response.status_code == 302
    assert stored() == january
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RESTORED
    assert job.restored_by is not None
    event = AuditEvent.objects.get(verb="crime.import_undone")
    assert event.actor == job.restored_by
    assert event.target_id == str(job.pk)
    assert event.changes["counts_before_undo"] == {"2019-01-01": 1}
    assert event.changes["counts_after_undo"] == {"2019-01-01": 9}
    assert len(job.snapshot.rows_removed_on_restore) == 1  # what the import wrote, kept
    assert "Undone on" in client.get(f"/crime-imports/{job.pk}/").text
    # and it cannot be undone twice
    client.post(f"/crime-imports/{job.pk}/undo/")
    assert stored() == january
    assert AuditEvent.objects.filter(verb="crime.import_undone").count() == 1


def test_an_import_of_a_new_month_is_undone_by_removing_it(essex, january, user_with_role):
    analyst = user_with_role(Role.ANALYST)
    services.crime_file_import(
        actor=analyst,
        partnership=essex,
        file_name="feb.csv",
        content=csv_bytes(row("E01021000", month="2019-02")),
    )
    job = ImportJob.objects.get(file_name="feb.csv")

    services.import_job_restore(actor=analyst, job=job)

    assert stored() == january


def test_an_import_replaced_again_later_is_undone_only_after_the_later_one(
    essex, january, user_with_role
):
    # given January replaced twice
    admin = user_with_role(Role.ADMINISTRATOR)
    for name, rows in (("first.csv", 1), ("second.csv", 2)):
        services.crime_file_import(
            actor=admin,
            partnership=essex,
            file_name=name,
            content=csv_bytes(*[row("E01021000")] * rows),
            replace=True,
        )
    first = ImportJob.objects.get(file_name="first.csv")
    second = ImportJob.objects.get(file_name="second.csv")

    # when the first is undone: refused, it would hide the second
    with pytest.raises(ValidationError, match="January 2019 was imported again afterwards"):
        services.import_job_restore(actor=admin, job=first)
    assert sum(CrimeCount.objects.values_list("count", flat=True)) == 2

    # then undoing the second, then the first, brings back the original January
    services.import_job_restore(actor=admin, job=second)
    assert sum(CrimeCount.objects.values_list("count", flat=True)) == 1
    services.import_job_restore(actor=admin, job=first)
    assert stored() == january


# --- (3) The check writes nothing -------------------------------------------------------


def test_the_check_shows_what_would_change_and_writes_nothing(
    signed_in, january, django_capture_on_commit_callbacks
):
    client = signed_in(Role.ANALYST)
    imports, events = CrimeImport.objects.count(), AuditEvent.objects.count()
    content = csv_bytes(
        row("E01021000"),
        row("E01021000", month="2019-02"),
        row(""),
        row("E01099999"),
    )

    job = upload(client, content, django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    assert job.preview["rows_read"] == 4
    assert job.preview["rows_counted"] == 2
    assert job.preview["skipped"] == {"no LSOA (no location)": 1, "LSOA outside the partnership": 1}
    assert job.preview["months"] == [
        {"month": "2019-01-01", "label": "January 2019", "before": 9, "after": 1},
        {"month": "2019-02-01", "label": "February 2019", "before": 0, "after": 1},
    ]
    assert (job.total_rows, job.processed_rows, job.percent_done) == (4, 4, 100)
    page = client.get(f"/crime-imports/{job.pk}/")
    assert "What this file would change" in page.text
    assert "Replace the 9 crime counts stored for January 2019 with this file&#x27;s 1" in page.text
    assert "Adds a new month" in page.text
    # nothing written
    assert stored() == january
    assert CrimeImport.objects.count() == imports
    assert not ImportSnapshot.objects.filter(job=job).exists()
    assert AuditEvent.objects.count() == events


def test_a_checked_file_can_be_cancelled_and_is_then_forgotten(
    signed_in, january, django_capture_on_commit_callbacks
):
    client = signed_in(Role.ANALYST)
    job = upload(client, csv_bytes(row("E01021000")), django_capture_on_commit_callbacks)

    response = client.post(f"/crime-imports/{job.pk}/cancel/")

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED
    assert bytes(job.content) == b""
    assert stored() == january
    with pytest.raises(ValidationError):
        services.import_job_confirm(actor=client.user, job=job, replace=True)


def test_a_page_in_progress_shows_the_rows_read_and_reloads(signed_in, essex):
    client = signed_in(Role.ANALYST)
    job = ImportJob.objects.create(
        partnership=essex,
        created_by=client.user,
        kind=ImportJob.Kind.POLICE_UK,
        file_name="big.csv",
        content=b"",
        status=ImportJob.Status.CHECKING,
        total_rows=17050,
        processed_rows=4000,
    )

    page = client.get(f"/crime-imports/{job.pk}/")

    assert '<meta http-equiv="refresh" content="3">' in page.text
    assert "4,000 of 17,050 rows read (23%)" in page.text


# --- (4) Replacing a stored month needs the confirmation --------------------------------


def test_replacing_a_stored_month_needs_the_box_ticked(
    signed_in, january, django_capture_on_commit_callbacks
):
    client = signed_in(Role.ANALYST)
    job = upload(client, csv_bytes(row("E01021000")), django_capture_on_commit_callbacks)

    # when confirmed without ticking the box
    response = confirm(client, job, django_capture_on_commit_callbacks)

    # then refused, with what would be replaced; nothing changed
    assert response.status_code == 400
    assert "January 2019 already has 9 crime counts stored" in response.text
    assert job.status == ImportJob.Status.CHECKED
    assert stored() == january
    with pytest.raises(ValidationError) as refused:
        services.import_job_confirm(actor=client.user, job=job)
    assert refused.value.code == "replace_unconfirmed"

    # when ticked: imported, with a copy of what it replaced
    confirm(client, job, django_capture_on_commit_callbacks, replace="on")
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.replace_confirmed is True
    assert list(CrimeCount.objects.values_list("count", flat=True)) == [1]
    assert len(job.snapshot.rows) == 3
    event = AuditEvent.objects.get(verb="crime.imported", target_id=str(job.crime_import.pk))
    assert event.actor == client.user
    assert event.changes["replaced"] == [{"month": "2019-01-01", "before": 9, "after": 1}]


def test_a_new_month_imports_without_a_box_to_tick(
    signed_in, january, django_capture_on_commit_callbacks
):
    client = signed_in(Role.ANALYST)
    job = upload(
        client, csv_bytes(row("E01021000", month="2019-02")), django_capture_on_commit_callbacks
    )
    assert 'name="replace"' not in client.get(f"/crime-imports/{job.pk}/").text

    confirm(client, job, django_capture_on_commit_callbacks)

    assert job.status == ImportJob.Status.SUCCEEDED
    assert CrimeCount.objects.filter(month=datetime.date(2019, 2, 1)).count() == 1
    assert set(january) <= set(stored())  # January untouched


def test_counts_changed_after_the_check_stop_the_import(
    signed_in, january, essex, django_capture_on_commit_callbacks
):
    client = signed_in(Role.ANALYST)
    job = upload(client, csv_bytes(row("E01021000")), django_capture_on_commit_callbacks)
    # someone else replaces January between the check and the confirmation
    services.crime_file_import(
        actor=None,
        partnership=essex,
        file_name="other.csv",
        content=csv_bytes(*[row("E01021001")] * 5),
        replace=True,
    )
    between = stored()

    confirm(client, job, django_capture_on_commit_callbacks, replace="on")

    assert job.status == ImportJob.Status.FAILED
    assert "changed after the file was checked" in job.row_errors[0]["message"]
    assert stored() == between


# --- (5) Who may check, confirm and undo ------------------------------------------------


@pytest.fixture
def checked_and_imported(essex, january, user_with_role, django_capture_on_commit_callbacks):
    """An analyst's January import (done) and a February file checked (waiting)."""
    analyst = user_with_role(Role.ANALYST, username="ran-it")
    done = services.crime_file_import(
        actor=analyst,
        partnership=essex,
        file_name="jan.csv",
        content=csv_bytes(row("E01021000")),
        replace=True,
    ).job
    with django_capture_on_commit_callbacks(execute=True):
        waiting = services.import_job_create(
            actor=analyst,
            partnership=essex,
            kind=ImportJob.Kind.POLICE_UK,
            file_name="feb.csv",
            content=csv_bytes(row("E01021000", month="2019-02")),
        )
    waiting.refresh_from_db()
    assert waiting.status == ImportJob.Status.CHECKED
    return done, waiting


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_only_importers_see_check_and_confirm_an_import(
    signed_in, checked_and_imported, role, django_capture_on_commit_callbacks
):
    done, waiting = checked_and_imported
    client = signed_in(role)
    allowed = role in IMPORTERS

    assert client.get(f"/crime-imports/{done.pk}/").status_code == (200 if allowed else 404)
    assert client.get(f"/crime-imports/{waiting.pk}/").status_code == (200 if allowed else 404)
    upload_response = client.post(
        "/crime-imports/", {"file": SimpleUploadedFile("x.csv", csv_bytes(row("E01021000")))}
    )
    assert upload_response.status_code == (302 if allowed else 404)
    response = confirm(client, waiting, django_capture_on_commit_callbacks)
    assert response.status_code == (302 if allowed else 404)
    assert waiting.status == (ImportJob.Status.SUCCEEDED if allowed else ImportJob.Status.CHECKED)


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_only_importers_cancel_a_checked_file(signed_in, checked_and_imported, role):
    _, waiting = checked_and_imported

    response = signed_in(role).post(f"/crime-imports/{waiting.pk}/cancel/")

    waiting.refresh_from_db()
    if role in IMPORTERS:
        assert (response.status_code, waiting.status) == (302, ImportJob.Status.CANCELLED)
    else:
        assert (response.status_code, waiting.status) == (404, ImportJob.Status.CHECKED)


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_only_administrators_and_the_analyst_who_ran_it_may_undo_an_import(
    signed_in, checked_and_imported, role
):
    done, _ = checked_and_imported
    client = signed_in(role)  # not the analyst who ran it
    allowed = role == Role.ADMINISTRATOR

    assert client.get(f"/crime-imports/{done.pk}/undo/").status_code == (200 if allowed else 404)
    response = client.post(f"/crime-imports/{done.pk}/undo/")
    done.refresh_from_db()
    assert response.status_code == (302 if allowed else 404)
    assert done.status == (ImportJob.Status.RESTORED if allowed else ImportJob.Status.SUCCEEDED)
    page = client.get(f"/crime-imports/{done.pk}/")
    if role == Role.ANALYST:  # sees the import, not the way to undo it
        assert "/undo/" not in page.text


def test_the_analyst_who_ran_an_import_may_undo_it(client, checked_and_imported):
    done, _ = checked_and_imported
    client.force_login(done.created_by)

    assert client.post(f"/crime-imports/{done.pk}/undo/").status_code == 302

    done.refresh_from_db()
    assert done.status == ImportJob.Status.RESTORED


@pytest.mark.parametrize("role", sorted(IMPORTERS), ids=str)
def test_another_partnerships_importers_find_nothing(
    signed_in, checked_and_imported, other_partnership, role, django_capture_on_commit_callbacks
):
    done, waiting = checked_and_imported
    client = signed_in(role, partnership=other_partnership)

    for url in (
        f"/crime-imports/{done.pk}/",
        f"/crime-imports/{done.pk}/undo/",
        f"/crime-imports/{waiting.pk}/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/crime-imports/{done.pk}/undo/").status_code == 404
    assert client.post(f"/crime-imports/{waiting.pk}/cancel/").status_code == 404
    assert confirm(client, waiting, django_capture_on_commit_callbacks).status_code == 404


def test_the_services_check_who_is_asking_whatever_the_door(
    user_with_role, checked_and_imported, other_partnership
):
    done, waiting = checked_and_imported
    stranger = user_with_role(Role.ADMINISTRATOR, partnership=other_partnership)
    other_analyst = user_with_role(Role.ANALYST)

    with pytest.raises(PermissionDenied):
        services.import_job_confirm(actor=stranger, job=waiting, replace=True)
    with pytest.raises(PermissionDenied):
        services.import_job_cancel(actor=user_with_role(Role.COMMISSIONER), job=waiting)
    with pytest.raises(PermissionDenied):
        services.import_job_restore(actor=stranger, job=done)
    with pytest.raises(PermissionDenied):
        services.import_job_restore(actor=other_analyst, job=done)


# --- The command door follows the same rules ----------------------------------------------


def test_the_command_replaces_a_stored_month_only_with_replace(tmp_path, essex, january):
    from django.core.management import CommandError, call_command

    path = tmp_path / "2019-01-essex-street-corrected.csv"
    path.write_bytes(csv_bytes(row("E01021000")))

    with pytest.raises(CommandError, match="January 2019 already has 9 crime counts stored"):
        call_command("import_police_uk", str(path), partnership=essex.slug)
    assert stored() == january

    call_command("import_police_uk", str(path), partnership=essex.slug, replace=True)
    assert list(CrimeCount.objects.values_list("count", flat=True)) == [1]
    # and what it replaced is kept: the import can be undone on its page
    # the run without --replace was checked and cancelled; this one imported
    assert ImportJob.objects.filter(file_name="2019-01-essex-street-corrected.csv").count() == 2
    job = ImportJob.objects.get(
        file_name="2019-01-essex-street-corrected.csv", status=ImportJob.Status.SUCCEEDED
    )
    assert job.snapshot.rows


def test_the_command_refuses_another_forces_file(tmp_path, essex, january):
    from django.core.management import CommandError, call_command

    path = tmp_path / "2019-01-bedfordshire-street.csv.gz"
    path.write_bytes((DATA / "2019-01-bedfordshire-street.csv.gz").read_bytes())

    with pytest.raises(CommandError, match="from Bedfordshire Police, which does not serve"):
        call_command("import_police_uk", str(path), partnership=essex.slug, replace=True)

    assert stored() == january


def test_the_admin_lists_the_snapshots_of_its_own_partnership_only(
    client, user_with_role, checked_and_imported, other_partnership
):
    assert checked_and_imported  # ours: jan.csv, done and feb.csv, waiting
    LSOAFactory(partnership=other_partnership, code="E01015001")
    services.crime_file_import(
        actor=None,
        partnership=other_partnership,
        file_name="theirs.csv",
        content=csv_bytes(row("E01015001", force="Bedfordshire Police")),
    )
    client.force_login(user_with_role(Role.ADMINISTRATOR))

    page = client.get("/admin/vru/importsnapshot/")

    assert page.status_code == 200
    assert "jan.csv" in page.text
    assert "theirs.csv" not in page.text
