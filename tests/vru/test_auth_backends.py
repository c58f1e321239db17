"""Each request loads the signed-in user afresh, with partnership and roles in one query
(vru.auth_backends): a user made inactive, or a role taken away, counts from the very next
request, whatever the session holds."""

import pytest

from vru.models import Role, RoleAssignment, User

pytestmark = pytest.mark.django_db


def test_a_user_made_inactive_is_signed_out_on_their_next_request(client, user_with_role):
    user = user_with_role(Role.ADMINISTRATOR)
    client.force_login(user)
    assert client.get("/neighbourhoods/").status_code == 200

    User.objects.filter(pk=user.pk).update(is_active=False)  # not through the service

    page = client.get("/neighbourhoods/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")
    assert client.get("/api/lsoas/").status_code in {401, 403}


def test_a_role_taken_away_counts_from_the_next_request(client, user_with_role):
    user = user_with_role(Role.COMMISSIONER)
    client.force_login(user)
    assert client.get("/needs-assessments/").status_code == 200

    RoleAssignment.objects.filter(user=user).delete()

    assert client.get("/needs-assessments/").status_code in {403, 404}


def test_the_request_user_carries_partnership_and_roles_without_more_queries(
    client, user_with_role, django_assert_num_queries
):
    user = user_with_role(Role.ANALYST, Role.COMMISSIONER)
    client.force_login(user)

    response = client.get("/needs-assessments/")
    loaded = response.wsgi_request.user
    with django_assert_num_queries(0):
        assert loaded.partnership.name == user.partnership.name
        assert loaded.role_names == {Role.ANALYST, Role.COMMISSIONER}
