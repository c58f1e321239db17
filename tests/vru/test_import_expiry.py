"""A checked import file nobody confirms is not kept for ever: after VRU_IMPORT_CHECK_HOURS
(24 by default) the hourly beat task clears its bytes, whatever its kind, and its page says
the check expired and asks for the file again. A check still within its hours, or one being
imported, is left alone.
"""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from evaluation import services as evaluation_services
from programmes import services as programme_services
from tests.evaluation.factories import ListeningExerciseFactory
from tests.factories import FactorFactory, LocalAuthorityFactory, LSOAFactory, ProgrammeFactory
from vru import services, tasks
from vru.models import AuditEvent, ImportJob, Role

pytestmark = pytest.mark.django_db

POLICE_UK = (
    b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    b"LSOA name,Crime type,Last outcome category,Context\n"
    b"x1,2019-01,Essex Police,Essex Police,0.1,51.5,On or near X,E01021000,A,Robbery,,\n"
)


@pytest.fixture
def places(partnership):
    authority = LocalAuthorityFactory(
        partnership=partnership, code="E07000066", police_force="Essex Police"
    )
    LSOAFactory(
        partnership=partnership,
        local_authority=authority,
        code="E01021000",
        lsoa11_code="E01021000",
    )
    FactorFactory(partnership=partnership, key="income")
    return partnership


def _checked(make, django_capture_on_commit_callbacks) -> ImportJob:
    with django_capture_on_commit_callbacks(execute=True):
        job = make()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED, job.row_errors
    assert bytes(job.content)
    return job


@pytest.fixture
def checked_of_every_kind(places, user_with_role, django_capture_on_commit_callbacks):
    """One checked file of each reviewed kind, uploaded by an administrator."""
    admin = user_with_role(Role.ADMINISTRATOR)
    programme = ProgrammeFactory(partnership=places)
    exercise = ListeningExerciseFactory(partnership=places)

    def area(kind, name, content):
        return lambda: services.import_job_create(
            actor=admin, partnership=places, kind=kind, file_name=name, content=content
        )

    makers = {
        "police.uk": area(ImportJob.Kind.POLICE_UK, "2019-01-street.csv", POLICE_UK),
        "indicators": area(
            ImportJob.Kind.AREA_INDICATORS,
            "income.csv",
            b"lsoa_code,factor,period,period_start,value\nE01021000,income,year,2025,0.2\n",
        ),
        "referrals": lambda: programme_services.referral_import_job_create(
            actor=admin,
            programme=programme,
            file_name="custody.csv",
            content=b"first_name,last_name,date_of_birth,reason,event_at\n"
            b"Ann,One,2010-02-03,knife,2026-03-01 10:00\n",
        ),
        "listening": lambda: evaluation_services.responses_import_job_create(
            actor=admin,
            exercise=exercise,
            file_name="responses.csv",
            content=b"date,age_band,question,words\n2023-01-10,14_15,Q,Lights\n",
        ),
    }
    jobs = {
        name: _checked(make, django_capture_on_commit_callbacks) for name, make in makers.items()
    }
    pages = {
        "police.uk": f"/crime-imports/{jobs['police.uk'].pk}/",
        "indicators": f"/area-indicators/{jobs['indicators'].pk}/",
        "referrals": f"/programmes/referrals/imports/{jobs['referrals'].pk}/",
        "listening": f"/evaluation/listening/{exercise.pk}/responses/imports/"
        f"{jobs['listening'].pk}/",
    }
    return admin, jobs, pages


def test_checks_nobody_confirmed_in_time_expire_for_every_kind_and_their_pages_say_so(
    client, checked_of_every_kind
):
    # given a checked file of each kind, a day and an hour old
    admin, jobs, pages = checked_of_every_kind
    later = timezone.now() + datetime.timedelta(hours=settings.VRU_IMPORT_CHECK_HOURS, minutes=1)

    # when the hourly task runs
    expired = services.import_checks_expire(now=later)

    # then every file is forgotten, each audited, and each page asks for the file again
    assert expired == 4
    client.force_login(admin)
    for name, job in jobs.items():
        job.refresh_from_db()
        assert job.status == ImportJob.Status.EXPIRED, name
        assert bytes(job.content) == b"", name
        page = client.get(pages[name])
        assert page.status_code == 200, name
        assert "This check expired" in page.text, name
        assert "Upload the file again" in page.text, name
        with pytest.raises(ValidationError, match="not waiting for a confirmation"):
            services.import_job_confirm(actor=admin, job=job)
    assert AuditEvent.objects.filter(verb="import.check_expired").count() == 4
    assert services.import_checks_expire(now=later) == 0  # nothing left to expire


def test_a_check_within_its_hours_is_kept_and_its_page_says_until_when(
    client, checked_of_every_kind
):
    admin, jobs, pages = checked_of_every_kind
    soon = timezone.now() + datetime.timedelta(hours=settings.VRU_IMPORT_CHECK_HOURS - 1)

    assert services.import_checks_expire(now=soon) == 0

    client.force_login(admin)
    for name, job in jobs.items():
        job.refresh_from_db()
        assert job.status == ImportJob.Status.CHECKED, name
        assert bytes(job.content), name
        assert "The file is kept until" in client.get(pages[name]).text, name


def test_the_hours_are_a_setting(settings, checked_of_every_kind):
    _, jobs, _ = checked_of_every_kind
    settings.VRU_IMPORT_CHECK_HOURS = 2

    assert services.import_checks_expire(now=timezone.now() + datetime.timedelta(hours=1)) == 0
    assert services.import_checks_expire(now=timezone.now() + datetime.timedelta(hours=3)) == 4
    assert {job.kind for job in ImportJob.objects.filter(status=ImportJob.Status.EXPIRED)} == {
        job.kind for job in jobs.values()
    }


def test_a_confirmed_import_is_never_expired(checked_of_every_kind):
    admin, jobs, _ = checked_of_every_kind
    job = jobs["police.uk"]
    # confirmed, its worker not started yet (the outbox message waits for the broker)
    services.import_job_confirm(actor=admin, job=job)

    services.import_checks_expire(now=timezone.now() + datetime.timedelta(days=30))

    job.refresh_from_db()
    assert job.status == ImportJob.Status.PENDING
    assert bytes(job.content)


def test_the_beat_runs_the_expiry_hourly_and_the_command_runs_it_too(
    checked_of_every_kind, capsys, settings
):
    entry = settings.CELERY_BEAT_SCHEDULE["vru-import-checks-expire"]
    assert entry["task"] == tasks.import_checks_expire.name
    assert entry["schedule"] == 60 * 60.0

    settings.VRU_IMPORT_CHECK_HOURS = 0
    call_command("expire_import_checks")

    assert "4 import checks older than 0 hours expired." in capsys.readouterr().out
    assert not ImportJob.objects.filter(status=ImportJob.Status.CHECKED).exists()


def test_a_check_that_never_finished_is_forgotten_too(
    places, user_with_role, django_capture_on_commit_callbacks
):
    # given a file whose check never ran (its worker lost), a day and an hour ago
    with django_capture_on_commit_callbacks(execute=False):
        job = services.import_job_create(
            actor=user_with_role(Role.ADMINISTRATOR),
            partnership=places,
            kind=ImportJob.Kind.POLICE_UK,
            file_name="2019-01-street.csv",
            content=POLICE_UK,
        )
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING)

    services.import_checks_expire(
        now=timezone.now() + datetime.timedelta(hours=settings.VRU_IMPORT_CHECK_HOURS, minutes=1)
    )

    job.refresh_from_db()
    assert (job.status, bytes(job.content)) == (ImportJob.Status.EXPIRED, b"")
    # and if its task is delivered after all, it finds nothing to do
    assert services.import_job_run(job_id=job.pk).status == ImportJob.Status.EXPIRED
