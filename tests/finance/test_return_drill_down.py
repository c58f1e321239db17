"""Each figure of a programme's row of the quarterly return drills down to the records behind
it, for staff who may read every case of that programme: pseudonymous references and the
referral, never a name. The list is made by the code that counts the cell, so it always has
as many records as the figure; on a locked return it is the records as they are now, and the
page says whether they still give the locked figure."""

import re

import pytest
from django.urls import reverse

from finance import services
from finance.models import COUNT_COLUMNS
from finance.selectors.return_records import programme_cells
from programmes import services as programme_services
from tests.factories import UserFactory
from tests.finance.test_quarterly_return import (  # noqa: F401 - fixtures
    at,
    contact,
    officer,
    records,
    referral,
)
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

NAME = re.compile(r"Person\d")  # the factories' surnames


@pytest.fixture(autouse=True)
def _no_reauthentication(settings):
    settings.VRU_REAUTH_REQUIRED = False


@pytest.fixture
def produced(partnership, officer, records):  # noqa: F811
    return services.return_produce(
        actor=officer, partnership=partnership, financial_year=2025, quarter=2
    )


@pytest.fixture
def admin(partnership):
    return UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])


def url(quarterly_return, programme, column):
    return reverse("finance:return_records", args=[quarterly_return.pk, programme.pk, column])


def programme_rows(quarterly_return, records):  # noqa: F811
    for row in quarterly_return.rows:
        if row["intervention_type"] == "programme":
            yield records[row["intervention"].lower()], row


def test_every_figure_of_a_programme_row_lists_as_many_records_as_it_counts(
    client,
    admin,
    produced,
    records,  # noqa: F811
):
    client.force_login(admin)
    tried = 0
    for programme, row in programme_rows(produced, records):
        for column in COUNT_COLUMNS:
            response = client.get(url(produced, programme, column))
            assert response.status_code == 200, (programme.name, column)
            assert response.context["count"] == row[column], (programme.name, column)
            assert len(response.context["page_obj"].object_list) == row[column]
            assert not NAME.search(response.content.decode()), "a name on the page"
            tried += 1
    assert tried == 2 * len(COUNT_COLUMNS)
    # the story's figures have records behind them (not only zeros on both sides)
    reroute = programme_cells(produced.partnership_id, 2025, 2)[records["reroute"].pk]
    assert {c: len(r) for c, r in reroute.items()}["young_people_reached"] == 2


def test_the_records_are_pseudonymous_references_linking_to_the_referral(
    client,
    admin,
    produced,
    records,  # noqa: F811
):
    client.force_login(admin)
    page = client.get(url(produced, records["reroute"], "new_starts")).content.decode()

    started = (
        records["reroute"]
        .referrals.filter(first_contact_at__isnull=False)
        .get(first_contact_at__gte=at(7, 1))
    )
    assert started.young_person.reference in page
    assert reverse("programmes:referral_detail", args=[started.pk]) in page
    assert AuditEvent.objects.filter(
        verb="quarterly_return.records_viewed", actor=admin, action="view"
    ).exists()


def test_the_return_page_links_each_programme_figure_only_for_those_who_may_open_it(
    client,
    admin,
    produced,
    officer,  # noqa: F811
    records,  # noqa: F811
):
    link = url(produced, records["reroute"], "young_people_reached")
    client.force_login(admin)
    assert link in client.get(produced.get_absolute_url()).content.decode()
    client.force_login(officer)  # sees the return, not the cases
    assert link not in client.get(produced.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("roles", "manages", "status"),
    [
        ([Role.ADMINISTRATOR], False, 200),
        ([Role.GRANTS_OFFICER], False, 404),  # the return, but not the cases
        ([Role.ANALYST], False, 404),
        ([Role.COMMISSIONER], False, 404),
        ([Role.PROGRAMME_MANAGER], True, 404),  # the cases, but not the return
        ([Role.PRACTITIONER], False, 404),
        ([Role.PROVIDER], False, 404),
        ([Role.GRANTS_OFFICER, Role.PROGRAMME_MANAGER], True, 200),
        ([Role.GRANTS_OFFICER, Role.PROGRAMME_MANAGER], False, 404),  # another programme
    ],
)
def test_only_who_sees_the_true_counts_and_every_case_of_the_programme_opens_the_records(
    client,
    partnership,
    produced,
    records,  # noqa: F811
    roles,
    manages,
    status,
):
    user = UserFactory(partnership=partnership, roles=roles)
    if manages:
        programme_services.programme_staff_set(
            actor=None, programme=records["reroute"], user=user, role="manager"
        )
    client.force_login(user)

    response = client.get(url(produced, records["reroute"], "young_people_reached"))

    assert response.status_code == status


def test_an_unknown_column_or_another_partnerships_programme_is_not_found(
    client, admin, produced, other_partnership
):
    from tests.factories import ProgrammeFactory

    client.force_login(admin)
    theirs = ProgrammeFactory(partnership=other_partnership)
    mine = produced.rows[0]["programme_id"]
    assert client.get(url(produced, theirs, "new_starts")).status_code == 404
    bad = reverse("finance:return_records", args=[produced.pk, mine, "intervention"])
    assert client.get(bad).status_code == 404


def test_a_locked_return_lists_the_records_as_they_are_now_and_says_if_they_still_match(
    client,
    admin,
    produced,
    officer,  # noqa: F811
    records,  # noqa: F811
):
    services.return_review(actor=officer, quarterly_return=produced)
    locked = services.return_lock(actor=officer, quarterly_return=produced)
    client.force_login(admin)
    reached = url(locked, records["reroute"], "young_people_reached")

    page = client.get(reached).content.decode()
    assert "as they are now" in page
    assert "still give the locked figure, 2" in page

    late = referral(records["reroute"], age=13)  # seen in the quarter, recorded after locking
    contact(late, at(9, 25))
    response = client.get(reached)
    assert response.context["count"] == 3
    assert "The records now give 3; the locked figure is 2." in response.content.decode()


def test_the_api_and_the_export_keep_to_the_fixed_columns(client, admin, produced):
    client.force_login(admin)

    rows = client.get(f"/api/quarterly-returns/{produced.pk}/").json()["rows"]

    assert all("programme_id" not in row for row in rows)
    assert all("programme_id" not in row for row in produced.published_rows)
