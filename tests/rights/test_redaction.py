"""Redaction: a span (every occurrence, any case) or a whole item, each with its reason;
undone while the request is in review; the words redacted never reach the audit trail."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from rights import services
from rights.models import GatheredItem, SubjectAccessRequest
from rights.models.requests import redacted_text
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(partnership):
    return UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])


@pytest.fixture
def item(partnership):
    referral = ReferralFactory(programme=ProgrammeFactory(partnership=partnership))
    sar = SubjectAccessRequest.objects.create(
        partnership=partnership,
        young_person=referral.young_person,
        requester_name="Someone",
        relationship="self",
        identity_check="photo_id",
        received_on=datetime.date(2026, 11, 20),
        due_on=datetime.date(2026, 12, 20),
        status="in_review",
    )
    return GatheredItem.objects.create(
        request=sar,
        position=1,
        kind="contact",
        source_label="Contact",
        field="Notes",
        text="Saw Kai Smith; KAI SMITH's mum called.",
    )


def test_a_span_is_redacted_everywhere_in_the_item_and_the_audit_never_holds_it(admin, item):
    services.item_redact(actor=admin, item=item, span="kai smith", reason="Third party")

    assert redacted_text(item.text, item.redactions.all()) == (
        "Saw [redacted]; [redacted]'s mum called."
    )
    event = AuditEvent.objects.get(verb="subject_access.redacted")
    assert "Kai" not in str(event.changes)
    assert "kai" not in str(event.changes)


def test_a_whole_item_may_be_redacted(admin, item):
    services.item_redact(actor=admin, item=item, reason="About someone else entirely")

    assert redacted_text(item.text, item.redactions.all()) == "[redacted]"


def test_words_that_are_not_in_the_item_cannot_be_redacted(admin, item):
    with pytest.raises(ValidationError, match="must appear"):
        services.item_redact(actor=admin, item=item, span="Nobody", reason="x")


def test_a_redaction_is_undone_on_the_review_page(client, admin, item):
    redaction = services.item_redact(actor=admin, item=item, span="Kai Smith", reason="x")
    client.force_login(admin)

    response = client.post(reverse("rights:redaction_remove", args=[item.request_id, redaction.pk]))

    assert response.status_code == 302
    assert not item.redactions.exists()
    assert AuditEvent.objects.filter(verb="subject_access.redaction_removed").exists()


def test_nothing_is_redacted_once_the_request_is_sent(admin, item):
    SubjectAccessRequest.objects.filter(pk=item.request_id).update(status="sent")
    item.refresh_from_db()

    with pytest.raises(ValidationError, match="in review"):
        services.item_redact(actor=admin, item=item, span="Kai Smith", reason="x")
