"""The reason given for each redaction of a subject access copy may name the third party it
protects ("Kai Smith's mum"). The redaction goes with the gathered copy, days after the
answer; the audit trail's entry of it keeps the reason, to show why something was withheld,
until the rights requests' period (RIGHTS_REQUEST) ends after the answer, with the other
reasons written on the request. It then reads "[removed at the end of its retention
period]"; a request answered later keeps its reasons. The daily retention task runs it."""

import datetime
import json

import pytest
import time_machine
from dateutil.relativedelta import relativedelta

from rights import services, tasks
from rights.models import GatheredItem, KindRetentionRun, SubjectAccessRequest
from rights.models.requests import CLEARED
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory
from vru.data_kinds import DataKind, retention_months
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

ANSWERED = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
REASON = "Kai Smith's mum: a third party, not the requester"


def period_end() -> datetime.datetime:
    return ANSWERED + relativedelta(months=retention_months(DataKind.RIGHTS_REQUEST))


def a_redacted_request(partnership, lead, *, answered_at) -> SubjectAccessRequest:
    """A request reviewed with one item redacted, then sent on ``answered_at``."""
    referral = ReferralFactory(programme=ProgrammeFactory(partnership=partnership))
    received = (answered_at - 20 * DAY).date()
    sar = SubjectAccessRequest.objects.create(
        partnership=partnership,
        young_person=referral.young_person,
        requester_name="Maya Jones",
        relationship="parent",
        identity_check="photo_id",
        received_on=received,
        due_on=SubjectAccessRequest.due_for(received),
        status="in_review",
    )
    item = GatheredItem.objects.create(
        request=sar, position=0, kind="contact", source_label="Contact", text="Saw Kai Smith."
    )
    services.item_redact(actor=lead, item=item, span="Kai Smith", reason=REASON)
    SubjectAccessRequest.objects.filter(pk=sar.pk).update(status="sent", closed_at=answered_at)
    return sar


def reasons_audited(sar) -> list[str]:
    return [
        event.changes["reason"]
        for event in AuditEvent.objects.filter(
            verb="subject_access.redacted", target_id=str(sar.pk)
        )
    ]


def run_retention_on(day: datetime.datetime) -> KindRetentionRun:
    with time_machine.travel(day, tick=False):
        return KindRetentionRun.objects.get(pk=tasks.retention_apply.delay().get())


@pytest.fixture
def requests(partnership):
    lead = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])
    return {
        "old": a_redacted_request(partnership, lead, answered_at=ANSWERED),
        "younger": a_redacted_request(partnership, lead, answered_at=ANSWERED + 30 * DAY),
    }


def test_redaction_reasons_are_cleared_when_the_rights_request_period_ends(requests):
    run = run_retention_on(period_end())

    assert reasons_audited(requests["old"]) == [CLEARED]
    assert reasons_audited(requests["younger"]) == [REASON]
    # the redaction is still recorded, without the why
    assert AuditEvent.objects.filter(
        verb="subject_access.redacted", target_id=str(requests["old"].pk)
    ).exists()
    # the old request's details and its redaction reason
    assert run.removed["rights_request"] == 2


def test_redaction_reasons_stay_until_the_day_the_period_ends(requests):
    run = run_retention_on(period_end() - DAY)

    assert reasons_audited(requests["old"]) == [REASON]
    assert run.removed["rights_request"] == 0


def test_clearing_redaction_reasons_is_audited_as_a_count_never_the_words(requests, partnership):
    run_retention_on(period_end())

    event = AuditEvent.objects.get(verb="subject_access.requests_expired")
    assert event.partnership == partnership
    assert (event.changes["requests"], event.changes["redaction_reasons"]) == (1, 1)
    old_entries = AuditEvent.objects.exclude(target_id=str(requests["younger"].pk))
    for entry in old_entries:
        assert "Kai" not in entry.target_repr + json.dumps(entry.changes)


def test_a_second_run_clears_nothing_more(requests):
    run_retention_on(period_end())

    assert run_retention_on(period_end() + DAY).removed["rights_request"] == 0
