"""Lists run a fixed number of queries however many rows they show (1 row vs 50).

Every signed-in request starts with one query: the session with the user, their partnership,
roles and programmes (vru.viewer). The referral lists (seek pages) count their rows
(capped) inside the page's own query.
"""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from programmes import services
from tests.factories import PartnershipFactory, ProgrammeFactory, ReferralFactory, UserFactory
from vru.models import Role

pytestmark = pytest.mark.django_db

SIGNED_IN = 1  # session with the user, partnership, roles and programmes (vru.viewer)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _world(rows: int):
    """A partnership whose programme has `rows` referrals (each with a contact and an
    outcome) and `rows` sessions, and its practitioner and manager."""
    partnership = PartnershipFactory()
    programme = ProgrammeFactory(partnership=partnership)
    practitioner = UserFactory(partnership=partnership, roles=[Role.PRACTITIONER])
    services.programme_staff_set(
        actor=None, programme=programme, user=practitioner, role="practitioner"
    )
    manager = UserFactory(partnership=partnership, roles=[Role.PROGRAMME_MANAGER])
    services.programme_staff_set(actor=None, programme=programme, user=manager, role="manager")
    for _ in range(rows):
        referral = ReferralFactory(programme=programme, assigned_to=practitioner)
        services.contact_record(
            actor=None,
            referral=referral,
            method="phone",
            occurred_at=referral.referred_at + datetime.timedelta(minutes=30),
        )
        services.outcome_record(
            actor=None, referral=referral, kind="eet", achieved_on=datetime.date(2026, 3, 1)
        )
        services.session_record(
            actor=None,
            programme=programme,
            kind="group",
            held_on=datetime.date(2026, 3, 1),
            place="Club",
            counts={("14-17", "male"): 3},
        )
    return {"practitioner": practitioner, "manager": manager}


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    """Two partnerships built once for the module (in a transaction rolled back when it
    ends): one whose lists have 1 row, one whose lists have 60 (more than a page)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield {1: _world(1), 60: _world(60)}
        transaction.set_rollback(True)


# (url, role, queries after the 2 of signing in for a list longer than a page, what they are)
LISTS = [
    (
        "/programmes/caseload/",
        "practitioner",
        3,
        "page of 51 open rows JOIN young person, user, with the capped COUNT (LIMIT 1001) as"
        " a subquery; the viewer's programmes (their ids scope the rows, filter choices,"
        " whether they may assign); the recently viewed referrals they may still see (the"
        " agreements a download for a partner may name: on that download's own page)",
    ),
    (
        "/programmes/caseload/",
        "manager",
        3,
        "the same: managed programmes come as ids with the viewer's programmes",
    ),
    (
        "/programmes/caseload/?q=YP-",
        "practitioner",
        3,
        "a part of a reference: the same three (the page's query filtered, through the ORM)",
    ),
    (
        "/programmes/caseload/?q=test",
        "practitioner",
        4,
        "a name: the same three (the name's token a subquery of the page's) and the audit row",
    ),
    (
        "/programmes/caseload/?q=01/05/2010",
        "manager",
        4,
        "a date of birth: the same (the date's token a subquery) and the audit row",
    ),
    (
        "/programmes/sessions/",
        "practitioner",
        3,
        "COUNT, page of sessions with SUM of counts, programmes for the filter",
    ),
    ("/programmes/", "manager", 2, "COUNT, page of programmes"),
    (
        "/api/referrals/",
        "practitioner",
        1,
        "page (seek) with its capped COUNT, scoped by the programme ids loaded with the user",
    ),
    ("/api/referrals/", "manager", 1, "page with its capped COUNT"),
    (
        "/api/contacts/",
        "manager",
        2,
        "COUNT, page (visible referrals as a subquery)",
    ),
    ("/api/outcomes/", "manager", 2, "COUNT, page"),
    ("/api/sessions/", "practitioner", 2, "COUNT, page"),
    ("/api/programmes/", "manager", 2, "COUNT, page"),
]


@pytest.mark.parametrize(
    ("url", "who", "expected", "what"), LISTS, ids=[f"{u}-{w}" for u, w, *_ in LISTS]
)
def test_list_queries_do_not_grow_with_rows(client, worlds, url, who, expected, what):
    client.force_login(worlds[1][who])
    one = count_queries(client, url)
    client.force_login(worlds[60][who])
    sixty = count_queries(client, url)

    assert one == sixty == SIGNED_IN + expected, what
