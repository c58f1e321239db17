"""Big lists page by seeking (next/previous links), never by OFFSET, and count at most
1,000: the caseload and the referral API list stay fast with a million referrals."""

import datetime
import sys

import pytest

from programmes import paging, selectors, services
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory
from vru.models import Role

pytestmark = pytest.mark.django_db

EVENT = datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)


@pytest.fixture
def caseload(partnership):
    """A practitioner with five referrals, events an hour apart (all past their due time)."""
    programme = ProgrammeFactory(partnership=partnership)
    practitioner = UserFactory(partnership=partnership, roles=[Role.PRACTITIONER])
    services.programme_staff_set(
        actor=None, programme=programme, user=practitioner, role="practitioner"
    )
    referrals = [
        ReferralFactory(
            programme=programme,
            assigned_to=practitioner,
            event_at=EVENT + datetime.timedelta(hours=i),
        )
        for i in range(5)
    ]
    return practitioner, referrals


def _ids(page):
    return [row["id"] for row in page]


def test_seeking_forward_then_back_visits_every_row_once_in_order(caseload):
    practitioner, referrals = caseload
    rows, everything = selectors.referral_rows(viewer=practitioner)
    ordering = selectors.referral_ordering("event")

    first = paging.seek_page(
        rows, ordering=ordering, cursor=None, size=2, count_queryset=everything
    )
    second = paging.seek_page(rows, ordering=ordering, cursor=first.next_cursor, size=2)
    third = paging.seek_page(rows, ordering=ordering, cursor=second.next_cursor, size=2)
    back = paging.seek_page(rows, ordering=ordering, cursor=second.previous_cursor, size=2)

    assert _ids(first) + _ids(second) + _ids(third) == [r.pk for r in referrals]
    assert first.previous_cursor is None
    assert third.next_cursor is None
    assert _ids(back) == _ids(first)
    assert back.previous_cursor is None
    assert back.next_cursor is not None
    assert first.count == 5
    assert first.count_shown == "5"


def test_descending_sort_seeks_the_other_way(caseload):
    practitioner, referrals = caseload
    rows, _ = selectors.referral_rows(viewer=practitioner)
    ordering = selectors.referral_ordering("-event")

    first = paging.seek_page(rows, ordering=ordering, cursor=None, size=3)
    second = paging.seek_page(rows, ordering=ordering, cursor=first.next_cursor, size=3)

    assert _ids(first) + _ids(second) == [r.pk for r in reversed(referrals)]


def test_a_count_above_the_cap_is_shown_as_at_least_the_cap(caseload, monkeypatch):
    practitioner, _ = caseload
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    rows, everything = selectors.referral_rows(viewer=practitioner)

    page = paging.seek_page(
        rows,
        ordering=selectors.referral_ordering(""),
        cursor=None,
        size=2,
        count_queryset=everything,
    )

    assert page.count == 3
    assert page.count_capped
    assert page.count_shown == "3+"


@pytest.mark.parametrize("cursor", ["nonsense", "WyJ4Il0", "", "WyJuIiwxXQ"])
def test_a_malformed_cursor_gives_the_first_page(caseload, cursor):
    practitioner, referrals = caseload
    rows, _ = selectors.referral_rows(viewer=practitioner)

    page = paging.seek_page(
        rows, ordering=selectors.referral_ordering("event"), cursor=cursor, size=2
    )

    assert _ids(page) == [referrals[0].pk, referrals[1].pk]


def test_the_api_list_follows_its_next_and_previous_links(api_client, caseload):
    practitioner, referrals = caseload
    api_client.force_authenticate(practitioner)

    first = api_client.get("/api/referrals/?sort=event&page_size=2").json()
    second = api_client.get(first["next"]).json()
    third = api_client.get(second["next"]).json()
    again = api_client.get(second["previous"]).json()

    seen = [r["id"] for page in (first, second, third) for r in page["results"]]
    assert seen == [r.pk for r in referrals]
    assert third["next"] is None
    assert [r["id"] for r in again["results"]] == [r["id"] for r in first["results"]]
    assert first["count"] == 5
    assert first["count_capped"] is False


def test_the_api_list_rows_match_the_detail_serializer(api_client, caseload):
    practitioner, referrals = caseload
    api_client.force_authenticate(practitioner)

    listed = api_client.get("/api/referrals/?sort=event").json()["results"][0]
    detail = api_client.get(f"/api/referrals/{referrals[0].pk}/").json()

    assert listed == detail


def test_the_caseload_page_links_to_the_next_page_keeping_filters(client, caseload, monkeypatch):
    practitioner, referrals = caseload
    monkeypatch.setattr(sys.modules["programmes.views.caseload"], "PAGE_SIZE", 2)
    client.force_login(practitioner)

    first = client.get("/programmes/caseload/?sort=event&reason=knife")
    next_cursor = first.context["page_obj"].next_cursor
    second = client.get(f"/programmes/caseload/?sort=event&reason=knife&cursor={next_cursor}")

    assert 'rel="next"' in first.content.decode()
    assert "reason=knife" in first.content.decode().split('rel="next"')[0].rsplit("href=", 1)[1]
    assert [r["id"] for r in second.context["page_obj"]] == [referrals[2].pk, referrals[3].pk]


def test_the_caseload_rows_escape_what_they_show(client, partnership):
    programme = ProgrammeFactory(partnership=partnership, name="<b>Club</b> & co")
    admin = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])
    worker = UserFactory(partnership=partnership, first_name='<i>Sam</i>"', last_name="O'Neil")
    services.programme_staff_set(actor=None, programme=programme, user=worker, role="practitioner")
    ReferralFactory(programme=programme, assigned_to=worker)
    client.force_login(admin)

    html = client.get("/programmes/caseload/").content.decode()

    assert "&lt;b&gt;Club&lt;/b&gt; &amp; co" in html
    assert "<b>Club</b>" not in html
    assert "&lt;i&gt;Sam&lt;/i&gt;&quot; O&#x27;Neil" in html
    assert "<i>Sam</i>" not in html


def test_a_reference_is_found_however_it_is_typed_on_the_page_and_the_api(
    client, api_client, caseload
):
    practitioner, referrals = caseload
    wanted = referrals[3]
    typed = f"  {wanted.young_person.reference.lower()} "
    client.force_login(practitioner)
    api_client.force_authenticate(practitioner)

    page = client.get("/programmes/caseload/", {"q": typed})
    api = api_client.get("/api/referrals/", {"q": typed}).json()

    assert [row["id"] for row in page.context["page_obj"]] == [wanted.pk]
    assert [row["id"] for row in api["results"]] == [wanted.pk]
    assert client.get("/programmes/caseload/", {"q": "YP-NOBODY"}).context["page_obj"].count == 0


def test_every_page_counts_the_whole_list_even_one_past_the_end(caseload):
    practitioner, referrals = caseload
    rows, everything = selectors.referral_rows(viewer=practitioner)
    ordering = selectors.referral_ordering("event")
    pages = [
        paging.seek_page(rows, ordering=ordering, cursor=None, size=2, count_queryset=everything)
    ]
    while pages[-1].next_cursor:
        pages.append(
            paging.seek_page(
                rows,
                ordering=ordering,
                cursor=pages[-1].next_cursor,
                size=2,
                count_queryset=everything,
            )
        )
    # a cursor after the last row (its referral was the newest when the link was made)
    beyond = paging._encode("n", [referrals[-1].event_at, referrals[-1].pk])
    empty = paging.seek_page(
        rows, ordering=ordering, cursor=beyond, size=2, count_queryset=everything
    )

    assert [page.count for page in pages] == [5, 5, 5]
    assert list(empty) == []
    assert empty.count == 5
    assert "_seek_capped_total" not in pages[0].object_list[0]
