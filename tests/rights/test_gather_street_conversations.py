"""A referral made from a conversation on a detached (street) session: the young person's
bundle holds that conversation among their contacts and notes (the session's day and place,
the age band and gender recorded, and what was said), redactable like any note; a summary
cleared at the end of its period is not shown as text; the session's other anonymous
contacts are other young people and never reach the bundle."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from programmes import services as programme_services
from programmes.models import Session
from rights import services
from rights.models import GatheredItem
from rights.services import bundle
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory
from vru.data_kinds import DataKind, retention_months
from vru.models import Role

pytestmark = pytest.mark.django_db

HELD = datetime.date(2026, 1, 15)
NOON = datetime.time(12, tzinfo=datetime.UTC)
SUMMARY = "Said his brother carries a blade near the Co-op"
THEIRS = "Another lad, said nothing of note"


@pytest.fixture
def lead(partnership):
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST])
    partnership.data_protection_lead = user
    partnership.save(update_fields=["data_protection_lead"])
    return user


@pytest.fixture
def session(partnership):
    return programme_services.session_record(
        actor=None,
        programme=ProgrammeFactory(partnership=partnership, name="Streetwise"),
        kind=Session.Kind.DETACHED,
        held_on=HELD,
        place="Skate park, Priory Road",
        counts={("14-17", "male"): 6, ("18-24", "female"): 2},
    )


def conversation(session, summary=SUMMARY, age_band="14-17", gender="male"):
    return programme_services.detached_contact_record(
        actor=None, session=session, age_band=age_band, gender=gender, summary=summary
    )


@pytest.fixture
def reroute(partnership):
    return ProgrammeFactory(partnership=partnership, name="ReRoute")


def referral_from(contact, programme):
    """The contact became a referral to ``programme`` a week after the session."""
    event = datetime.datetime.combine(HELD + datetime.timedelta(days=7), NOON)
    return ReferralFactory(
        programme=programme,
        event_at=event,
        referred_at=event + datetime.timedelta(days=1),
        from_detached_contact=contact,
    )


def gathered(lead, young_person, django_capture_on_commit_callbacks):
    """Log a request and gather it as every door does: the Celery task, after commit."""
    sar = services.request_create(
        actor=lead,
        young_person=young_person,
        kind="access",
        requester_name="The young person",
        relationship="self",
        identity_check="known_worker",
        received_on=timezone.localdate(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.request_gather_start(actor=lead, request=sar)
    sar.refresh_from_db()
    assert sar.status == "in_review"
    return sar


def street_rows(sar) -> dict[str, str]:
    content = bundle.bundle_content(sar)
    (section,) = [s for s in content["sections"] if s["kind"] == GatheredItem.Kind.CONTACT]
    return {
        row["field"]: row["text"]
        for row in section["items"]
        if row["source"].startswith("Street conversation")
    }


def everything_in(sar) -> str:
    return bundle.render_csv(bundle.bundle_content(sar)).decode("utf-8-sig")


def test_the_bundle_includes_the_street_conversation_a_referral_came_from(
    lead, session, reroute, django_capture_on_commit_callbacks
):
    referral = referral_from(conversation(session), reroute)

    sar = gathered(lead, referral.young_person, django_capture_on_commit_callbacks)

    assert street_rows(sar) == {
        "Where": "Detached session of Streetwise at Skate park, Priory Road",
        "Recorded as": "Male, 14 to 17",
        "Summary": SUMMARY,
        "Led to": "Referral to ReRoute, 23 January 2026 12:00",
    }
    item = GatheredItem.objects.get(request=sar, field="Summary")
    assert item.kind == GatheredItem.Kind.CONTACT  # among the case's notes, as retention has it
    assert item.source_label == "Street conversation on 15 January 2026"


def test_a_cleared_street_summary_is_not_shown_as_text(
    lead, session, reroute, django_capture_on_commit_callbacks
):
    referral = referral_from(conversation(session), reroute)
    closed = datetime.datetime.combine(HELD + relativedelta(months=4), NOON)
    programme_services.referral_status_change(
        actor=None, referral=referral, to_status="closed", closure_reason="completed", at=closed
    )
    services.retention_apply(
        now=closed + relativedelta(months=retention_months(DataKind.CASE_NOTES))
    )

    sar = gathered(lead, referral.young_person, django_capture_on_commit_callbacks)

    rows = street_rows(sar)
    assert "Summary" not in rows
    assert rows["Where"] == "Detached session of Streetwise at Skate park, Priory Road"
    assert all(item.text for item in GatheredItem.objects.filter(request=sar))
    assert "blade" not in everything_in(sar)


def test_another_young_persons_detached_contacts_in_the_same_session_are_not_included(
    lead, session, reroute, django_capture_on_commit_callbacks
):
    subject = referral_from(conversation(session), reroute)
    other = referral_from(
        conversation(session, summary=f"{THEIRS} at first", gender="female"), reroute
    )
    conversation(session, summary=f"{THEIRS}, stayed anonymous", age_band="18-24")

    sar = gathered(lead, subject.young_person, django_capture_on_commit_callbacks)

    text = everything_in(sar)
    assert SUMMARY in text
    assert THEIRS not in text
    assert "Female" not in text
    assert "18 to 24" not in text
    assert GatheredItem.objects.filter(request=sar, field="Summary").count() == 1
    assert other.young_person_id != subject.young_person_id


def test_a_street_summary_is_redacted_like_any_note(
    lead, session, reroute, django_capture_on_commit_callbacks
):
    referral = referral_from(conversation(session), reroute)
    sar = gathered(lead, referral.young_person, django_capture_on_commit_callbacks)
    item = GatheredItem.objects.get(request=sar, field="Summary")

    services.item_redact(actor=lead, item=item, span="his brother", reason="A third party")

    assert street_rows(sar)["Summary"] == "Said [redacted] carries a blade near the Co-op"
    assert "his brother" not in everything_in(sar)


def test_the_api_gathers_the_street_conversation_through_the_same_task(
    api_client, lead, session, reroute, django_capture_on_commit_callbacks
):
    referral = referral_from(conversation(session), reroute)
    sar = services.request_create(
        actor=lead,
        young_person=referral.young_person,
        kind="access",
        requester_name="The young person",
        relationship="self",
        identity_check="known_worker",
        received_on=timezone.localdate(),
    )
    api_client.force_authenticate(lead)

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(f"/api/subject-access-requests/{sar.pk}/gather/")

    assert response.status_code == 200, response.content
    assert GatheredItem.objects.get(request=sar, field="Summary").text == SUMMARY
