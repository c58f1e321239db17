"""Named attendees of a session: the programme's staff name young people they may see
(by pseudonymous reference); everyone else finds no such page."""

import pytest

from programmes import services
from tests.factories import ReferralFactory
from tests.programmes import test_access as access
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

# the permission-matrix world of test_access: a programme, its session, a referral held by
# the practitioner, and another partnership's
signed_in = access.signed_in
make_user = access.make_user
ALL_ROLES, ROLE_IDS, CASE_ROLES = access.ALL_ROLES, access.ROLE_IDS, access.CASE_ROLES


@pytest.fixture
def world(partnership, other_partnership):
    """test_access's world, built for each test here (that module builds it once and shares it)."""
    return access._build(partnership, other_partnership)


def url(session):
    return f"/programmes/sessions/{session.pk}/attendees/"


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
def test_the_attendees_page_is_open_to_the_programmes_staff_only(signed_in, world, role):
    response = signed_in(role).get(url(world.session))

    assert response.status_code == (200 if role in CASE_ROLES else 404)


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
def test_another_partnerships_session_has_no_attendees_page(signed_in, world, role):
    assert signed_in(role).get(url(world.other_session)).status_code == 404


@pytest.mark.parametrize("role", sorted(CASE_ROLES), ids=lambda r: r.value)
def test_staff_name_a_young_person_on_their_caseload_and_remove_them(client, world, role):
    user = make_user(world, role)
    client.force_login(user)
    reference = world.referral.young_person.reference

    added = client.post(url(world.session), {"action": "add", "reference": reference.lower()})
    page = client.get(url(world.session)).content.decode()
    removed = client.post(
        url(world.session),
        {"action": "remove", "young_person": world.referral.young_person_id},
    )

    assert added.status_code == 302
    assert reference in page
    assert removed.status_code == 302
    assert not world.session.attendees.exists()
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="session.attendee")
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == ["session.attendee_added", "session.attendee_removed"]


def test_a_practitioner_cannot_name_someone_outside_their_caseload(client, world):
    practitioner = make_user(world, Role.PRACTITIONER)
    colleagues_case = ReferralFactory(programme=world.programme)
    client.force_login(practitioner)

    response = client.post(
        url(world.session),
        {"action": "add", "reference": colleagues_case.young_person.reference},
    )

    assert response.status_code == 400
    assert "No young person with that reference" in response.content.decode()
    assert not world.session.attendees.exists()


@pytest.mark.parametrize("which", ["other_partnership_referral", "other_programme_referral"])
def test_a_manager_cannot_name_someone_they_may_not_see(client, world, which):
    manager = make_user(world, Role.PROGRAMME_MANAGER)
    client.force_login(manager)

    response = client.post(
        url(world.session),
        {"action": "add", "reference": getattr(world, which).young_person.reference},
    )

    assert response.status_code == 400
    assert not world.session.attendees.exists()


def test_naming_the_same_young_person_twice_says_so(client, world):
    admin = make_user(world, Role.ADMINISTRATOR)
    services.session_attendee_add(
        actor=None, session=world.session, young_person=world.referral.young_person
    )
    client.force_login(admin)

    response = client.post(
        url(world.session),
        {"action": "add", "reference": world.referral.young_person.reference},
    )

    assert response.status_code == 400
    assert "already named" in response.content.decode()
    assert world.session.attendees.count() == 1
