"""Who works on a programme decides whose cases someone sees, and a change to a programme's
staff counts from the next request: nothing about the programmes someone staffs outlives the
request it was read in (vru.viewer), however the change was made (the service, the admin's
staff list, a manager made a practitioner)."""

import pytest

from programmes import permissions, services
from programmes.models import ProgrammeStaff
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory, programme_staff
from vru import viewer
from vru.models import Role

pytestmark = pytest.mark.django_db


def api_references(client) -> set[int]:
    response = client.get("/api/referrals/")
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def programme(partnership):
    return ProgrammeFactory(partnership=partnership, name="ReRoute")


def test_a_practitioner_added_to_a_programme_sees_their_cases_there_on_the_next_request(
    client, partnership, programme
):
    # given a practitioner holding a case on a programme they do not (yet) work on
    practitioner = UserFactory(partnership=partnership, roles=[Role.PRACTITIONER])
    referral = ReferralFactory(programme=programme)
    referral.assigned_to = practitioner
    referral.save(update_fields=["assigned_to"])
    client.force_login(practitioner)
    assert api_references(client) == set()
    assert client.get(referral.get_absolute_url()).status_code == 404

    # when the programme's manager adds them to its staff
    services.programme_staff_set(
        actor=None, programme=programme, user=practitioner, role="practitioner"
    )

    # then their very next requests show the case
    assert api_references(client) == {referral.pk}
    assert client.get(referral.get_absolute_url()).status_code == 200


def test_a_practitioner_taken_off_a_programme_loses_its_cases_on_the_next_request(
    client, programme
):
    practitioner = programme_staff(programme, "practitioner")
    referral = ReferralFactory(programme=programme, assigned_to=practitioner)
    client.force_login(practitioner)
    assert api_references(client) == {referral.pk}
    assert client.get("/programmes/caseload/").status_code == 200

    # as the admin's staff list does it: the row deleted, no service involved
    ProgrammeStaff.objects.filter(programme=programme, user=practitioner).delete()

    assert api_references(client) == set()
    assert client.get(referral.get_absolute_url()).status_code == 404


def test_a_manager_made_a_practitioner_sees_only_their_own_cases_from_the_next_request(
    client, partnership, programme
):
    manager = programme_staff(programme, "manager")
    manager.role_assignments.create(role=Role.PRACTITIONER)
    colleague = programme_staff(programme, "practitioner")
    theirs = ReferralFactory(programme=programme, assigned_to=colleague)
    mine = ReferralFactory(programme=programme, assigned_to=manager)
    client.force_login(manager)
    assert api_references(client) == {theirs.pk, mine.pk}

    ProgrammeStaff.objects.filter(programme=programme, user=manager).update(role="practitioner")

    assert api_references(client) == {mine.pk}
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_within_one_request_a_staff_change_is_seen_at_once(partnership, programme):
    user = UserFactory(partnership=partnership, roles=[Role.PROGRAMME_MANAGER])
    with viewer.request_scope():
        assert not permissions.can_manage_programme(user, programme)  # read, and remembered

        services.programme_staff_set(actor=None, programme=programme, user=user, role="manager")

        assert permissions.can_manage_programme(user, programme)


def test_what_a_request_remembered_is_gone_in_the_next(partnership, programme):
    user = UserFactory(partnership=partnership, roles=[Role.PROGRAMME_MANAGER])
    with viewer.request_scope():
        assert permissions.staff_roles(user) == {}
    ProgrammeStaff.objects.create(programme=programme, user=user, role="manager")

    with viewer.request_scope():
        assert permissions.staff_roles(user) == {programme.pk: "manager"}
