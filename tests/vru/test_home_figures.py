"""A commissioner's home page works its figures out once in a while: what every commissioner
of the partnership sees (after the disclosure control) is kept in the cache for a few
minutes, so a view costs a constant couple of queries. Staff always see fresh figures."""

import pytest

from tests.factories import LSOAFactory, ProgrammeFactory, ReferralFactory
from tests.published import until_published_small
from vru.models import Role
from vru.selectors.home import HOME_FIGURES_SECONDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def essex(partnership):
    for n in range(3):
        LSOAFactory(partnership=partnership, code=f"E0102100{n}")
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    until_published_small(lambda: ReferralFactory(programme=programme), "referral")
    return partnership


def _headlines(response) -> dict[str, str]:
    section = next(s for s in response.context["app_sections"] if "headlines" in s)
    return {h.key: h.figure for h in section["headlines"].items}


def test_a_commissioners_second_view_costs_a_constant_couple_of_queries(
    client, essex, user_with_role, django_assert_max_num_queries
):
    client.force_login(user_with_role(Role.COMMISSIONER))
    with django_assert_max_num_queries(22):
        first = client.get("/")

    with django_assert_max_num_queries(3):
        again = client.get("/")

    assert again.context["areas"] == first.context["areas"]
    assert _headlines(again) == _headlines(first)
    assert _headlines(again)["referrals"] == "<5"  # kept after the disclosure control


def test_every_commissioner_of_the_partnership_shares_them_and_others_do_not(
    client, essex, other_partnership, user_with_role
):
    client.force_login(user_with_role(Role.COMMISSIONER))
    assert client.get("/").context["areas"]["lsoas"] == 3
    LSOAFactory(partnership=essex, code="E01021009")

    client.force_login(user_with_role(Role.COMMISSIONER))  # another commissioner, same place
    assert client.get("/").context["areas"]["lsoas"] == 3  # for up to HOME_FIGURES_SECONDS
    client.force_login(user_with_role(Role.COMMISSIONER, partnership=other_partnership))
    assert client.get("/").context["areas"]["lsoas"] == 0
    assert HOME_FIGURES_SECONDS <= 5 * 60


def test_staff_always_see_fresh_figures(client, essex, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))
    assert client.get("/").context["areas"]["lsoas"] == 3
    LSOAFactory(partnership=essex, code="E01021009")

    assert client.get("/").context["areas"]["lsoas"] == 4
