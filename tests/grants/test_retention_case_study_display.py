"""A monitoring return's case study goes at its kind's period (CASE_STUDIES) after the return
fell due, or was sent if later. Its page then says when the story was removed, as a rights
request's page says when the requester's name was, rather than showing an empty row; a
return still within its period shows its story. The daily retention task runs it."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse

from grants import services as grant_services
from grants.models import Decision, MonitoringReturn
from rights import tasks
from tests.factories import ApplicationFactory, UserFactory, applicant_for
from vru.data_kinds import DataKind, retention_months
from vru.models import Role

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
STORY = "Jay, 15, from the Westway flats, stopped carrying a knife after our boxing nights"
LATER_STORY = "The girls group planned and ran the summer fun day themselves"


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12, tzinfo=datetime.UTC))


def submit(monitoring_return, *, on: datetime.date, story: str):
    application = monitoring_return.award.decision.application
    with time_machine.travel(at(on), tick=False):
        grant_services.monitoring_return_submit(
            actor=applicant_for(application.organisation),
            monitoring_return=monitoring_return,
            young_people_by_age_band={"14-17": 30},
            young_people_by_lsoa={application.lsoas.get().code: 30},
            sessions_delivered=20,
            new_starts=20,
            completions=15,
            outcomes_achieved=10,
            spend_to_date=Decimal("900"),
            case_study=story,
        )


@pytest.fixture
def officer(partnership):
    return UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])


@pytest.fixture
def returns(partnership, officer):
    """A two-tranche award's returns, each sent a few days before it fell due."""
    decision = grant_services.decision_record(
        actor=officer,
        application=ApplicationFactory(grant_round__partnership=partnership, status="eligible"),
        outcome=Decision.Outcome.FUND,
        amount=Decimal("3000"),
        reasons="Good",
        override_reason="Decided early to set up this test.",
    )
    award = grant_services.award_create(
        actor=officer,
        decision=decision,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        tranche_count=2,
    )
    first, second = award.monitoring_returns.order_by("number")
    submit(first, on=first.due_on - 3 * DAY, story=STORY)
    submit(second, on=second.due_on - 3 * DAY, story=LATER_STORY)
    return {"first": first, "second": second}


def period_end(monitoring_return) -> datetime.datetime:
    return at(
        monitoring_return.due_on + relativedelta(months=retention_months(DataKind.CASE_STUDIES))
    )


def page(client, user, monitoring_return) -> str:
    client.force_login(user)
    return client.get(reverse("grants:monitoring_return", args=[monitoring_return.pk])).text


def test_a_cleared_case_study_shows_when_it_was_removed_instead_of_an_empty_row(
    client, officer, returns
):
    end = period_end(returns["first"])
    with time_machine.travel(end, tick=False):
        tasks.retention_apply.delay()

    first = MonitoringReturn.objects.get(pk=returns["first"].pk)
    assert (first.case_study, first.case_study_cleared_at) == ("", end)
    shown = page(client, officer, first)
    assert f"Removed on {end:%-d %B %Y} at the end of its retention period" in shown
    assert "Westway" not in shown
    # the return that fell due later keeps its story, and shows it
    second = MonitoringReturn.objects.get(pk=returns["second"].pk)
    assert (second.case_study, second.case_study_cleared_at) == (LATER_STORY, None)
    shown = page(client, officer, second)
    assert LATER_STORY in shown
    assert "at the end of its retention period" not in shown


def test_a_case_study_cleared_before_its_removal_was_recorded_is_left_out(client, officer, returns):
    # cleared by an earlier run, which did not record when
    MonitoringReturn.objects.filter(pk=returns["first"].pk).update(case_study="")

    shown = page(client, officer, returns["first"])

    assert "Case study" not in shown
    assert "Sessions delivered" in shown
