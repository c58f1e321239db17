"""The layout every page shares: the menu, its sign-out form, the partnership's name and the
links to the stylesheets and scripts, written in Python (vru.templatetags.layout)."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.templatetags.static import static

from vru.models import Role

pytestmark = pytest.mark.django_db


def _menu(html: str) -> str:
    return re.search(r'<ul class="govuk-service-navigation__list".*?</ul>', html, re.S).group(0)


def test_the_menu_marks_the_page_itself_as_the_page_and_a_page_below_it_as_in_that_section(
    client, user_with_role, partnership
):
    from tests.factories import LSOAFactory

    place = LSOAFactory(partnership=partnership)
    client.force_login(user_with_role(Role.ANALYST))

    on_list = _menu(client.get("/neighbourhoods/").text)
    below = _menu(client.get(f"/neighbourhoods/{place.code}/").text)

    assert re.search(r'href="/neighbourhoods/" aria-current="page">', on_list)
    assert re.search(r'href="/neighbourhoods/" aria-current="true">', below)
    assert on_list.count("aria-current") == below.count("aria-current") == 1
    assert "govuk-service-navigation__item--active" in on_list


def test_the_menu_marks_one_item_active_the_closest_section_of_the_page(client, partnership):
    from tests.factories import ProgrammeFactory, programme_staff

    user = programme_staff(ProgrammeFactory(partnership=partnership), "practitioner")
    client.force_login(user)

    menu = _menu(client.get("/programmes/caseload/").text)

    assert menu.count("govuk-service-navigation__item--active") == 1
    assert re.search(r'href="/programmes/caseload/" aria-current="page">', menu)


def test_the_menu_offers_only_what_the_role_may_open(client, user_with_role):
    client.force_login(user_with_role(Role.YOUTH_REVIEWER))

    menu = _menu(client.get("/").text)

    assert "Neighbourhoods" not in menu
    assert "Needs assessments" not in menu
    assert "Your account" in menu
    assert "Sign out" in menu


def test_the_partnership_name_in_the_menu_is_escaped(client, user_with_role, partnership):
    partnership.name = 'Essex <script>alert("x")</script>'
    partnership.save()
    client.force_login(user_with_role(Role.ANALYST))

    menu = _menu(client.get("/").text)

    assert "<script>" not in menu
    assert "Essex &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in menu


def test_the_sign_out_form_in_the_menu_carries_a_working_csrf_token(user_with_role):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user_with_role(Role.ANALYST))
    menu = _menu(client.get("/").text)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', menu).group(1)

    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert client.get("/").status_code == 302  # signed out: sent to sign in


def test_the_layout_links_the_same_files_as_djangos_static_tag(client):
    html = client.get("/accounts/login/").text

    for path in ["vru/favicon.svg", "govuk/govuk-frontend.min.css", "vru/app.css", "vru/init.js"]:
        assert f'"{static(path)}"' in html, path


def test_the_static_addresses_follow_a_change_of_storage(client, settings):
    settings.STATIC_URL = "/assets/"

    html = client.get("/accounts/login/").text

    assert '"/assets/vru/app.css"' in html


def test_a_request_carries_the_signed_in_user_itself_not_a_proxy(rf, client, user_with_role):
    """Every page reads request.user a few hundred times (permissions, the menu): the user is
    loaded once, before the view, as the object itself (docs/performance.md)."""
    from vru.middleware import AuthenticationMiddleware

    user = user_with_role(Role.ANALYST)
    client.force_login(user)
    seen = {}

    def view(request):
        seen["user"] = request.user
        from django.http import HttpResponse

        return HttpResponse()

    request = rf.get("/")
    request.session = client.session
    AuthenticationMiddleware(view)(request)
    assert type(seen["user"]) is type(user)
    assert seen["user"].pk == user.pk

    anonymous = rf.get("/")
    from django.contrib.sessions.backends.db import SessionStore

    anonymous.session = SessionStore()
    AuthenticationMiddleware(view)(anonymous)
    assert isinstance(seen["user"], AnonymousUser)
