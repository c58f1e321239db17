"""Who may work on rights requests: administrators and the partnership's data protection
lead, at every door; nobody else (the access matrix tries every role; here, the lead, who
holds a responsibility rather than a role, and a former lead). The privacy notices are
public and say what the register says."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from rights.models import GatheredItem, SubjectAccessRequest
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory
from vru import data_kinds
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def sar(partnership):
    referral = ReferralFactory(programme=ProgrammeFactory(partnership=partnership))
    sar = SubjectAccessRequest.objects.create(
        partnership=partnership,
        young_person=referral.young_person,
        requester_name="Someone",
        relationship="self",
        identity_check="photo_id",
        received_on=datetime.date(2026, 11, 20),
        due_on=datetime.date(2026, 12, 20),
    )
    GatheredItem.objects.create(
        request=sar, position=1, kind="contact", source_label="Contact", field="Notes", text="x"
    )
    return sar


def pages(sar):
    item = sar.items.get()
    return [
        reverse("rights:request_list"),
        reverse("rights:request_create"),
        reverse("rights:request_detail", args=[sar.pk]),
        reverse("rights:request_extend", args=[sar.pk]),
        reverse("rights:request_finish", args=[sar.pk]),
        reverse("rights:request_review", args=[sar.pk]),
        reverse("rights:item_redact", args=[sar.pk, item.pk]),
        reverse("rights:bundle_download", args=[sar.pk]),
        reverse("rights-api:subject-access-request-list"),
        reverse("rights-api:subject-access-request-detail", args=[sar.pk]),
    ]


def test_the_data_protection_lead_opens_every_door(client, partnership, sar):
    lead = UserFactory(partnership=partnership, roles=[Role.PRACTITIONER])
    partnership.data_protection_lead = lead
    partnership.save()
    client.force_login(lead)

    for url in pages(sar):
        assert client.get(url).status_code == 200, url


def test_someone_who_is_no_longer_the_lead_opens_none(client, partnership, sar):
    former = UserFactory(partnership=partnership, roles=[Role.PROGRAMME_MANAGER])
    client.force_login(former)

    for url in pages(sar):
        response = client.get(url)
        if url == reverse("rights-api:subject-access-request-list"):
            assert response.json()["results"] == []  # an API list is scoped, never an error
        else:
            assert response.status_code == 404, url
    assert client.post(reverse("rights:request_gather", args=[sar.pk])).status_code == 404


def test_another_partnerships_lead_sees_nothing_of_ours(client, other_partnership, sar):
    theirs = UserFactory(partnership=other_partnership, roles=[Role.ADMINISTRATOR])
    client.force_login(theirs)

    assert client.get(reverse("rights:request_detail", args=[sar.pk])).status_code == 404
    assert client.get(reverse("rights-api:subject-access-request-list")).json()["results"] == []


@pytest.mark.parametrize("audience", ["young-people", "staff", "applicants"])
def test_each_audiences_privacy_notice_is_public_and_drawn_from_the_register(client, audience):
    page = client.get(reverse("rights:privacy_notice", args=[audience])).content.decode()

    rules = {
        "young-people": [r for r in data_kinds.RULES.values() if r.young_people],
        "staff": list(data_kinds.RULES.values()),
        "applicants": [
            data_kinds.RULES[data_kinds.DataKind.APPLICANT],
            data_kinds.RULES[data_kinds.DataKind.SIGN_IN],
        ],
    }[audience]
    for rule in rules:
        assert escape(rule.kind.label) in page
        assert escape(rule.retention_from) in page
        if audience == "young-people":
            assert escape(rule.young_people) in page
        else:
            assert escape(rule.lawful_basis) in page


def test_a_changed_retention_period_changes_the_notice(client, settings):
    settings.VRU_RETENTION_MONTHS = {"session_attendance": 12}

    page = client.get(reverse("rights:privacy_notice", args=["young-people"])).content.decode()

    assert "We keep it for 1 year after the session" in page


def test_the_notices_say_how_long_the_working_copies_are_kept_as_the_settings_say(client, settings):
    settings.VRU_SAR_COPY_DAYS, settings.VRU_IMPORT_DETAILS_DAYS = 14, 60

    young = client.get(reverse("rights:privacy_notice", args=["young-people"])).content.decode()
    staff = client.get(reverse("rights:privacy_notice", args=["staff"])).content.decode()

    assert "We delete that copy 14 days after we answer." in young
    assert "deleted 14 days after the request is answered" in staff
    assert "cleared 60 days after it finished" in staff


def test_the_privacy_index_is_public(client):
    assert client.get(reverse("rights:privacy")).status_code == 200
    assert client.get("/rights/privacy/nobody/").status_code == 404


def test_reading_the_gathered_records_is_audited(client, partnership, sar):
    administrator = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])
    client.force_login(administrator)

    client.get(reverse("rights:request_review", args=[sar.pk]))

    assert AuditEvent.objects.filter(
        verb="subject_access.records_viewed", actor=administrator, target_id=str(sar.pk)
    ).exists()


def test_the_admin_lists_requests_read_only_without_the_gathered_records(client, partnership, sar):
    administrator = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR], is_staff=True)
    client.force_login(administrator)

    listing = client.get(reverse("admin:rights_subjectaccessrequest_changelist"))
    change = client.get(reverse("admin:rights_subjectaccessrequest_change", args=[sar.pk]))
    runs = client.get(reverse("admin:rights_kindretentionrun_changelist"))

    assert listing.status_code == 200
    assert sar.young_person.reference in listing.content.decode()
    assert change.status_code == 200
    assert "Someone" not in change.content.decode()  # who asked stays on the request's page
    assert runs.status_code == 200
