"""The files applicants attach to applications (the register's APPLICANT kind) go at the
period after their round closes, with their titles, not a day before. The stored files leave
storage only once the applicants' kind commits: a kind that rolls back leaves every file in
place. The
application and its figures stay, and the run is audited as a count, never a title or a
file's name."""

import datetime
import json

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile

from grants.models import Application, Attachment
from grants.services import retention as grants_retention
from rights import services
from rights.models import KindRetentionRun
from tests.factories import ApplicationFactory, GrantRoundFactory
from vru.data_kinds import DataKind, retention_months
from vru.models import AuditEvent

pytestmark = pytest.mark.django_db

CLOSED = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
LATER = CLOSED + relativedelta(months=12)
DAY = datetime.timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def end(closed=CLOSED):
    return closed + relativedelta(months=retention_months(DataKind.APPLICANT))


def an_application(partnership, closes_at):
    grant_round = GrantRoundFactory(
        partnership=partnership,
        opens_at=closes_at - datetime.timedelta(days=30),
        closes_at=closes_at,
        panel_deadline=closes_at + datetime.timedelta(days=20),
    )
    return ApplicationFactory(grant_round=grant_round, status="submitted")


def attach(application, title):
    return Attachment.objects.create(
        application=application,
        title=title,
        file=ContentFile(PDF, name="reference.pdf"),
        uploaded_by=application.created_by,
    )


def stored(attachment):
    return attachment.file.storage.exists(attachment.file.name)


@pytest.fixture
def attached(partnership):
    """Two files on an application to a round that closed on CLOSED, one on a later round's."""
    old = an_application(partnership, CLOSED)
    later = an_application(partnership, LATER)
    files = {
        "cv": attach(old, "CV of Sam Worker, youth leader"),
        "reference": attach(old, "Reference from Jo Bloggs"),
        "later": attach(later, "Safeguarding policy"),
    }
    yield {"old": old, "later": later, **files}
    for attachment in files.values():
        attachment.file.storage.delete(attachment.file.name)


def test_nothing_attached_goes_a_day_before_the_period_ends(
    attached, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.retention_apply(now=end() - DAY)

    assert Attachment.objects.count() == 3
    assert stored(attached["cv"])
    assert stored(attached["reference"])
    assert run.removed["applicant"] == 0


def test_at_the_period_the_old_rounds_files_go_and_leave_storage_once_the_kind_commits(
    attached, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.retention_apply(now=end())
        # the rows went in the kind's transaction; the files wait for it to commit
        assert not Attachment.objects.filter(application=attached["old"]).exists()
        assert stored(attached["cv"])
        assert stored(attached["reference"])

    assert not stored(attached["cv"])
    assert not stored(attached["reference"])
    assert Attachment.objects.get().title == "Safeguarding policy"
    assert stored(attached["later"])
    # the old application's contact and its organisation's, and the two files
    assert run.removed["applicant"] == 2 + 2


def test_a_kind_that_rolls_back_leaves_every_file_in_place(
    attached, django_capture_on_commit_callbacks, monkeypatch
):
    # given the applicants' kind failing after its files' rows went, so it rolls back
    def fails(cutoff):
        raise RuntimeError("the applicants' accounts could not be anonymised")

    monkeypatch.setattr(grants_retention, "_anonymise_applicant_accounts", fails)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        services.retention_apply(now=end())

    assert callbacks == []
    assert KindRetentionRun.objects.get().failed == DataKind.APPLICANT
    assert Attachment.objects.count() == 3
    assert all(stored(attached[name]) for name in ["cv", "reference", "later"])


def test_the_application_and_its_figures_stay_when_its_files_go(attached):
    services.retention_apply(now=end())

    application = Application.objects.get(pk=attached["old"].pk)
    assert application.title
    assert application.amount_requested == attached["old"].amount_requested
    assert application.young_people_expected == attached["old"].young_people_expected


def test_the_run_is_audited_as_a_count_per_partnership_never_titles_or_file_names(
    attached, partnership
):
    services.retention_apply(now=end())

    event = AuditEvent.objects.get(verb="application_attachments.expired")
    assert event.partnership == partnership
    assert event.actor is None
    assert event.changes["attachments"] == 2
    written = json.dumps(event.changes) + event.target_repr
    for value in ["Sam Worker", "Jo Bloggs", "reference", attached["cv"].file.name, ".pdf"]:
        assert value not in written


def test_a_second_run_removes_and_audits_nothing_more(attached):
    services.retention_apply(now=end())

    assert services.retention_apply(now=end() + DAY).removed["applicant"] == 0
    assert AuditEvent.objects.filter(verb="application_attachments.expired").count() == 1
