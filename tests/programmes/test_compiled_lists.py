"""The caseload and the referral API list run from SQL compiled once per shape (PostgreSQL,
vru.compiled): every page, sort and direction shows exactly what the ORM would, and two
people whose lists share a shape each see only their own referrals. (The test settings
also compare every stored query with the ORM's own: VRU_CHECK_COMPILED_QUERIES.)"""

import datetime

import pytest
from django.db import connection

from programmes import paging, selectors, services
from programmes.models import RecentView, Referral
from tests.factories import ProgrammeFactory, ReferralFactory, programme_staff
from vru import compiled

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="lists are compiled on PostgreSQL only"
    ),
]

EVENT = datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)
SORTS = [None, "event", "-event", "due", "-referred", "status", "reference", "-programme"]


@pytest.fixture
def world(partnership):
    """Two programmes; a manager of the first, practitioners on each, referrals on both."""
    first = ProgrammeFactory(partnership=partnership, name="ReRoute")
    second = ProgrammeFactory(partnership=partnership, name="Navigators")
    manager = programme_staff(first, "manager")
    ana, ben = programme_staff(first, "practitioner"), programme_staff(second, "practitioner")
    for i in range(7):
        ReferralFactory(
            programme=first if i % 2 else second,
            assigned_to=ana if i % 2 else ben,
            event_at=EVENT + datetime.timedelta(hours=i),
        )
    ReferralFactory(programme=first, event_at=EVENT)  # unassigned
    return manager, ana, ben


def orm_page(viewer, sort, cursor, size):
    rows, referrals = selectors.referral_rows(viewer=viewer, filters={"sort": sort})
    return paging.seek_page(
        rows,
        ordering=selectors.referral_ordering(sort),
        cursor=cursor,
        size=size,
        count_queryset=referrals,
    )


def same(page, expected):
    assert page.object_list == expected.object_list
    assert (page.count, page.count_capped) == (expected.count, expected.count_capped)
    assert (page.next_cursor, page.previous_cursor) == (
        expected.next_cursor,
        expected.previous_cursor,
    )


@pytest.mark.parametrize("sort", SORTS, ids=[s or "default" for s in SORTS])
def test_every_page_forward_and_back_is_what_the_orm_shows(world, sort):
    for viewer in world:
        cursor, seen, pages = None, [], []
        while True:  # forward to the end
            page = selectors.referral_page(
                viewer=viewer, filters={}, sort=sort, cursor=cursor, size=2
            )
            same(page, orm_page(viewer, sort, cursor, 2))
            seen += [row["id"] for row in page]
            pages.append(page)
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        back = selectors.referral_page(
            viewer=viewer, filters={}, sort=sort, cursor=pages[-1].previous_cursor, size=2
        )
        if pages[-1].previous_cursor:
            same(back, orm_page(viewer, sort, pages[-1].previous_cursor, 2))
        assert len(seen) == len(set(seen)) == pages[0].count


def test_people_whose_lists_share_a_shape_each_see_their_own(world):
    _manager, ana, ben = world
    compiled._templates.clear()

    anas = selectors.referral_page(viewer=ana, filters={}, sort=None, cursor=None, size=50)
    shapes = len(compiled._templates)
    bens = selectors.referral_page(viewer=ben, filters={}, sort=None, cursor=None, size=50)

    assert len(compiled._templates) == shapes  # one stored query served both
    assert {r["assigned_to_id"] for r in anas} == {ana.pk}
    assert {r["assigned_to_id"] for r in bens} == {ben.pk}
    assert anas.count == 3
    assert bens.count == 4


def test_a_filtered_list_is_the_orms_own(world):
    _manager, ana, _ben = world
    compiled._templates.clear()

    page = selectors.referral_page(
        viewer=ana, filters={"status": ["received"]}, sort=None, cursor=None, size=50
    )

    assert not compiled._templates
    assert page.count == 3


@pytest.mark.django_db(transaction=True)
def test_threads_sharing_the_stored_queries_each_get_their_own_rows(world, monkeypatch):
    """A threaded server runs many lists at once: with the store so small that shapes are
    evicted all the time, every thread still gets exactly its own page, and none fails."""
    import sys
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    manager, ana, ben = world
    monkeypatch.setattr(compiled, "MAX_SHAPES", 2)
    compiled._templates.clear()
    people = [manager, ana, ben]
    expected = {
        (person.pk, sort): orm_page(person, sort, None, 3).object_list
        for person in people
        for sort in SORTS
    }

    def run(n):
        try:
            person, sort = people[n % 3], SORTS[n % len(SORTS)]
            page = selectors.referral_page(
                viewer=person, filters={}, sort=sort, cursor=None, size=3
            )
            return page.object_list == expected[(person.pk, sort)]
        finally:
            connections.close_all()

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads change hands between any two bytecodes
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(run, range(400)))
    finally:
        sys.setswitchinterval(switch)

    assert all(results)


def test_recently_viewed_is_compiled_once_per_shape_and_each_sees_only_what_they_may(world):
    manager, ana, ben = world
    compiled._templates.clear()
    for person in (manager, ana, ben):
        for referral in Referral.objects.order_by("pk"):
            services.referral_viewed(actor=person, referral=referral)

    seen = {p.pk: selectors.recently_viewed(viewer=p, limit=3) for p in (ana, ben, manager)}

    # the two practitioners share a shape; the manager's is another
    assert len(compiled._templates) == 2
    for person in (ana, ben, manager):
        visible = set(selectors.referral_list(viewer=person).values_list("pk", flat=True))
        latest_visible = [
            v.referral_id
            for v in RecentView.objects.filter(user=person).order_by("-viewed_at")
            if v.referral_id in visible
        ][:3]
        assert [r["referral_id"] for r in seen[person.pk]] == latest_visible
        assert all(r["referral__young_person__reference"] for r in seen[person.pk])


def test_the_api_list_unfiltered_runs_the_compiled_query_filtered_the_orm(world, api_client):
    _manager, ana, _ben = world
    api_client.force_authenticate(ana)
    compiled._templates.clear()

    unfiltered = api_client.get("/api/referrals/").json()
    shapes = len(compiled._templates)
    filtered = api_client.get("/api/referrals/", {"status": "received"}).json()

    assert shapes == 1
    assert len(compiled._templates) == 1
    assert unfiltered["count"] == filtered["count"] == 3
    assert [r["id"] for r in unfiltered["results"]] == [r["id"] for r in filtered["results"]]
