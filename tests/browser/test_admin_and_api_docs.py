"""The admin and the API docs work under the strict CSP, and no page asks any other site
for anything (no CDN, fonts, analytics or map tiles)."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, LSOAFactory, PartnershipFactory, UserFactory
from vru.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_and_api_docs_load_without_csp_errors_or_third_party_requests(checked):
    # given an administrator, and a record of every request the browser makes
    partnership = PartnershipFactory()
    lsoa = LSOAFactory(partnership=partnership)
    UserFactory(username="ada.admin", partnership=partnership, roles=[Role.ADMINISTRATOR])
    page = checked.page
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))

    # when they use the site, the admin and the API docs
    checked.sign_in("ada.admin", TEST_PASSWORD)
    for path in ["/", "/neighbourhoods/", lsoa.get_absolute_url(), "/success-measures/"]:
        checked.goto(path)
    for path, heading in [
        ("/admin/", "Site administration"),
        ("/admin/vru/lsoa/", "Select LSOA to change"),
        ("/admin/vru/lsoa/import/", "Import"),
        ("/admin/vru/auditevent/", "Select audit event to view"),
    ]:
        response = page.goto(checked.url(path))
        assert response is not None, path
        assert response.status == 200, path
        expect(page.locator("#content h1")).to_contain_text(heading)
        checked.assert_no_console_errors()
    response = page.goto(checked.url("/api/docs/"))
    assert response is not None
    assert response.status == 200
    expect(page.locator(".swagger-ui .title").first).to_contain_text("VRU platform API")
    checked.assert_no_console_errors()

    # then every request went to this server
    assert hosts == {urlsplit(checked.base_url).netloc}
