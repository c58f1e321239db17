"""What an import keeps of its file once it has finished goes VRU_IMPORT_DETAILS_DAYS after
it finished, not a day before: the name it was uploaded under, the row errors, which may
quote a cell of a custody spreadsheet (a name in the wrong column), and the file itself where
a job whose worker was lost still holds it (counted from when the job was made). The job's
kind, status, dates and counts stay, and so does what an undo needs. The daily retention run
does it a committed batch of jobs at a time, and audits it per partnership as counts, never
a value."""

import datetime
import json

import pytest
from django.conf import settings
from django.utils import timezone

from programmes import services as programme_services
from rights import services
from rights.models import KindRetentionRun
from rights.services import retention
from tests.factories import LocalAuthorityFactory, LSOAFactory, ProgrammeFactory, UserFactory
from vru import services as core_services
from vru.data_kinds import DataKind
from vru.models import AuditEvent, ImportJob, Role
from vru.models.imports import FILE_NAME_REMOVED

pytestmark = pytest.mark.django_db

HEADER = "first_name,last_name,date_of_birth,reason,event_at,home_lsoa"
DAY = datetime.timedelta(days=1)
# the reason column holds the young person's name: the row error quotes it
BAD_ROW = "Ann,One,2010-02-03,Ann One 3 Feb 2010,2026-03-01 10:00,E01021000"
GOOD_ROW = "Bob,Two,2009-05-06,knife,2026-03-02 22:30,E01021000"
OTHER_ROW = "Cy,Three,2011-01-01,knife,2026-03-03 09:00,E01021000"


def custody(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


@pytest.fixture
def programme(partnership):
    authority = LocalAuthorityFactory(partnership=partnership, code="E07000066")
    LSOAFactory(partnership=partnership, local_authority=authority, code="E01021000")
    return ProgrammeFactory(partnership=partnership)


def checked(programme, content, django_capture_on_commit_callbacks, **kwargs) -> ImportJob:
    with django_capture_on_commit_callbacks(execute=True):
        job = programme_services.referral_import_job_create(
            actor=None, programme=programme, file_name="custody.csv", content=content, **kwargs
        )
    job.refresh_from_db()
    return job


@pytest.fixture
def jobs(programme, django_capture_on_commit_callbacks):
    """A refused file whose row error quotes a name; an import of the valid rows only (its
    row errors, and its file, went when it finished); and a confirmed import whose worker was
    lost, its file still held."""
    refused = checked(programme, custody(BAD_ROW), django_capture_on_commit_callbacks)
    assert refused.status == ImportJob.Status.REFUSED
    assert "Ann One 3 Feb 2010" in json.dumps(refused.row_errors, ensure_ascii=False)
    partly = checked(
        programme,
        custody(BAD_ROW, GOOD_ROW),
        django_capture_on_commit_callbacks,
        skip_invalid_rows=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        core_services.import_job_confirm(actor=None, job=partly)
    partly.refresh_from_db()
    assert partly.status == ImportJob.Status.SUCCEEDED
    lost = checked(programme, custody(OTHER_ROW), django_capture_on_commit_callbacks)
    # confirmed, and its worker never came back: nothing ran it (callbacks not run)
    with django_capture_on_commit_callbacks(execute=False):
        core_services.import_job_confirm(actor=None, job=lost)
    lost.refresh_from_db()
    assert (lost.status, lost.finished_at) == (ImportJob.Status.PENDING, None)
    assert bytes(lost.content)
    return {"refused": refused, "partly": partly, "lost": lost}


def end(job):
    return (job.finished_at or job.created_at) + datetime.timedelta(
        days=settings.VRU_IMPORT_DETAILS_DAYS
    )


def fresh(job) -> ImportJob:
    return ImportJob.objects.get(pk=job.pk)


def latest(jobs):
    return max(end(job) for job in jobs.values())


def test_nothing_goes_a_day_before_the_period_ends(jobs):
    run = services.retention_apply(now=min(end(job) for job in jobs.values()) - DAY)

    assert fresh(jobs["refused"]).row_errors == jobs["refused"].row_errors
    assert bytes(fresh(jobs["lost"]).content)
    assert run.removed["import_details"] == 0


def test_at_the_period_the_row_errors_and_a_file_still_held_go(jobs):
    run = services.retention_apply(now=latest(jobs))

    for name in ["refused", "lost"]:
        job = fresh(jobs[name])
        assert job.row_errors == []
        assert bytes(job.content) == b""
        assert job.details_cleared_at == latest(jobs)
    # the import that finished well kept neither, but it kept its file name
    assert fresh(jobs["partly"]).file_name == FILE_NAME_REMOVED
    assert fresh(jobs["partly"]).details_cleared_at == latest(jobs)
    assert run.removed["import_details"] == 3


def test_a_job_that_never_finished_counts_from_when_it_was_made(jobs):
    services.retention_apply(now=end(jobs["lost"]) - DAY)
    assert bytes(fresh(jobs["lost"]).content)

    services.retention_apply(now=end(jobs["lost"]))
    assert bytes(fresh(jobs["lost"]).content) == b""


def test_a_deployment_sets_how_many_days_they_are_kept(jobs, settings):
    settings.VRU_IMPORT_DETAILS_DAYS = 90

    services.retention_apply(now=jobs["refused"].finished_at + datetime.timedelta(days=89))
    assert fresh(jobs["refused"]).row_errors

    services.retention_apply(now=jobs["refused"].finished_at + datetime.timedelta(days=90))
    assert fresh(jobs["refused"]).row_errors == []


def test_the_jobs_kind_status_dates_counts_and_undo_stay(jobs):
    before = {name: fresh(job) for name, job in jobs.items()}

    services.retention_apply(now=latest(jobs))

    kept = ["kind", "status", "created_at", "finished_at", "total_rows"]
    kept += ["processed_rows", "imported_rows", "preview", "confirmed_at"]
    for job in before.values():
        after = fresh(job)
        assert {f: getattr(after, f) for f in kept} == {f: getattr(job, f) for f in kept}
        assert after.file_name == FILE_NAME_REMOVED
    partly = fresh(jobs["partly"])
    assert partly.preview["rows_skipped"] == 1
    assert partly.snapshot.rows  # what an undo removes: ids only
    assert core_services.import_job_restore_problem(partly) == ""


def test_the_page_of_an_import_says_its_row_errors_were_cleared(client, jobs, programme):
    services.retention_apply(now=latest(jobs))
    client.force_login(UserFactory(partnership=programme.partnership, roles=[Role.ADMINISTRATOR]))

    page = client.get(f"/programmes/referrals/imports/{jobs['refused'].pk}/").text

    assert "The file name and row errors of this import were cleared on" in page
    assert "Ann One" not in page


def test_it_is_audited_per_partnership_as_counts_never_a_value(jobs, partnership):
    services.retention_apply(now=latest(jobs))

    event = AuditEvent.objects.get(verb="import_details.expired")
    assert event.partnership == partnership
    assert event.actor is None
    assert {k: event.changes[k] for k in ["jobs", "row_errors", "files"]} == {
        "jobs": 3,
        "row_errors": len(jobs["refused"].row_errors),
        "files": 1,
    }
    written = json.dumps(event.changes, ensure_ascii=False) + event.target_repr
    assert "Ann One" not in written
    assert "custody.csv" not in written


def test_the_audit_of_the_refusal_never_kept_the_quoted_cell(jobs):
    # the audit trail outlives the row errors: it records the reason without the cell
    event = AuditEvent.objects.get(verb="referral_import.refused")

    assert "Ann One" not in json.dumps(event.changes, ensure_ascii=False)
    assert event.changes["reason"] == "Unknown reason “…”."


def test_a_second_run_clears_and_audits_nothing_more(jobs):
    services.retention_apply(now=latest(jobs))

    assert services.retention_apply(now=latest(jobs) + DAY).removed["import_details"] == 0
    assert AuditEvent.objects.filter(verb="import_details.expired").count() == 1


def test_a_later_kind_that_fails_keeps_the_details_already_cleared_and_says_so(jobs, monkeypatch):
    # given a kind run after the imports' details that fails
    def fails(*, now, months):
        raise RuntimeError("a later kind failed")

    monkeypatch.setitem(retention.EXPIRERS, DataKind.SIGN_IN, fails)

    # when the run meets it
    with pytest.raises(RuntimeError):
        services.retention_apply(now=latest(jobs))

    # then what was cleared before it stays cleared, and the run records it and the failure
    assert fresh(jobs["refused"]).row_errors == []
    assert not bytes(fresh(jobs["lost"]).content)
    run = KindRetentionRun.objects.get()
    assert (run.removed["import_details"], run.failed) == (3, "sign_in")
    assert DataKind.SIGN_IN not in run.removed
    assert AuditEvent.objects.get(verb="retention.kinds_applied").changes["failed"] == "sign_in"


def test_a_job_still_within_its_period_is_never_touched(jobs):
    services.retention_apply(now=timezone.now())

    assert fresh(jobs["refused"]).details_cleared_at is None
