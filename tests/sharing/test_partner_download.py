"""Download for a partner organisation: a page's downloads of personal data link to a page of
its own where the organisation and the agreement are chosen (so a list does not read the
agreements on every view). It offers only agreements in force covering the page's kind of
data, sends the page's own query back to the page, and knows only pages of this site."""

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from tests.factories import UserFactory
from tests.sharing.conftest import make_agreement
from vru.models import Role

pytestmark = pytest.mark.django_db

CASELOAD = reverse("programmes:caseload")
CHOOSER = reverse("sharing:partner_download")


def _chooser(client, **params):
    return client.get(CHOOSER, {"kind": "referral", "from": CASELOAD, **params})


def test_the_caseload_links_to_it_with_its_own_query_less_position_and_earlier_choice(
    client, administrator
):
    client.force_login(administrator)

    page = client.get(CASELOAD, {"reason": "knife", "cursor": "abc", "recipient": "9"})

    link = page.context["sharing"]
    expected = urlencode(
        {"kind": "referral", "formats": "csv,xlsx", "from": f"{CASELOAD}?reason=knife"}
    )
    assert link == f"{CHOOSER}?{expected}"


def test_the_form_asks_the_page_itself_with_its_query_as_hidden_fields(
    client, administrator, agreement
):
    client.force_login(administrator)

    response = _chooser(client, formats="csv,xlsx", **{"from": f"{CASELOAD}?reason=knife"})

    html = response.content.decode()
    assert f'action="{CASELOAD}"' in html
    assert '<input type="hidden" name="reason" value="knife">' in html
    assert '<input type="hidden" name="shared_with" value="partner">' in html
    assert 'value="xlsx"' in html
    assert "Download XLSX for the partner" in html
    assert response.context["choice"].sharing["agreements"] == [agreement]


def test_only_agreements_in_force_covering_the_kind_are_offered(
    client, administrator, partnership, police, agreement
):
    listening = make_agreement(partnership, [police], title="Listening", kinds=["listening"])
    client.force_login(administrator)

    for_referrals = _chooser(client).context["choice"].sharing["agreements"]
    for_listening = _chooser(client, kind="listening").context["choice"].sharing["agreements"]

    assert (for_referrals, for_listening) == ([agreement], [listening])


def test_without_an_agreement_it_says_nothing_can_be_shared(client, administrator):
    client.force_login(administrator)

    response = _chooser(client)

    assert "No agreement in force covers this data" in response.content.decode()
    assert "<form" not in response.content.decode().split("<main", 1)[1]


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "no-such-kind"},
        {"from": "https://elsewhere.example/programmes/caseload/"},
        {"from": "//elsewhere.example/programmes/caseload/"},
        {"from": "/no/such/page/"},
        {"from": ""},
        {"formats": "pdf"},  # an unknown format alone: CSV, not refused
    ],
    ids=["unknown kind", "another site", "scheme-relative", "no such page", "no page", "pdf"],
)
def test_it_knows_only_kinds_of_data_and_pages_of_this_site(client, administrator, params):
    client.force_login(administrator)

    response = _chooser(client, **params)

    if "formats" in params:
        assert response.context["choice"].formats == [("csv", "CSV")]
    else:
        assert response.status_code == 404


def test_someone_who_may_not_share_gets_no_link_and_no_page(client, partnership):
    commissioner = UserFactory(partnership=partnership, roles=[Role.COMMISSIONER])
    client.force_login(commissioner)

    assert _chooser(client).status_code == 404
