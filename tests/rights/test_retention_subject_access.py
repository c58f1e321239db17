"""Subject access requests do not keep a young person's records longer than the records
themselves. The copy gathered to answer a request (its items and their redactions) goes
VRU_SAR_COPY_DAYS after the request was answered, not a day before; a request still open
keeps it. The request's own details (who asked, their words, the identity check's notes,
the reasons written on it: the register's RIGHTS_REQUEST kind) go at that kind's period
after the answer. The fact of the request stays: the young person's pseudonymous reference,
its kind, dates and status, so the partnership can still show it answered in time. Each is
audited as counts, never a name or a word; a kind that fails removes none of its own
records, and the kinds before it stay removed."""

import datetime
import json

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings

from rights import services
from rights.models import GatheredItem, KindRetentionRun, Redaction, SubjectAccessRequest
from rights.models.requests import CLEARED
from rights.services import request_retention
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory
from vru.data_kinds import DataKind, retention_months
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

ANSWERED = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
PERSONAL = ["Maya Jones", "passport ending 4417", "every note about me", "Kai Smith", "mum"]


def copy_end(answered=ANSWERED):
    return answered + datetime.timedelta(days=settings.VRU_SAR_COPY_DAYS)


def details_end(answered=ANSWERED):
    return answered + relativedelta(months=retention_months(DataKind.RIGHTS_REQUEST))


def a_request(partnership, lead, *, status, closed_at=None, **fields):
    referral = ReferralFactory(programme=ProgrammeFactory(partnership=partnership))
    received = datetime.date(2025, 12, 1)
    sar = SubjectAccessRequest.objects.create(
        partnership=partnership,
        young_person=referral.young_person,
        requester_name="Maya Jones",
        relationship="parent",
        identity_check="other",
        identity_check_notes="Saw her passport ending 4417",
        details="She wants every note about me",
        received_on=received,
        due_on=SubjectAccessRequest.due_for(received, 1),
        extended_months=1,
        extension_reason="Kai Smith's records are spread over three programmes",
        status=status,
        closed_at=closed_at,
        **fields,
    )
    for position, text in enumerate(["Saw Kai Smith; his mum called.", "Born 3 May 2010"]):
        item = GatheredItem.objects.create(
            request=sar, position=position, kind="contact", source_label="Contact", text=text
        )
    Redaction.objects.create(item=item, span="", reason="Kai Smith's mum", redacted_by=lead)
    return sar


@pytest.fixture
def requests(partnership):
    """An access request sent on ANSWERED, one refused the same day, one still in review."""
    lead = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])
    return {
        "sent": a_request(
            partnership,
            lead,
            status="sent",
            closed_at=ANSWERED,
            downloaded_at=ANSWERED,
            downloaded_by=lead,
            outcome_reason="",
        ),
        "refused": a_request(
            partnership,
            lead,
            status="refused",
            closed_at=ANSWERED,
            outcome_reason="Refused: Maya Jones could not show parental responsibility",
        ),
        "open": a_request(partnership, lead, status="in_review"),
        "lead": lead,
    }


def items(sar) -> int:
    return GatheredItem.objects.filter(request=sar).count()


def test_the_gathered_copy_stays_until_its_days_after_the_answer_not_a_day_less(requests):
    run = services.retention_apply(now=copy_end() - DAY)

    assert [items(requests[name]) for name in ["sent", "refused", "open"]] == [2, 2, 2]
    assert run.removed["subject_access_copy"] == 0


def test_at_its_days_the_answered_requests_copies_go_with_their_redactions(requests):
    run = services.retention_apply(now=copy_end())

    assert (items(requests["sent"]), items(requests["refused"])) == (0, 0)
    assert Redaction.objects.filter(item__request__status="in_review").count() == 1
    assert Redaction.objects.count() == 1
    assert run.removed["subject_access_copy"] == 4
    sent = SubjectAccessRequest.objects.get(pk=requests["sent"].pk)
    assert sent.copy_deleted_at == copy_end()
    # the request's own details are kept for far longer
    assert (sent.requester_name, sent.details_cleared_at) == ("Maya Jones", None)


def test_a_request_still_open_keeps_its_copy_however_old(requests):
    services.retention_apply(now=details_end() + relativedelta(years=5))

    assert items(requests["open"]) == 2
    still = SubjectAccessRequest.objects.get(pk=requests["open"].pk)
    assert still.requester_name == "Maya Jones"
    assert still.copy_deleted_at is None


def test_a_deployment_sets_how_many_days_the_copy_is_kept(requests, settings):
    settings.VRU_SAR_COPY_DAYS = 7

    services.retention_apply(now=ANSWERED + datetime.timedelta(days=6))
    assert items(requests["sent"]) == 2

    services.retention_apply(now=ANSWERED + datetime.timedelta(days=7))
    assert items(requests["sent"]) == 0


def test_who_asked_and_how_they_were_checked_stay_until_the_kinds_period_not_a_day_less(
    requests,
):
    run = services.retention_apply(now=details_end() - DAY)

    sent = SubjectAccessRequest.objects.get(pk=requests["sent"].pk)
    assert sent.requester_name == "Maya Jones"
    assert sent.identity_check_notes == "Saw her passport ending 4417"
    assert run.removed["rights_request"] == 0


def test_at_the_kinds_period_the_requests_details_go_and_the_fact_it_was_answered_in_time_stays(
    requests,
):
    before = SubjectAccessRequest.objects.get(pk=requests["sent"].pk)

    run = services.retention_apply(now=details_end())

    assert run.removed["rights_request"] == 2  # sent and refused; the open one stays
    for name in ["sent", "refused"]:
        sar = SubjectAccessRequest.objects.get(pk=requests[name].pk)
        assert (sar.requester_name, sar.details, sar.identity_check_notes) == ("", "", "")
        assert sar.outcome_reason == ""
        assert sar.extension_reason == CLEARED
        assert sar.details_cleared_at == details_end()
    sent = SubjectAccessRequest.objects.get(pk=requests["sent"].pk)
    kept = ["young_person_id", "kind", "relationship", "identity_check", "received_on"]
    kept += ["due_on", "extended_months", "status", "closed_at", "downloaded_at"]
    assert all(getattr(sent, field) == getattr(before, field) for field in kept)
    assert sent.closed_at.date() <= sent.due_on  # answered within its deadline


def test_the_requests_page_says_what_went_and_keeps_its_dates(client, requests):
    services.retention_apply(now=copy_end())
    services.retention_apply(now=details_end())
    client.force_login(requests["lead"])

    page = client.get(requests["sent"].get_absolute_url()).text

    assert "The records gathered for this request were deleted on 14 February 2026" in page
    assert "Name removed on 15 January 2029" in page
    assert "1 December 2025" in page  # received
    assert not any(value in page for value in PERSONAL)


def test_each_is_audited_as_counts_per_partnership_never_a_name_or_a_word(requests, partnership):
    services.retention_apply(now=details_end())

    copies = AuditEvent.objects.get(verb="subject_access.copies_expired")
    assert copies.partnership == partnership
    assert copies.actor is None
    assert {k: copies.changes[k] for k in ["requests", "items", "redactions"]} == {
        "requests": 2,
        "items": 4,
        "redactions": 2,
    }
    details = AuditEvent.objects.get(verb="subject_access.requests_expired")
    assert details.changes["requests"] == 2
    written = json.dumps([copies.changes, details.changes]) + copies.target_repr
    assert not any(value.lower() in written.lower() for value in PERSONAL)


def test_a_second_run_removes_and_audits_nothing_more(requests):
    services.retention_apply(now=details_end())

    run = services.retention_apply(now=details_end() + DAY)

    assert (run.removed["subject_access_copy"], run.removed["rights_request"]) == (0, 0)
    assert AuditEvent.objects.filter(verb="subject_access.copies_expired").count() == 1
    assert AuditEvent.objects.filter(verb="subject_access.requests_expired").count() == 1


def test_a_kind_that_fails_removes_none_of_its_records_and_the_earlier_kinds_stay_removed(
    requests, monkeypatch
):
    # given the requests' details failing to be audited once they were cleared
    audit = request_retention._audit

    def fails(verb, counts, cutoff):
        if verb == "subject_access.requests_expired":
            raise RuntimeError("the audit could not be written")
        audit(verb, counts, cutoff)

    monkeypatch.setattr(request_retention, "_audit", fails)

    # when the run meets it
    with pytest.raises(RuntimeError):
        services.retention_apply(now=details_end())

    # then the request keeps its details, and the copy (an earlier kind) stays deleted
    sent = SubjectAccessRequest.objects.get(pk=requests["sent"].pk)
    assert (sent.requester_name, sent.details_cleared_at) == ("Maya Jones", None)
    assert items(requests["sent"]) == 0
    assert sent.copy_deleted_at == details_end()
    run = KindRetentionRun.objects.get()
    assert run.failed == DataKind.RIGHTS_REQUEST
    assert run.removed["subject_access_copy"] == 4
