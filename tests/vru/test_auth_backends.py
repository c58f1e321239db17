"""Each request loads the signed-in user afresh, with the session, partnership, roles and
programmes in one query (vru.sessions, vru.viewer): a user made inactive, a role given or
taken away, a password changed elsewhere or a session ended counts from the very next
request, whatever the session holds and however the change was made."""

import datetime

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.db import close_old_connections, connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import TEST_PASSWORD, UserFactory
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


def test_a_role_given_counts_from_the_next_request(client, user_with_role):
    user = user_with_role(Role.YOUTH_REVIEWER)
    client.force_login(user)
    assert client.get("/needs-assessments/").status_code == 404

    RoleAssignment.objects.create(user=user, role=Role.ANALYST)  # as the admin's form does

    assert client.get("/needs-assessments/").status_code == 200


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


def test_the_session_and_the_user_come_in_one_query(client, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))
    client.get("/accounts/sessions/")  # the session's "last seen" written, once a minute

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/accessibility/")

    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated
    assert len(queries) == 1, [q["sql"] for q in queries]


def test_a_password_changed_elsewhere_signs_this_session_out(user_with_role):
    user = user_with_role(Role.ANALYST, username="ana")
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        response = device.post("/accounts/login/", {"login": "ana", "password": TEST_PASSWORD})
        assert response.status_code == 302
    assert phone.get("/").status_code == 200

    user.set_password("a-new-password-2027")
    user.save()

    assert phone.get("/")["Location"].startswith("/accounts/login/")


def test_a_session_deleted_on_the_server_is_signed_out(client, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))
    assert client.get("/").status_code == 200

    Session.objects.all().delete()  # as clearsessions, or ending it from "Your account"

    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_an_expired_session_is_signed_out(client, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))
    assert client.get("/").status_code == 200

    Session.objects.update(expire_date=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))

    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_a_session_is_the_user_it_signed_in_whatever_its_device_record_says(client, user_with_role):
    # The user comes with the session through its UserSession row (one query); the session's
    # own record of who signed in decides.
    ana = user_with_role(Role.ANALYST, username="ana")
    admin = user_with_role(Role.ADMINISTRATOR, username="admin")
    client.force_login(ana)
    UserSession.objects.filter(user=ana).update(user=admin)

    response = client.get("/")

    assert response.status_code == 200
    assert response.wsgi_request.user == ana
    assert response.wsgi_request.user.role_names == {Role.ANALYST}


def test_a_session_without_a_device_record_still_signs_its_user_in(client, user_with_role):
    ana = user_with_role(Role.ANALYST)
    client.force_login(ana)
    UserSession.objects.all().delete()  # e.g. signed in before sessions were listed

    response = client.get("/")

    assert response.status_code == 200
    assert response.wsgi_request.user == ana


def test_a_signed_out_visitor_with_a_session_is_nobody(client, partnership):
    UserFactory(partnership=partnership, roles=[Role.ANALYST])
    session = client.session
    session["seen_the_cookie_banner"] = True
    session.save()
    client.cookies["sessionid"] = session.session_key

    response = client.get("/accessibility/")

    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert response.wsgi_request.session["seen_the_cookie_banner"] is True


@pytest.mark.django_db(transaction=True)
def test_a_database_connection_dropped_between_requests_costs_nobody_a_page(client, user_with_role):
    # The signed-in user's query is also the connection's health check (vru.viewer): a
    # connection the server ended (a restart, an idle timeout) is replaced, not a 500.
    if connection.vendor != "postgresql":
        pytest.skip("ends a PostgreSQL server process")
    client.force_login(user_with_role(Role.ANALYST))
    assert client.get("/").status_code == 200
    backend = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
    finally:
        other.close()

    close_old_connections()  # as every request starts (the test client skips it)
    response = client.get("/")

    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated
    assert connection.connection.info.backend_pid != backend
