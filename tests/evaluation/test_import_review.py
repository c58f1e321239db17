"""A spreadsheet of listening responses uploaded on the page is checked before anything
changes, imported only once someone confirms it on the import's page, and can be undone from
that page: exactly the responses it added go. A file for another area is refused with the
reason. An undo never deletes a safeguarding alert, nor work recorded since on imported
referrals (the custody import's undo, seen from evaluation's outcome scores).

Issue "Nothing lost": the responses import wrote as soon as the file was read, with no way
back.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluation import services
from evaluation.models import FeedbackResponse, SafeguardingAlert
from programmes import services as programme_services
from tests.evaluation.factories import FeedbackResponseFactory, ListeningExerciseFactory, instrument
from tests.factories import LocalAuthorityFactory, LSOAFactory, ProgrammeFactory, UserFactory
from vru import services as core_services
from vru.models import AuditEvent, ImportJob, Role

pytestmark = pytest.mark.django_db

HEADER = (
    "date,venue,local_authority_code,lsoa_code,age_band,question,words,safeguarding_concern,themes"
)
EDITORS = {Role.ADMINISTRATOR, Role.ANALYST}


@pytest.fixture
def exercise(partnership):
    authority = LocalAuthorityFactory(partnership=partnership, code="E07000066", name="Basildon")
    LSOAFactory(partnership=partnership, local_authority=authority, code="E01021000")
    return ListeningExerciseFactory(partnership=partnership, name="Youth clubs 2023")


def csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


GOOD = csv(
    "2023-01-10,Club,E07000066,,14_15,What would help?,Lights in the park,no,Trusted adults",
    "2023-01-11,Club,,E01021000,16_17,What would help?,A late bus,no,",
)


def counts(exercise) -> dict:
    return {
        "responses": FeedbackResponse.objects.filter(exercise=exercise).count(),
        "themed": FeedbackResponse.themes.through.objects.count(),
        "alerts": SafeguardingAlert.objects.count(),
    }


def url(exercise, job=None, action=""):
    if job is None:
        return f"/evaluation/listening/{exercise.pk}/responses/import/"
    return f"/evaluation/listening/{exercise.pk}/responses/imports/{job.pk}/{action}"


def upload(client, exercise, content, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(exercise), {"file": SimpleUploadedFile("responses.csv", content), **data}
        )
    assert response.status_code == 302, response.content
    job = ImportJob.objects.filter(kind=ImportJob.Kind.LISTENING_RESPONSES).latest("pk")
    assert response["Location"] == url(exercise, job)
    return job


def confirm(client, exercise, job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(exercise, job))
    job.refresh_from_db()
    return response


def imported(exercise, content, django_capture_on_commit_callbacks, *, actor):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.responses_import_job_create(
            actor=actor, exercise=exercise, file_name="responses.csv", content=content
        )
    job.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        core_services.import_job_confirm(actor=actor, job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED, job.row_errors
    return job


def test_the_check_shows_what_would_be_added_and_writes_nothing(
    client, exercise, user_with_role, django_capture_on_commit_callbacks
):
    FeedbackResponseFactory(exercise=exercise)
    before = counts(exercise)
    client.force_login(user_with_role(Role.ANALYST))
    content = csv(
        "2023-01-10,Club,E07000066,,14_15,Q,Lights,yes,Trusted adults",
        "2023-01-11,Club,E07000066,,fifteen,Q,Lights,no,",
        "2023-01-12,Club,E07000066,,16_17,Q,A bus,no,Flying cars",
    )

    job = upload(
        client, exercise, content, django_capture_on_commit_callbacks, skip_invalid_rows="on"
    )

    assert job.status == ImportJob.Status.CHECKED
    assert counts(exercise) == before
    assert job.preview["rows_read"] == 3
    assert job.preview["rows_to_add"] == 1
    assert job.preview["rows_skipped"] == 2
    assert job.preview["safeguarding_concerns"] == 1
    assert job.preview["skipped"] == {
        "“…” is not a age band: use one of Under 11, 11 to 13, 14 to 15, 16 to 17, 18 to 21, "
        "22 to 25, Not known.": 1,
        "Not in this exercise's codebook: Flying cars.": 1,
    }
    assert [(e["row"], e["column"]) for e in job.row_errors] == [(3, "age_band"), (4, "themes")]
    page = client.get(url(exercise, job)).text
    assert "What this file would add" in page
    assert "Import 1 response" in page
    assert "“fifteen” is not a age band" in page


def test_confirming_imports_the_rows_raises_their_alerts_and_keeps_what_it_added(
    client, exercise, user_with_role, django_capture_on_commit_callbacks
):
    analyst = user_with_role(Role.ANALYST)
    client.force_login(analyst)
    job = upload(
        client,
        exercise,
        csv("2023-01-10,Club,E07000066,,16_17,Q,Worrying words,yes,"),
        django_capture_on_commit_callbacks,
    )

    response = confirm(client, exercise, job, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.imported_rows == 1
    assert bytes(job.content) == b""
    response_ids = list(
        FeedbackResponse.objects.filter(exercise=exercise).values_list("pk", flat=True)
    )
    assert job.snapshot.rows == [[pk] for pk in response_ids]
    assert SafeguardingAlert.objects.filter(response_id__in=response_ids).count() == 1
    assert "1 response imported" in client.get(url(exercise, job)).text


def test_a_file_mostly_outside_the_partnership_is_refused_and_says_why(
    client, exercise, user_with_role, other_partnership, django_capture_on_commit_callbacks
):
    LocalAuthorityFactory(partnership=other_partnership, code="E06000055", name="Bedford")
    before = counts(exercise)
    client.force_login(user_with_role(Role.ANALYST))
    content = csv(
        "2023-01-10,Club,E06000055,,14_15,Q,Lights,no,",
        "2023-01-11,Club,E06000055,,14_15,Q,Buses,no,",
        "2023-01-12,Club,E07000066,,14_15,Q,Parks,no,",
    )

    job = upload(
        client, exercise, content, django_capture_on_commit_callbacks, skip_invalid_rows="on"
    )

    assert job.status == ImportJob.Status.REFUSED
    assert counts(exercise) == before
    reason = (
        "2 of 3 rows name places (local authorities or neighbourhoods) outside Essex VVP: "
        "this file is for another area. Nothing was changed."
    )
    assert reason in job.preview["refusal"]
    assert reason in client.get(url(exercise, job)).text
    assert AuditEvent.objects.filter(verb="feedback_import.refused").exists()


def test_undoing_removes_exactly_the_responses_the_import_added(
    client, exercise, user_with_role, django_capture_on_commit_callbacks
):
    earlier = FeedbackResponseFactory(exercise=exercise, themes=[exercise.themes.first()])
    before = counts(exercise)
    job = imported(
        exercise, GOOD, django_capture_on_commit_callbacks, actor=user_with_role(Role.ANALYST)
    )
    assert counts(exercise)["responses"] == before["responses"] + 2
    admin = user_with_role(Role.ADMINISTRATOR)
    client.force_login(admin)

    confirmation = client.get(url(exercise, job, "undo/"))
    response = client.post(url(exercise, job, "undo/"))

    assert confirmation.status_code == 200
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.restored_by) == (ImportJob.Status.RESTORED, admin)
    assert counts(exercise) == before
    assert FeedbackResponse.objects.filter(pk=earlier.pk).exists()
    event = AuditEvent.objects.get(verb="feedback_import.import_undone")
    assert (event.changes["responses_before_undo"], event.changes["responses_after_undo"]) == (
        3,
        1,
    )


def test_an_import_that_raised_a_safeguarding_alert_is_not_undone(
    exercise, user_with_role, django_capture_on_commit_callbacks
):
    analyst = user_with_role(Role.ANALYST)
    job = imported(
        exercise,
        csv("2023-01-10,Club,E07000066,,16_17,Q,Worrying words,yes,"),
        django_capture_on_commit_callbacks,
        actor=analyst,
    )
    before = counts(exercise)

    with pytest.raises(ValidationError, match="safeguarding alert"):
        core_services.import_job_restore(actor=user_with_role(Role.ADMINISTRATOR), job=job)

    assert counts(exercise) == before


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_only_who_may_record_feedback_sees_confirms_and_undoes_an_import(
    client, exercise, user_with_role, role, django_capture_on_commit_callbacks
):
    ran_it = user_with_role(Role.ANALYST)
    done = imported(exercise, GOOD, django_capture_on_commit_callbacks, actor=ran_it)
    with django_capture_on_commit_callbacks(execute=True):
        waiting = services.responses_import_job_create(
            actor=ran_it, exercise=exercise, file_name="more.csv", content=GOOD
        )
    client.force_login(user_with_role(role))
    allowed = role in EDITORS

    assert client.get(url(exercise, waiting)).status_code == (200 if allowed else 404)
    assert client.get(url(exercise, done, "undo/")).status_code == (
        200 if role == Role.ADMINISTRATOR else 404
    )
    assert confirm(client, exercise, waiting, django_capture_on_commit_callbacks).status_code == (
        302 if allowed else 404
    )
    assert waiting.status == (ImportJob.Status.SUCCEEDED if allowed else ImportJob.Status.CHECKED)


def test_the_analyst_who_ran_an_import_may_undo_it_and_another_partnership_may_not(
    client, exercise, user_with_role, other_partnership, django_capture_on_commit_callbacks
):
    ran_it = user_with_role(Role.ANALYST)
    done = imported(exercise, GOOD, django_capture_on_commit_callbacks, actor=ran_it)
    stranger = UserFactory(partnership=other_partnership, roles=[Role.ADMINISTRATOR])

    client.force_login(stranger)
    assert client.get(url(exercise, done)).status_code == 404
    assert client.post(url(exercise, done, "undo/")).status_code == 404
    with pytest.raises(PermissionDenied):
        core_services.import_job_restore(actor=stranger, job=done)
    client.force_login(ran_it)
    assert client.post(url(exercise, done, "undo/")).status_code == 302

    done.refresh_from_db()
    assert done.status == ImportJob.Status.RESTORED


# --- The custody import's undo, and work evaluation records about its referrals -----------


def test_a_referral_import_is_not_undone_once_an_outcome_score_is_recorded(
    partnership, django_capture_on_commit_callbacks
):
    programme = ProgrammeFactory(partnership=partnership)
    with django_capture_on_commit_callbacks(execute=True):
        job = programme_services.referral_import_job_create(
            actor=None,
            programme=programme,
            file_name="custody.csv",
            content=b"first_name,last_name,date_of_birth,reason,event_at\n"
            b"Ann,One,2010-02-03,knife,2026-03-01 10:00\n",
        )
    with django_capture_on_commit_callbacks(execute=True):
        core_services.import_job_confirm(actor=None, job=job)
    job.refresh_from_db()
    referral = programme.referrals.get()
    services.outcome_score_record(
        actor=None,
        referral=referral,
        instrument=instrument("wemwbs"),
        time_point="baseline",
        scored_on=datetime.date(2026, 3, 10),
        total=40,
    )

    problem = core_services.import_job_restore_problem(job)

    # programmes cannot name evaluation's scores; the undo finds them by their relation
    assert "outcome scores: 1" in problem
    assert programme.referrals.exists()
