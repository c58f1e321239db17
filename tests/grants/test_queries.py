"""Grants lists run a fixed number of queries however many rows they show.

Each list is measured with 1 row and with 50 (a full page); the counts must match, and the
exact count is asserted so that a new query is a decision, not an accident.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants import services
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    GrantRoundFactory,
    PanelMemberFactory,
)
from vru.models import Role

pytestmark = pytest.mark.django_db


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def make_rounds(partnership, n, **_):
    for _ in range(n):
        ApplicationFactory(
            grant_round=GrantRoundFactory(partnership=partnership), status="submitted"
        )


def make_applications(partnership, n, **_):
    grant_round = GrantRoundFactory(partnership=partnership)
    ApplicationFactory.create_batch(n, grant_round=grant_round, status="submitted")


def make_awards(partnership, n, officer, **_):
    grant_round = GrantRoundFactory(partnership=partnership, maximum_award=Decimal("5000"))
    for _ in range(n):
        application = ApplicationFactory(grant_round=grant_round, status="eligible")
        decision = services.decision_record(
            actor=officer,
            override_reason="Decided early to set up this test.",
            application=application,
            outcome="fund",
            amount=Decimal("2000"),
            reasons="Good",
        )
        services.award_create(
            actor=officer,
            decision=decision,
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2027, 6, 30),
        )


def make_assignments(partnership, n, reviewer, **_):
    grant_round = GrantRoundFactory(partnership=partnership)
    for _ in range(n):
        assignment = AssignmentFactory(application__grant_round=grant_round, reviewer=reviewer)
        services.no_conflict_declare(actor=reviewer.user, assignment=assignment)
        criterion = grant_round.criteria.first()
        services.scores_save(
            actor=reviewer.user, assignment=assignment, scores={criterion.pk: (3, "ok")}
        )


STAFF_LISTS = [
    # Every request: the session with the user, partnership and roles (one query).
    # Pages: session with the user, COUNT, the page's rows.
    # rounds annotated with their application count
    ("grants:round_list", make_rounds, 3),
    # applications JOIN round, organisation
    ("grants:application_list", make_applications, 3),
    # awards JOIN decision, application, organisation, round
    ("grants:award_list", make_awards, 3),
    # API: session with the user, COUNT, page (+ prefetches named below).
    # session with the user, COUNT, page of rounds
    ("grants-api:round-list", make_rounds, 3),
    ("grants-api:application-list", make_applications, 3),
    # session with the user, COUNT, page, tranches prefetch
    ("grants-api:award-list", make_awards, 4),
    # session with the user, COUNT, page (scores JOIN criterion, assignment, application)
    ("grants-api:score-list", make_assignments, 3),
]


@pytest.mark.parametrize(
    ("url_name", "make", "expected"), STAFF_LISTS, ids=[s[0] for s in STAFF_LISTS]
)
def test_staff_lists_do_not_query_per_row(
    client, user_with_role, partnership, url_name, make, expected
):
    officer = user_with_role(Role.GRANTS_OFFICER)
    reviewer = PanelMemberFactory(partnership=partnership)
    client.force_login(officer)
    make(partnership, 1, officer=officer, reviewer=reviewer)
    one = count(client, reverse(url_name))
    make(partnership, 49, officer=officer, reviewer=reviewer)
    fifty = count(client, reverse(url_name))
    assert one == fifty == expected


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        # session with the user (partnership, roles), panel member (training notice),
        # assignments JOIN application, round, reviewer
        ("grants:review_list", 3),
        # session with the user, COUNT, page (assignments JOIN application, organisation, round)
        ("grants-api:assignment-list", 3),
    ],
)
def test_the_reviewer_queue_does_not_query_per_row(client, partnership, url_name, expected):
    reviewer = PanelMemberFactory(partnership=partnership)
    client.force_login(reviewer.user)
    make_assignments(partnership, 1, reviewer=reviewer)
    one = count(client, reverse(url_name))
    make_assignments(partnership, 49, reviewer=reviewer)
    fifty = count(client, reverse(url_name))
    assert one == fifty == expected
