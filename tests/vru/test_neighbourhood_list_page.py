"""The neighbourhoods page: each row links to the neighbourhood's own page and shows what the
list promises, every value from a record escaped; the filter panel shows what was asked for.
The rows and the panel are written in one pass in the view, not by the template's loops."""

import re
from decimal import Decimal

import pytest

from tests.factories import LocalAuthorityFactory, LSOAFactory
from vru.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))
    return client


@pytest.fixture
def places(partnership):
    basildon = LocalAuthorityFactory(partnership=partnership, code="E07000066", name="Basildon")
    southend = LocalAuthorityFactory(
        partnership=partnership, code="E06000033", name="Southend & Leigh"
    )
    return {
        "deprived": LSOAFactory(
            local_authority=basildon,
            code="E01021234",
            name="Basildon 001A",
            population=2100,
            imd_score=Decimal("41.250"),
            imd_decile=1,
        ),
        "unknown": LSOAFactory(
            local_authority=southend,
            code="E01015815",
            name='Southend <b>"003B"</b>',
            population=None,
            imd_decile=None,
        ),
        "basildon": basildon,
        "southend": southend,
    }


def page(client, params=None) -> str:
    response = client.get("/neighbourhoods/", params or {})
    assert response.status_code == 200
    return response.content.decode()


def cells(html: str) -> list[list[str]]:
    body = html.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', body, re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]


def test_each_row_links_to_the_neighbourhoods_own_page_with_its_figures(analyst, places):
    rows = cells(page(analyst))

    deprived = places["deprived"]
    assert rows[1] == [
        f'<a class="govuk-link" href="{deprived.get_absolute_url()}">E01021234</a>',
        "Basildon 001A",
        "Basildon",
        "2100",
        "1",
    ]
    assert len(rows) == 2


def test_a_row_escapes_every_value_and_shows_a_dash_where_nothing_is_known(analyst, places):
    rows = cells(page(analyst))

    unknown = rows[0]
    assert unknown[0] == (
        f'<a class="govuk-link" href="{places["unknown"].get_absolute_url()}">E01015815</a>'
    )
    assert unknown[1:] == [
        "Southend &lt;b&gt;&quot;003B&quot;&lt;/b&gt;",
        "Southend &amp; Leigh",
        "\u2013",
        "\u2013",
    ]


def test_the_filter_panel_shows_what_was_asked_for(analyst, places):
    southend = places["southend"]

    html = page(
        analyst,
        {
            "local_authority": "E06000033",
            "csp": str(southend.community_safety_partnership_id),
            "imd_decile": ["2", "10"],
        },
    )

    assert '<option value="E06000033" selected>Southend &amp; Leigh</option>' in html
    assert '<option value="E07000066">Basildon</option>' in html
    csp = southend.community_safety_partnership
    assert f'<option value="{csp.pk}" selected>{csp.name}</option>' in html
    checked = re.findall(r'id="imd_decile_(\d+)"[^>]*?( checked)?>', html)
    assert [d for d, tick in checked if tick] == ["2", "10"]
    assert len(checked) == 10
    assert 'for="imd_decile_1">1 (most deprived)</label>' in html
    assert 'for="imd_decile_10">10 (least deprived)</label>' in html


def test_an_empty_list_says_so(analyst, places):
    html = page(analyst, {"q": "Nowhere"})

    assert "0 neighbourhoods match your filters." in html
    assert "No neighbourhoods match these filters." in html
    assert "<tbody" not in html
