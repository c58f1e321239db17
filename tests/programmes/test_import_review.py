"""A custody spreadsheet uploaded on the page is checked before anything changes, imported
only once someone confirms it on the import's page, and can be undone from that page: the
referrals, young people, identities, status changes and duplicate flags it added go, and
nothing else changes. A file for another area is refused with the reason.

Issue "Nothing lost": the custody import wrote as soon as the file was read, with no way
back; a file for the wrong area would have been loaded whole.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from programmes import services
from programmes.models import Referral, StatusChange, YoungPerson, YoungPersonIdentity
from tests.factories import (
    LocalAuthorityFactory,
    LSOAFactory,
    ProgrammeFactory,
    ReferralFactory,
    UserFactory,
    referrals_of,
)
from vru import services as core_services
from vru.models import AuditEvent, ImportJob, ImportSnapshot, Role

pytestmark = pytest.mark.django_db

HEADER = "first_name,last_name,date_of_birth,reason,event_at,home_lsoa"
MANAGERS = {Role.ADMINISTRATOR, Role.PROGRAMME_MANAGER}


@pytest.fixture
def programme(partnership):
    authority = LocalAuthorityFactory(partnership=partnership, code="E07000066", name="Basildon")
    for code in ("E01021000", "E01021001"):
        LSOAFactory(partnership=partnership, local_authority=authority, code=code)
    return ProgrammeFactory(partnership=partnership, name="ReRoute")


@pytest.fixture
def manager(programme):
    user = UserFactory(partnership=programme.partnership, roles=[Role.PROGRAMME_MANAGER])
    services.programme_staff_set(actor=None, programme=programme, user=user, role="manager")
    return user


def csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


GOOD = csv(
    "Ann,One,2010-02-03,knife,2026-03-01 10:00,E01021000",
    "Bob,Two,2009-05-06,knife,2026-03-02 22:30,",
)


def counts() -> dict:
    """Every table an import writes, and its audit."""
    return {
        "referrals": Referral.objects.count(),
        "young people": YoungPerson.objects.count(),
        "identities": YoungPersonIdentity.objects.count(),
        "status changes": StatusChange.objects.count(),
        "duplicate links": YoungPerson.possible_duplicates.through.objects.count(),
        "imports audited": AuditEvent.objects.filter(verb="referral.imported").count(),
    }


def upload(client, programme, content, django_capture_on_commit_callbacks, **data):
    """Upload on the page; the check runs (in Celery) once the upload commits."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/programmes/referrals/import/",
            {
                "programme": programme.pk,
                "file": SimpleUploadedFile("custody.csv", content),
                **data,
            },
        )
    assert response.status_code == 302, response.content
    job = ImportJob.objects.get(kind=ImportJob.Kind.REFERRALS, target_id=programme.pk)
    assert response["Location"] == f"/programmes/referrals/imports/{job.pk}/"
    return job


def confirm(client, job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/programmes/referrals/imports/{job.pk}/")
    job.refresh_from_db()
    return response


def check(programme, content, django_capture_on_commit_callbacks, *, actor=None, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.referral_import_job_create(
            actor=actor, programme=programme, file_name="custody.csv", content=content, **kwargs
        )
    job.refresh_from_db()
    return job


def imported(programme, content, django_capture_on_commit_callbacks, *, actor=None):
    job = check(programme, content, django_capture_on_commit_callbacks, actor=actor)
    with django_capture_on_commit_callbacks(execute=True):
        core_services.import_job_confirm(actor=actor, job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED, job.row_errors
    return job


# --- The check: what the file would add, and nothing written ----------------------------


def test_the_check_shows_what_would_be_added_and_skipped_and_writes_nothing(
    client, programme, manager, django_capture_on_commit_callbacks
):
    # given one referral on record, and a file with two new rows, a bad one and that one again
    ReferralFactory(
        programme=programme,
        first_name="Cy",
        last_name="Three",
        date_of_birth=datetime.date(2011, 1, 1),
        event_at=datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC),
    )
    before = counts()
    client.force_login(manager)
    content = csv(
        "Ann,One,2010-02-03,knife,2026-03-01 10:00,E01021000",
        "Bob,Two,2009-05-06,juggling,2026-03-02 22:30,",
        "Cy,Three,2011-01-01,knife,2026-03-01 09:00,",
        "Di,Four,2010-02-03,knife,2026-03-01 10:00,",
    )

    # when it is uploaded, choosing to import the valid rows only
    job = upload(
        client, programme, content, django_capture_on_commit_callbacks, skip_invalid_rows="on"
    )

    # then it waits for a confirmation, and the page says what it would do, row by row
    assert job.status == ImportJob.Status.CHECKED
    assert counts() == before
    assert job.preview["rows_read"] == 4
    assert job.preview["rows_to_add"] == 2
    assert job.preview["rows_skipped"] == 2
    assert job.preview["skipped"] == {
        "Unknown reason “…”.": 1,
        "This referral is already on record.": 1,
    }
    assert [(e["row"], e["column"]) for e in job.row_errors] == [(3, "reason"), (4, "event_at")]
    page = client.get(f"/programmes/referrals/imports/{job.pk}/").text
    assert "What this file would add" in page
    assert "Import 2 referrals" in page
    assert "This referral is already on record." in page
    assert "Unknown reason “juggling”" in page


def test_confirming_on_the_page_imports_exactly_the_rows_the_check_showed(
    client, programme, manager, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    job = upload(client, programme, GOOD, django_capture_on_commit_callbacks)
    before = counts()

    response = confirm(client, job, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert job.status == ImportJob.Status.SUCCEEDED
    assert (job.imported_rows, job.confirmed_by) == (2, manager)
    assert bytes(job.content) == b""
    after = counts()
    assert after["referrals"] == before["referrals"] + 2
    assert after["identities"] == before["identities"] + 2
    assert after["imports audited"] == before["imports audited"] + 1
    assert referrals_of("Ann", "One", datetime.date(2010, 2, 3)).get().lsoa.code == "E01021000"
    assert sorted(r[0] for r in job.snapshot.rows) == sorted(
        Referral.objects.filter(programme=programme).values_list("pk", flat=True)
    )
    assert "2 referrals imported" in client.get(f"/programmes/referrals/imports/{job.pk}/").text


def test_a_check_overtaken_by_a_referral_on_record_imports_nothing(
    programme, django_capture_on_commit_callbacks
):
    job = check(programme, GOOD, django_capture_on_commit_callbacks)
    # someone records Ann's referral before the check is confirmed
    services.referrals_import(
        actor=None,
        programme=programme,
        rows=services.read_rows(file_name="a.csv", content=csv(GOOD.decode().splitlines()[1])),
    )
    before = counts()

    with django_capture_on_commit_callbacks(execute=True):
        core_services.import_job_confirm(actor=None, job=job)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "changed after the file was checked" in job.row_errors[0]["message"]
    assert counts() == before


# --- Another area's file ----------------------------------------------------------------


def test_a_file_mostly_outside_the_partnership_is_refused_and_says_why(
    client, programme, manager, other_partnership, django_capture_on_commit_callbacks
):
    # given Bedfordshire's neighbourhoods, and a file whose rows are mostly in them
    for code in ("E01015001", "E01015002"):
        LSOAFactory(partnership=other_partnership, code=code)
    before = counts()
    client.force_login(manager)
    content = csv(
        "Ann,One,2010-02-03,knife,2026-03-01 10:00,E01015001",
        "Bob,Two,2009-05-06,knife,2026-03-02 22:30,E01015002",
        "Cy,Three,2011-01-01,knife,2026-03-01 09:00,E01021000",
    )

    job = upload(
        client, programme, content, django_capture_on_commit_callbacks, skip_invalid_rows="on"
    )

    assert job.status == ImportJob.Status.REFUSED
    assert counts() == before
    assert bytes(job.content) == b""
    reason = (
        "2 of 3 rows name home neighbourhoods (LSOAs) outside Essex VVP: this file is for "
        "another area. Nothing was changed."
    )
    assert reason in job.preview["refusal"]
    assert reason in client.get(f"/programmes/referrals/imports/{job.pk}/").text
    assert AuditEvent.objects.filter(verb="referral_import.refused").exists()
    with pytest.raises(ValidationError, match="not waiting for a confirmation"):
        core_services.import_job_confirm(actor=manager, job=job)


# --- Undo -------------------------------------------------------------------------------


def test_undoing_removes_exactly_what_the_import_added(
    client, programme, user_with_role, django_capture_on_commit_callbacks
):
    # given Ann already known (the file flags her new referral as a possible duplicate)
    known = ReferralFactory(
        programme=ProgrammeFactory(partnership=programme.partnership),
        first_name="Ann",
        last_name="One",
        date_of_birth=datetime.date(2010, 2, 3),
    )
    before = counts()
    job = imported(programme, GOOD, django_capture_on_commit_callbacks)
    assert counts()["referrals"] == before["referrals"] + 2
    assert known.young_person.possible_duplicates.count() == 1
    admin = user_with_role(Role.ADMINISTRATOR)
    client.force_login(admin)

    # when an administrator confirms the undo on its page
    confirmation = client.get(f"/programmes/referrals/imports/{job.pk}/undo/")
    response = client.post(f"/programmes/referrals/imports/{job.pk}/undo/")

    # then the state is exactly as before the import, and the undo is audited
    assert confirmation.status_code == 200
    assert "Yes, undo the import" in confirmation.text
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RESTORED
    assert job.restored_by == admin
    assert {k: v for k, v in counts().items() if k != "imports audited"} == {
        k: v for k, v in before.items() if k != "imports audited"
    }
    assert not known.young_person.possible_duplicates.exists()
    assert Referral.objects.filter(pk=known.pk).exists()
    event = AuditEvent.objects.get(verb="referral_import.import_undone")
    assert event.changes["referrals_removed"] == 2
    assert (event.changes["referrals_before_undo"], event.changes["referrals_after_undo"]) == (
        2,
        0,
    )
    # nothing of their identities is kept: pseudonymous references only
    assert all(ref.startswith("YP-") for ref in job.snapshot.rows_removed_on_restore)
    assert "Undone on" in client.get(f"/programmes/referrals/imports/{job.pk}/").text


def test_an_import_is_not_undone_once_work_is_recorded_about_its_referrals(
    programme, user_with_role, django_capture_on_commit_callbacks
):
    job = imported(programme, GOOD, django_capture_on_commit_callbacks)
    ann = referrals_of("Ann", "One", datetime.date(2010, 2, 3)).get()
    services.contact_record(
        actor=None,
        referral=ann,
        occurred_at=ann.event_at + datetime.timedelta(hours=2),
        method="phone",
    )
    before = counts()

    problem = core_services.import_job_restore_problem(job)
    with pytest.raises(ValidationError, match="cannot be undone"):
        core_services.import_job_restore(actor=user_with_role(Role.ADMINISTRATOR), job=job)

    assert "contacts: 1" in problem
    assert counts() == before
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED


# --- Who may do what ----------------------------------------------------------------------


@pytest.fixture
def checked_and_imported(programme, manager, django_capture_on_commit_callbacks):
    """An import the manager ran and confirmed, and a checked file waiting."""
    done = imported(programme, GOOD, django_capture_on_commit_callbacks, actor=manager)
    waiting = check(
        programme,
        csv("Eve,Five,2010-02-03,knife,2026-03-05 10:00,"),
        django_capture_on_commit_callbacks,
    )
    assert waiting.status == ImportJob.Status.CHECKED
    return done, waiting


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_only_who_may_import_into_the_programme_sees_confirms_and_cancels_a_check(
    client, programme, checked_and_imported, role, django_capture_on_commit_callbacks
):
    done, waiting = checked_and_imported
    user = UserFactory(partnership=programme.partnership, roles=[role])
    if role == Role.PROGRAMME_MANAGER:
        services.programme_staff_set(actor=None, programme=programme, user=user, role="manager")
    client.force_login(user)
    allowed = role in MANAGERS

    assert client.get(f"/programmes/referrals/imports/{waiting.pk}/").status_code == (
        200 if allowed else 404
    )
    assert client.get(f"/programmes/referrals/imports/{done.pk}/").status_code == (
        200 if allowed else 404
    )
    response = confirm(client, waiting, django_capture_on_commit_callbacks)
    assert response.status_code == (302 if allowed else 404)
    assert waiting.status == (ImportJob.Status.SUCCEEDED if allowed else ImportJob.Status.CHECKED)
    cancel = client.post(f"/programmes/referrals/imports/{waiting.pk}/cancel/")
    assert cancel.status_code == (302 if allowed else 404)


def test_a_manager_of_another_programme_finds_nothing(
    client, programme, checked_and_imported, django_capture_on_commit_callbacks
):
    done, waiting = checked_and_imported
    other = ProgrammeFactory(partnership=programme.partnership)
    user = UserFactory(partnership=programme.partnership, roles=[Role.PROGRAMME_MANAGER])
    services.programme_staff_set(actor=None, programme=other, user=user, role="manager")
    client.force_login(user)

    for url in (
        f"/programmes/referrals/imports/{waiting.pk}/",
        f"/programmes/referrals/imports/{done.pk}/undo/",
    ):
        assert client.get(url).status_code == 404
    assert confirm(client, waiting, django_capture_on_commit_callbacks).status_code == 404
    assert waiting.status == ImportJob.Status.CHECKED
    with pytest.raises(PermissionDenied):
        core_services.import_job_confirm(actor=user, job=waiting)


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_administrators_and_the_manager_who_ran_it_may_undo_an_import(
    client, programme, checked_and_imported, role
):
    done, _ = checked_and_imported
    user = UserFactory(partnership=programme.partnership, roles=[role])
    if role == Role.PROGRAMME_MANAGER:  # a manager of the programme, not the one who ran it
        services.programme_staff_set(actor=None, programme=programme, user=user, role="manager")
    client.force_login(user)
    allowed = role == Role.ADMINISTRATOR

    assert client.get(f"/programmes/referrals/imports/{done.pk}/undo/").status_code == (
        200 if allowed else 404
    )
    response = client.post(f"/programmes/referrals/imports/{done.pk}/undo/")
    done.refresh_from_db()
    assert response.status_code == (302 if allowed else 404)
    assert done.status == (ImportJob.Status.RESTORED if allowed else ImportJob.Status.SUCCEEDED)
    if role == Role.PROGRAMME_MANAGER:  # sees the import, not the way to undo it
        assert "/undo/" not in client.get(f"/programmes/referrals/imports/{done.pk}/").text


def test_the_manager_who_ran_an_import_may_undo_it(client, checked_and_imported):
    done, _ = checked_and_imported
    client.force_login(done.created_by)

    assert client.post(f"/programmes/referrals/imports/{done.pk}/undo/").status_code == 302

    done.refresh_from_db()
    assert done.status == ImportJob.Status.RESTORED


def test_another_partnerships_administrator_finds_nothing_and_the_services_refuse_them(
    client, checked_and_imported, other_partnership, django_capture_on_commit_callbacks
):
    done, waiting = checked_and_imported
    stranger = UserFactory(partnership=other_partnership, roles=[Role.ADMINISTRATOR])
    client.force_login(stranger)

    for url in (
        f"/programmes/referrals/imports/{done.pk}/",
        f"/programmes/referrals/imports/{done.pk}/undo/",
        f"/programmes/referrals/imports/{waiting.pk}/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/programmes/referrals/imports/{done.pk}/undo/").status_code == 404
    assert confirm(client, waiting, django_capture_on_commit_callbacks).status_code == 404
    with pytest.raises(PermissionDenied):
        core_services.import_job_confirm(actor=stranger, job=waiting)
    with pytest.raises(PermissionDenied):
        core_services.import_job_restore(actor=stranger, job=done)
    assert ImportSnapshot.objects.filter(job=done).exists()


def test_the_admin_lists_no_snapshot_of_a_referral_import(
    client, programme, user_with_role, django_capture_on_commit_callbacks
):
    # referral imports concern named young people: their own pages show them, not the admin
    job = imported(programme, GOOD, django_capture_on_commit_callbacks)
    client.force_login(user_with_role(Role.ADMINISTRATOR))

    page = client.get("/admin/vru/importsnapshot/")

    assert page.status_code == 200
    assert ImportSnapshot.objects.filter(job=job).exists()
    assert job.file_name not in page.text
    assert client.get(f"/admin/vru/importsnapshot/{job.snapshot.pk}/change/").status_code in {
        302,
        404,
    }
