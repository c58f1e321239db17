"""A commissioner's home page opens on the partnership's headline figures for this
financial year, through the disclosure control, each linking to the page it comes from."""

import datetime

import pytest

from evaluation import selectors
from tests.factories import ProgrammeFactory, ReferralFactory
from tests.published import published, until_published_small
from vru.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(partnership):
    return ProgrammeFactory(partnership=partnership, name="ReRoute")


def _headlines(viewer):
    return {h.key: h for h in selectors.partnership_headlines(viewer=viewer).items}


def test_a_commissioner_sees_the_partnerships_headlines_as_published(programme, user_with_role):
    commissioner = user_with_role(Role.COMMISSIONER)
    referrals = [ReferralFactory(programme=programme) for _ in range(12)]

    headlines = _headlines(commissioner)

    expected = published("referral", referrals)
    assert headlines["referrals"].figure == f"{expected:,}"
    assert set(headlines) >= {
        "referrals",
        "compliance",
        "reached",
        "grants",
        "grant_reach",
        "listening",
        "diverted",
        "eet",
    }
    assert all(h.link.startswith("/") for h in headlines.values())


def test_a_small_headline_is_hidden(programme, user_with_role):
    commissioner = user_with_role(Role.COMMISSIONER)
    until_published_small(lambda: ReferralFactory(programme=programme), "referral")

    assert _headlines(commissioner)["referrals"].figure == "<5"


def test_referrals_before_this_financial_year_are_not_counted(programme, user_with_role):
    commissioner = user_with_role(Role.COMMISSIONER)
    today = datetime.date(2026, 12, 6)
    long_ago = datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)
    for _ in range(10):
        ReferralFactory(programme=programme, event_at=long_ago)

    headlines = selectors.partnership_headlines(viewer=commissioner, today=today)

    assert headlines.start == datetime.date(2026, 4, 1)
    assert {h.key: h.figure for h in headlines.items}["referrals"] == "0"


def test_the_home_page_shows_them_with_their_links(client, programme, user_with_role):
    commissioner = user_with_role(Role.COMMISSIONER)
    client.force_login(commissioner)

    body = client.get("/").content.decode()

    assert 'id="headline-figures"' in body
    assert 'href="/programmes/"' in body
    assert "referrals of young people received" in body


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.ANALYST, Role.PROGRAMME_MANAGER])
def test_staff_who_see_true_counts_have_no_such_section(client, user_with_role, role):
    user = user_with_role(role)
    client.force_login(user)

    assert selectors.partnership_headlines(viewer=user) is None
    assert 'id="headline-figures"' not in client.get("/").content.decode()
