"""A gathering whose worker died does not stay "gathering" for ever: with no progress for
longer than VRU_SAR_GATHER_STALL_MINUTES it is shown as stalled with Gather again for the
data protection lead, and a beat task hands every stalled gathering over again. A hand-over
is a new attempt: the gathering starts afresh and an earlier attempt still running stops."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from rights import services
from rights.models import GatheredItem, SubjectAccessRequest
from rights.services import gather
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(partnership):
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST])
    partnership.data_protection_lead = user
    partnership.save(update_fields=["data_protection_lead"])
    return user


def gathering(lead, partnership, *, quiet_for_minutes):
    """A request handed to a worker that died: gathering, no progress for so long."""
    referral = ReferralFactory(programme=ProgrammeFactory(partnership=partnership))
    sar = services.request_create(
        actor=lead,
        young_person=referral.young_person,
        kind="access",
        requester_name="A parent",
        relationship="parent",
        identity_check="parental",
        received_on=timezone.localdate(),
    )
    services.request_gather_start(actor=lead, request=sar)  # the task never runs
    quiet = timezone.now() - datetime.timedelta(minutes=quiet_for_minutes)
    SubjectAccessRequest.objects.filter(pk=sar.pk).update(progress=40, progress_at=quiet)
    sar.refresh_from_db()
    return sar


def test_a_gathering_with_no_progress_past_the_setting_is_shown_stalled_with_gather_again(
    client, lead, partnership
):
    limit = settings.VRU_SAR_GATHER_STALL_MINUTES
    moving = gathering(lead, partnership, quiet_for_minutes=limit - 1)
    stalled = gathering(lead, partnership, quiet_for_minutes=limit + 1)
    client.force_login(lead)

    page = client.get(reverse("rights:request_detail", args=[moving.pk])).content.decode()
    assert "Stalled" not in page
    assert "Gather again" not in page

    page = client.get(reverse("rights:request_detail", args=[stalled.pk])).content.decode()
    assert "Stalled" in page
    assert reverse("rights:request_gather_again", args=[stalled.pk]) in page


def test_gather_again_gathers_a_stalled_request_from_the_start(
    client, lead, partnership, django_capture_on_commit_callbacks
):
    sar = gathering(lead, partnership, quiet_for_minutes=60)
    client.force_login(lead)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rights:request_gather_again", args=[sar.pk]))

    assert response.status_code == 302
    sar.refresh_from_db()
    assert (sar.status, sar.progress, sar.gather_attempt) == ("in_review", 100, 2)
    assert GatheredItem.objects.filter(request=sar).exists()
    assert AuditEvent.objects.filter(verb="subject_access.gather_resumed", actor=lead).exists()


def test_gather_again_is_refused_while_the_gathering_still_moves(client, lead, partnership):
    sar = gathering(lead, partnership, quiet_for_minutes=1)
    client.force_login(lead)

    response = client.post(reverse("rights:request_gather_again", args=[sar.pk]), follow=True)

    assert "still being gathered" in response.content.decode()
    sar.refresh_from_db()
    assert (sar.status, sar.gather_attempt) == ("gathering", 1)


def test_only_the_lead_or_an_administrator_may_gather_again(client, lead, partnership):
    sar = gathering(lead, partnership, quiet_for_minutes=60)
    client.force_login(UserFactory(partnership=partnership, roles=[Role.PROGRAMME_MANAGER]))

    response = client.post(reverse("rights:request_gather_again", args=[sar.pk]))

    assert response.status_code in (403, 404)
    sar.refresh_from_db()
    assert sar.gather_attempt == 1


def test_the_beat_task_hands_over_stalled_gatherings_only(
    lead, partnership, django_capture_on_commit_callbacks
):
    limit = settings.VRU_SAR_GATHER_STALL_MINUTES
    moving = gathering(lead, partnership, quiet_for_minutes=limit - 1)
    stalled = gathering(lead, partnership, quiet_for_minutes=limit + 1)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.request_gathers_resume() == 1

    moving.refresh_from_db()
    stalled.refresh_from_db()
    assert (moving.status, moving.gather_attempt) == ("gathering", 1)
    assert (stalled.status, stalled.progress) == ("in_review", 100)
    assert services.request_gathers_resume() == 0  # nothing stalled is left


def test_the_beat_runs_the_resume_every_few_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["rights-request-gathers-resume"]

    assert entry["task"] == "rights.tasks.request_gathers_resume"
    assert entry["schedule"] * 3 <= settings.VRU_SAR_GATHER_STALL_MINUTES * 60


def test_an_earlier_attempt_handed_over_meanwhile_stops_without_writing(
    lead, partnership, monkeypatch
):
    sar = gathering(lead, partnership, quiet_for_minutes=60)
    kind, label, first_source = gather.SOURCES[0]

    def handed_over_meanwhile(request):
        rows = list(first_source(request))
        SubjectAccessRequest.objects.filter(pk=request.pk).update(gather_attempt=99)
        return rows

    monkeypatch.setattr(
        gather, "SOURCES", [(kind, label, handed_over_meanwhile), *gather.SOURCES[1:]]
    )

    sar = services.request_gather(request_id=sar.pk)

    assert sar.status == "gathering"  # left for the attempt that took over
    assert not AuditEvent.objects.filter(verb="subject_access.gathered").exists()


def test_gathering_a_request_twice_gathers_it_once(lead, partnership):
    sar = gathering(lead, partnership, quiet_for_minutes=0)

    services.request_gather(request_id=sar.pk)
    items = GatheredItem.objects.filter(request=sar).count()
    services.request_gather(request_id=sar.pk)  # a second delivery of the same task

    assert GatheredItem.objects.filter(request=sar).count() == items
    assert AuditEvent.objects.filter(verb="subject_access.gathered").count() == 1


def test_the_api_shows_a_stalled_gathering_and_gathers_it_again(
    api_client, lead, partnership, django_capture_on_commit_callbacks
):
    sar = gathering(lead, partnership, quiet_for_minutes=60)
    api_client.force_authenticate(lead)
    url = f"/api/subject-access-requests/{sar.pk}/"

    assert api_client.get(url).json()["stalled"] is True
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(f"{url}gather/")

    assert response.status_code == 200
    sar.refresh_from_db()
    assert (sar.status, sar.gather_attempt) == ("in_review", 2)
    assert api_client.get(url).json()["stalled"] is False


def test_the_api_refuses_to_gather_again_while_the_gathering_still_moves(
    api_client, lead, partnership
):
    sar = gathering(lead, partnership, quiet_for_minutes=1)
    api_client.force_authenticate(lead)

    response = api_client.post(f"/api/subject-access-requests/{sar.pk}/gather/")

    assert response.status_code == 400
    sar.refresh_from_db()
    assert sar.gather_attempt == 1
