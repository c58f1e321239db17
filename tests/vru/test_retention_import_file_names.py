"""The name a file was uploaded under may be a young person's ("Ann One custody.csv"): it is
part of what a finished import keeps of its file, and goes with its row errors
VRU_IMPORT_DETAILS_DAYS after the import finished. It then reads "(file name removed)" on
the job, on the record a police.uk import made, and in the audit trail's entries about the
job; an import still within its period keeps its name. The daily retention task runs it."""

import datetime
import json

import pytest
import time_machine
from django.conf import settings

from programmes import services as programme_services
from rights import tasks
from rights.models import KindRetentionRun
from tests.factories import LocalAuthorityFactory, LSOAFactory, ProgrammeFactory, UserFactory
from vru import services as core_services
from vru.models import AuditEvent, CrimeImport, ImportJob, Role
from vru.models.imports import FILE_NAME_REMOVED

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
NAMED = "Ann One custody 3 Feb.csv"
HEADER = "first_name,last_name,date_of_birth,reason,event_at,home_lsoa"
ROW = "Bob,Two,2009-05-06,knife,2026-03-02 22:30,E01021000"
POLICE_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context"
)
POLICE_ROW = (
    "abc123,2019-01,Essex Police,Essex Police,0.1,51.5,On or near X,E01021000,"
    "Somewhere 001A,Violence and sexual offences,Under investigation,"
)


@pytest.fixture
def programme(partnership):
    authority = LocalAuthorityFactory(partnership=partnership, code="E07000066")
    LSOAFactory(
        partnership=partnership,
        local_authority=authority,
        code="E01021000",
        lsoa11_code="E01021000",
        population=1000,
    )
    return ProgrammeFactory(partnership=partnership)


def a_referral_import(programme, capture, *, file_name=NAMED, row=ROW) -> ImportJob:
    with capture(execute=True):
        job = programme_services.referral_import_job_create(
            actor=None,
            programme=programme,
            file_name=file_name,
            content=f"{HEADER}\n{row}\n".encode(),
        )
    with capture(execute=True):
        core_services.import_job_confirm(actor=None, job=job)
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == ImportJob.Status.SUCCEEDED
    return job


def a_police_import(partnership) -> CrimeImport:
    analyst = UserFactory(partnership=partnership, roles=[Role.ANALYST])
    return core_services.crime_file_import(
        actor=analyst,
        partnership=partnership,
        file_name=NAMED,
        content=f"{POLICE_HEADER}\n{POLICE_ROW}\n".encode(),
    )


def period_end(job) -> datetime.datetime:
    return job.finished_at + datetime.timedelta(days=settings.VRU_IMPORT_DETAILS_DAYS)


def run_retention_on(day: datetime.datetime) -> KindRetentionRun:
    with time_machine.travel(day, tick=False):
        return KindRetentionRun.objects.get(pk=tasks.retention_apply.delay().get())


def audit_text(**filters) -> str:
    return " ".join(
        event.target_repr + json.dumps(event.changes, ensure_ascii=False)
        for event in AuditEvent.objects.filter(**filters)
    )


@pytest.fixture
def imports(partnership, programme, django_capture_on_commit_callbacks):
    old = a_referral_import(programme, django_capture_on_commit_callbacks)
    police = a_police_import(partnership)
    with time_machine.travel(period_end(old) - 5 * DAY, tick=False):
        younger = a_referral_import(
            programme,
            django_capture_on_commit_callbacks,
            file_name="Cy Three custody.csv",
            row="Cy,Three,2011-01-01,knife,2026-03-03 09:00,E01021000",
        )
    return {"old": old, "police": police, "younger": younger}


def test_an_import_file_name_is_cleared_when_the_import_details_period_ends(imports):
    assert NAMED in audit_text(verb="referral.imported")

    run = run_retention_on(period_end(imports["old"]) + DAY)

    old = ImportJob.objects.get(pk=imports["old"].pk)
    assert old.file_name == FILE_NAME_REMOVED
    assert old.details_cleared_at is not None
    assert (old.status, old.imported_rows) == (ImportJob.Status.SUCCEEDED, 1)
    assert CrimeImport.objects.get(pk=imports["police"].pk).file_name == FILE_NAME_REMOVED
    assert ImportJob.objects.get(crime_import=imports["police"]).file_name == FILE_NAME_REMOVED
    # the import made a few days before the end of the first one's period keeps its name
    younger = ImportJob.objects.get(pk=imports["younger"].pk)
    assert (younger.file_name, younger.details_cleared_at) == ("Cy Three custody.csv", None)
    assert run.removed["import_details"] == 2


def test_the_audit_trail_no_longer_names_the_file_and_still_says_what_was_imported(imports):
    run_retention_on(period_end(imports["old"]) + DAY)

    assert "Ann One" not in audit_text()
    imported = AuditEvent.objects.get(
        verb="referral.imported", changes__import_job=imports["old"].pk
    )
    assert imported.changes["file"] == FILE_NAME_REMOVED
    assert imported.changes["rows"] == 1
    assert FILE_NAME_REMOVED in audit_text(verb="crime.imported")
    assert "Cy Three custody.csv" in audit_text(verb="referral.imported")
    cleared = AuditEvent.objects.get(verb="import_details.expired")
    assert {k: cleared.changes[k] for k in ["jobs", "files"]} == {"jobs": 2, "files": 0}
    assert cleared.changes["audit_entries"] >= 2


def test_an_import_file_name_stays_until_the_period_ends(imports):
    run_retention_on(period_end(imports["old"]) - DAY)

    assert ImportJob.objects.get(pk=imports["old"].pk).file_name == NAMED
    assert CrimeImport.objects.get(pk=imports["police"].pk).file_name == NAMED


def test_the_import_page_says_its_file_name_was_cleared(client, imports, programme):
    run_retention_on(period_end(imports["old"]) + DAY)
    client.force_login(UserFactory(partnership=programme.partnership, roles=[Role.ADMINISTRATOR]))

    page = client.get(f"/programmes/referrals/imports/{imports['old'].pk}/").text

    assert "The file name and row errors of this import were cleared on" in page
    assert "Ann One" not in page
