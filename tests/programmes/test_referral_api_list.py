"""The referral API list is DRF's list: the filter backend applies every filter the
filterset declares, the seek paginator pages plain rows, and the lean serializer writes each
row exactly as the full serializer writes the referral, in a constant number of queries."""

import datetime
import json

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from programmes import selectors, services
from programmes.filters import ReferralFilter
from programmes.serializers import ReferralOutputSerializer
from tests.factories import LSOAFactory, ProgrammeFactory, ReferralFactory, UserFactory
from vru.models import Role

pytestmark = pytest.mark.django_db

SUMMER = datetime.datetime(2025, 7, 1, 9, 30, tzinfo=datetime.UTC)  # 10:30 in London
WINTER = datetime.datetime(2026, 1, 10, 14, 0, tzinfo=datetime.UTC)


@pytest.fixture
def world(partnership):
    """Four referrals that differ in every field the list shows and every filter reads."""
    one = ProgrammeFactory(partnership=partnership, name="Alpha")
    two = ProgrammeFactory(partnership=partnership, name="Beta")
    first = UserFactory(partnership=partnership, roles=[Role.PRACTITIONER], username="first")
    second = UserFactory(partnership=partnership, roles=[Role.PRACTITIONER], username="second")
    for programme in (one, two):
        for worker in (first, second):
            services.programme_staff_set(
                actor=None, programme=programme, user=worker, role="practitioner"
            )
    now = timezone.now()
    summer = ReferralFactory(
        programme=one,
        assigned_to=first,
        event_at=SUMMER,
        referred_at=SUMMER + datetime.timedelta(hours=1),
        home_lsoa=LSOAFactory(partnership=partnership),
        consent_given_by="parent",
        consent_given_at=SUMMER + datetime.timedelta(hours=2),
        risk_factors=["Excluded from school"],
        protective_factors=["Trusted adult"],
    )  # never contacted: past its due time
    winter = ReferralFactory(
        programme=one, source="school", reason="violence", event_at=WINTER
    )  # unassigned, no neighbourhood
    services.contact_record(
        actor=None,
        referral=winter,
        occurred_at=WINTER + datetime.timedelta(hours=30),  # after its due time
        method="phone",
    )
    closed = ReferralFactory(
        programme=two,
        assigned_to=second,
        source="hospital",
        reason="drug_supply",
        event_at=now - datetime.timedelta(hours=3),
    )
    services.referral_status_change(
        actor=None, referral=closed, to_status="closed", closure_reason="moved"
    )
    fresh = ReferralFactory(
        programme=two,
        assigned_to=first,
        source="self",
        event_at=now - datetime.timedelta(hours=2),
        consent_given_by="young_person",
        consent_given_at=now - datetime.timedelta(hours=1),
    )
    services.referral_consent_withdraw(actor=None, referral=fresh)
    type(fresh).objects.filter(pk=fresh.pk).update(
        eligibility_override="Accepted outside the programme's reasons"
    )
    admin = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])
    return {
        "admin": admin,
        "one": one,
        "first": first,
        "summer": summer,
        "winter": winter,
        "closed": closed,
        "fresh": fresh,
    }


def as_json(data):
    return json.loads(JSONRenderer().render(data))


def listed(api_client, params=None) -> list[dict]:
    response = api_client.get("/api/referrals/", params or {})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_each_row_is_what_the_full_serializer_writes_for_the_same_referral(api_client, world):
    api_client.force_authenticate(world["admin"])

    rows = listed(api_client)

    referrals = selectors.referral_list(viewer=world["admin"])  # the list's default order
    assert rows == as_json(ReferralOutputSerializer(referrals, many=True).data)
    assert len(rows) == 4
    summer = next(row for row in rows if row["id"] == world["summer"].pk)
    assert summer["event_at"] == "2025-07-01T10:30:00+01:00"  # London time, as the detail


def test_times_are_written_in_the_time_zone_current_for_each_list(api_client, world, settings):
    api_client.force_authenticate(world["admin"])
    london = listed(api_client)
    settings.TIME_ZONE = "America/New_York"  # another deployment's zone, same process

    new_york = listed(api_client)

    summer = world["summer"].pk
    assert next(r for r in london if r["id"] == summer)["event_at"] == "2025-07-01T10:30:00+01:00"
    assert next(r for r in new_york if r["id"] == summer)["event_at"] == "2025-07-01T05:30:00-04:00"


def test_pages_of_one_hold_the_same_rows_as_one_page(api_client, world):
    api_client.force_authenticate(world["admin"])
    whole = listed(api_client, {"sort": "-event"})

    pages = [api_client.get("/api/referrals/", {"sort": "-event", "page_size": 1}).json()]
    while pages[-1]["next"]:
        pages.append(api_client.get(pages[-1]["next"]).json())

    assert [row for page in pages for row in page["results"]] == whole
    assert all(page["count"] == 4 for page in pages)


def _ids(*names):
    return lambda w: {w[name].pk for name in names}


# Each filter the filterset declares, with values and the referrals they must leave.
FILTERS = {
    "q": [
        (lambda w: {"q": w["fresh"].young_person.reference.lower()}, _ids("fresh")),
    ],
    "programme": [(lambda w: {"programme": w["one"].pk}, _ids("summer", "winter"))],
    "status": [
        (lambda w: {"status": "closed"}, _ids("closed")),
        (lambda w: {"status": ["received", "contacted"]}, _ids("summer", "winter", "fresh")),
    ],
    "source": [(lambda w: {"source": "school"}, _ids("winter"))],
    "reason": [(lambda w: {"reason": "knife"}, _ids("summer", "fresh"))],
    "breached": [
        (lambda w: {"breached": "true"}, _ids("summer", "winter")),
        (lambda w: {"breached": "false"}, _ids("closed", "fresh")),
    ],
    "assigned_to": [(lambda w: {"assigned_to": w["first"].pk}, _ids("summer", "fresh"))],
    "unassigned": [
        (lambda w: {"unassigned": "true"}, _ids("winter")),
        (lambda w: {"unassigned": "false"}, _ids("summer", "closed", "fresh")),
    ],
}
CASES = [(name, params, expected) for name, cases in FILTERS.items() for params, expected in cases]


def test_every_filter_the_filterset_declares_is_tried_here():
    assert set(FILTERS) | {"sort"} == set(ReferralFilter.base_filters)


@pytest.mark.parametrize(
    ("name", "params", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_each_filter_leaves_only_its_referrals(api_client, world, name, params, expected):
    api_client.force_authenticate(world["admin"])

    rows = listed(api_client, params(world))

    assert {row["id"] for row in rows} == expected(world), name


def test_two_filters_together_leave_what_both_allow(api_client, world):
    api_client.force_authenticate(world["admin"])

    rows = listed(api_client, {"reason": "knife", "programme": world["one"].pk})

    assert [row["id"] for row in rows] == [world["summer"].pk]


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("event", lambda r: (r.event_at, r.pk)),
        ("-event", lambda r: (-r.event_at.timestamp(), -r.pk)),
        ("referred", lambda r: (r.referred_at, r.pk)),
        ("due", lambda r: (r.due_at, r.pk)),
        ("status", lambda r: (r.status, r.pk)),
        ("reference", lambda r: (r.young_person.reference, r.pk)),
        ("programme", lambda r: (r.programme.name, r.pk)),
    ],
)
def test_the_sort_filter_orders_the_rows(api_client, world, sort, key):
    api_client.force_authenticate(world["admin"])
    referrals = [world[name] for name in ("summer", "winter", "closed", "fresh")]
    for referral in referrals:
        referral.refresh_from_db()

    rows = listed(api_client, {"sort": sort})

    assert [row["id"] for row in rows] == [r.pk for r in sorted(referrals, key=key)]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "lost"},
        {"source": "pigeon"},
        {"programme": "1.5"},
        {"sort": "shoe_size"},
        {"ordering": "shoe_size"},  # no filter named: the backends still check it
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_filter(api_client, world, params):
    api_client.force_authenticate(world["admin"])

    response = api_client.get("/api/referrals/", params)

    assert response.status_code == 400
    assert set(response.json()) == set(params)


# the session and the user with their roles (2), then the viewer's programmes (not for an
# administrator, who sees the whole partnership) and the page with its capped count
QUERIES = {"admin": 2 + 1, "first": 2 + 2}


@pytest.mark.parametrize("who", ["admin", "first"])
def test_the_list_takes_the_same_queries_filtered_or_not_whatever_its_size(
    api_client, world, who, django_assert_max_num_queries
):
    api_client.force_login(world[who])  # as a signed-in user comes: with their roles
    every_filter = {
        "q": "",
        "programme": world["one"].pk,
        "status": ["received", "contacted"],
        "source": "custody",
        "reason": "knife",
        "breached": "true",
        "assigned_to": world["first"].pk,
        "unassigned": "false",
        "sort": "event",
    }
    for _ in range(60):  # more than a page
        ReferralFactory(programme=world["one"], assigned_to=world["first"])

    with django_assert_max_num_queries(QUERIES[who]):
        assert len(listed(api_client)) == 50
    with django_assert_max_num_queries(QUERIES[who]):
        rows = listed(api_client, every_filter)
    visible = selectors.referral_list(viewer=world[who]).count()  # 64, or their own 62
    with django_assert_max_num_queries(QUERIES[who]):
        assert len(listed(api_client, {"page_size": 200})) == visible
    assert [row["id"] for row in rows] == [world["summer"].pk]
