"""The one-month clock, its extension, the reminders to the data protection lead, and the
rules for correction and erasure requests."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from programmes.models import YoungPersonIdentity
from rights import services
from rights.models import SubjectAccessRequest
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory
from vru.models import AuditEvent, OutboxMessage, Role
from vru.services import outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(partnership):
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST], email="dpo@example.org")
    partnership.data_protection_lead = user
    partnership.save(update_fields=["data_protection_lead"])
    return user


@pytest.fixture
def referral(partnership):
    return ReferralFactory(programme=ProgrammeFactory(partnership=partnership))


def log(lead, referral, *, kind="access", received_on=datetime.date(2026, 1, 31)):
    return services.request_create(
        actor=lead,
        young_person=referral.young_person,
        kind=kind,
        requester_name="A parent",
        relationship="parent",
        identity_check="parental",
        received_on=received_on,
    )


def test_a_request_is_due_one_calendar_month_after_it_was_received(lead, referral):
    sar = log(lead, referral, received_on=datetime.date(2026, 1, 31))

    assert sar.due_on == datetime.date(2026, 2, 28)
    assert AuditEvent.objects.filter(verb="subject_access.logged", target_id=str(sar.pk)).exists()


def test_the_clock_extends_by_two_further_months_at_most_with_a_reason(lead, referral):
    sar = log(lead, referral, received_on=datetime.date(2026, 3, 10))

    with pytest.raises(ValidationError, match="why"):
        services.request_extend(actor=lead, request=sar, months=1, reason=" ")
    sar = services.request_extend(actor=lead, request=sar, months=2, reason="Many records")
    with pytest.raises(ValidationError, match="2 months at most"):
        services.request_extend(actor=lead, request=sar, months=1, reason="Still more")

    assert sar.due_on == datetime.date(2026, 6, 10)
    assert sar.extended_months == 2


def test_only_administrators_and_the_data_protection_lead_may_log_a_request(
    partnership, lead, referral
):
    manager = UserFactory(partnership=partnership, roles=[Role.PROGRAMME_MANAGER])
    administrator = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])

    with pytest.raises(PermissionDenied):
        log(manager, referral)
    assert log(administrator, referral).pk
    assert log(lead, referral).pk


def test_the_lead_of_another_partnership_cannot_log_a_request_here(other_partnership, referral):
    theirs = UserFactory(partnership=other_partnership, roles=[Role.ANALYST])
    other_partnership.data_protection_lead = theirs
    other_partnership.save()

    with pytest.raises(PermissionDenied):
        log(theirs, referral)


def test_the_lead_is_reminded_a_week_before_and_once_more_when_overdue(lead, referral):
    sar = log(lead, referral, received_on=datetime.date(2026, 1, 10))  # due 10 February

    early = services.request_reminders_enqueue(today=datetime.date(2026, 2, 1))
    due = services.request_reminders_enqueue(today=datetime.date(2026, 2, 4))
    again = services.request_reminders_enqueue(today=datetime.date(2026, 2, 5))
    overdue = services.request_reminders_enqueue(today=datetime.date(2026, 2, 11))
    outbox.relay()

    assert (early, due, again, overdue) == (0, 1, 0, 1)
    assert OutboxMessage.objects.filter(kind=services.REQUEST_DUE, target_id=sar.pk).count() == 2
    assert [m.to for m in mail.outbox] == [["dpo@example.org"], ["dpo@example.org"]]
    assert "10 February 2026" in mail.outbox[0].body
    assert referral.young_person.reference in mail.outbox[0].subject


def test_a_finished_request_is_not_reminded(lead, referral):
    sar = log(lead, referral, received_on=datetime.date(2026, 1, 10))
    services.request_finish(actor=lead, request=sar, status="closed", reason="Withdrawn")

    assert services.request_reminders_enqueue(today=datetime.date(2026, 2, 20)) == 0


def test_a_refusal_needs_its_reason(lead, referral):
    sar = log(lead, referral)

    with pytest.raises(ValidationError):
        services.request_finish(actor=lead, request=sar, status="refused", reason="")
    sar = services.request_finish(
        actor=lead, request=sar, status="refused", reason="Manifestly unfounded"
    )

    assert sar.status == "refused"
    assert sar.outcome_reason == "Manifestly unfounded"


def test_erasure_is_refused_while_the_case_is_open_with_the_reason_recorded(lead, referral):
    sar = log(lead, referral, kind="erasure", received_on=timezone.localdate())

    sar = services.erasure_decide(actor=lead, request=sar)

    assert sar.status == "refused"
    assert "open case" in sar.outcome_reason
    assert YoungPersonIdentity.objects.filter(young_person=referral.young_person).exists()


def test_erasure_is_refused_within_the_retention_of_criminal_offence_data(lead, referral):
    type(referral).objects.filter(pk=referral.pk).update(
        status="closed",
        closure_reason="completed",
        awaiting_contact=False,
        closed_at=timezone.now() - datetime.timedelta(days=30),
    )
    sar = log(lead, referral, kind="erasure", received_on=timezone.localdate())

    sar = services.erasure_decide(actor=lead, request=sar)

    assert sar.status == "refused"
    assert "Criminal-offence data within its retention period" in sar.outcome_reason
    assert "open case" not in sar.outcome_reason


def test_erasure_goes_ahead_when_no_obligation_keeps_the_records(lead, referral):
    type(referral).objects.filter(pk=referral.pk).update(
        status="closed",
        closure_reason="completed",
        awaiting_contact=False,
        closed_at=timezone.now() - datetime.timedelta(days=365 * 7),
    )
    sar = log(lead, referral, kind="erasure", received_on=timezone.localdate())

    sar = services.erasure_decide(actor=lead, request=sar)

    assert sar.status == "closed"
    assert not YoungPersonIdentity.objects.filter(young_person=referral.young_person).exists()
    referral.refresh_from_db()
    assert referral.anonymised_at is not None


def test_a_correction_request_points_to_the_corrections_of_the_case(client, lead, referral):
    sar = log(lead, referral, kind="correction")
    client.force_login(lead)

    page = client.get(reverse("rights:request_detail", args=[sar.pk])).content.decode()

    assert reverse("programmes:referral_correct", args=[referral.pk]) in page


def test_the_list_shows_the_clock_sorted_by_due_date_with_the_overdue_marked(
    client, lead, referral
):
    late = log(lead, referral, received_on=timezone.localdate() - datetime.timedelta(days=60))
    soon = log(lead, referral, received_on=timezone.localdate())
    client.force_login(lead)

    page = client.get(reverse("rights:request_list")).content.decode()

    assert page.index(f">{late}<") < page.index(f">{soon}<")
    assert page.count("Overdue</strong>") == 1
    filtered = client.get(reverse("rights:request_list"), {"status": "sent"}).content.decode()
    assert "No requests match these filters." in filtered


def test_logging_a_request_for_an_unknown_reference_shows_the_error_summary(client, lead):
    client.force_login(lead)

    response = client.post(
        reverse("rights:request_create"),
        {
            "kind": "access",
            "reference": "YP-NOPE1",
            "requester_name": "Someone",
            "relationship": "self",
            "identity_check": "photo_id",
            "received_on_day": "1",
            "received_on_month": "12",
            "received_on_year": "2026",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "No young person in your partnership has this reference." in page
    assert not SubjectAccessRequest.objects.exists()
