"""The permission matrix: every role against every door of the core (pages, exports, admin,
API), plus the partnership boundary and anonymous access.

A page or object a role may not see does not exist for it: 404, never 403 (STYLE 6), so the
response never confirms what is there. The admin site sends non-admin roles to its login.
"""

import io
from dataclasses import dataclass

import openpyxl
import pytest

from tests import shared_world
from tests.factories import (
    LSOAFactory,
    RecommendationFactory,
    StrategicNeedsAssessmentFactory,
    SuccessMeasureFactory,
    SuccessMeasureValueFactory,
)
from vru import services
from vru.models import Role

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)
READERS = {
    Role.ADMINISTRATOR,
    Role.ANALYST,
    Role.PROGRAMME_MANAGER,
    Role.PRACTITIONER,
    Role.GRANTS_OFFICER,
    Role.COMMISSIONER,
}
EDITORS = {Role.ADMINISTRATOR, Role.ANALYST}
ROLE_IDS = [r.value for r in ALL_ROLES]


@dataclass
class World:
    lsoa: object
    other_lsoa: object
    published: object
    draft: object
    other_published: object
    measure: object
    other_measure: object


def _build(partnership, other_partnership):
    """One of everything in our partnership and in the other one."""
    published = StrategicNeedsAssessmentFactory(
        partnership=partnership, published=True, title="Essex SNA 2023"
    )
    draft = StrategicNeedsAssessmentFactory(partnership=partnership, title="Essex SNA 2024 draft")
    other_published = StrategicNeedsAssessmentFactory(
        partnership=other_partnership, published=True, title="Bedfordshire SNA 2023"
    )
    RecommendationFactory(needs_assessment=published, number=1)
    RecommendationFactory(needs_assessment=draft, number=1)
    RecommendationFactory(needs_assessment=other_published, number=1)
    measure = SuccessMeasureFactory(partnership=partnership, name="Knife crime")
    other_measure = SuccessMeasureFactory(partnership=other_partnership, name="Knife crime")
    SuccessMeasureValueFactory(measure=measure)
    SuccessMeasureValueFactory(measure=other_measure)
    return World(
        lsoa=LSOAFactory(partnership=partnership, code="E01021234", name="Basildon 001A"),
        other_lsoa=LSOAFactory(partnership=other_partnership, code="E01015693", name="Luton 007A"),
        published=published,
        draft=draft,
        other_published=other_published,
        measure=measure,
        other_measure=other_measure,
    )


# built once for the module; each test gets its own copy (tests/shared_world.py)
shared = shared_world.fixture(_build)
shared_copy, world, partnership, other_partnership = shared_world.copies()


@pytest.fixture
def signed_in(client, user_with_role):
    def sign_in(role):
        user = user_with_role(role)
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def api_as(api_client, user_with_role):
    def sign_in(role):
        api_client.force_authenticate(user_with_role(role))
        return api_client

    return sign_in


# --- Pages -------------------------------------------------------------------------------

PAGES = [
    # (id, url from the world, roles that get 200; the others get 404)
    ("neighbourhood_list", lambda w: "/neighbourhoods/", READERS),
    ("neighbourhood", lambda w: f"/neighbourhoods/{w.lsoa.code}/", READERS),
    ("needs_assessment_list", lambda w: "/needs-assessments/", READERS),
    ("published_needs_assessment", lambda w: f"/needs-assessments/{w.published.pk}/", READERS),
    ("draft_needs_assessment", lambda w: f"/needs-assessments/{w.draft.pk}/", EDITORS),
    ("success_measures", lambda w: "/success-measures/", READERS),
]


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
def test_every_role_can_open_the_home_page(signed_in, world, role):
    response = signed_in(role).get("/")

    assert response.status_code == 200


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize(("url", "allowed"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_page_is_open_to_its_roles_and_missing_for_the_others(signed_in, world, role, url, allowed):
    response = signed_in(role).get(url(world))

    assert response.status_code == (200 if role in allowed else 404)


@pytest.mark.parametrize("role", [Role.YOUTH_REVIEWER, Role.APPLICANT], ids=str)
def test_youth_reviewers_and_applicants_cannot_open_the_neighbourhood_list(signed_in, world, role):
    response = signed_in(role).get("/neighbourhoods/")

    assert response.status_code == 404
    assert world.lsoa.code.encode() not in response.content


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize(
    "url",
    [
        lambda w: f"/neighbourhoods/{w.other_lsoa.code}/",
        lambda w: f"/needs-assessments/{w.other_published.pk}/",
    ],
    ids=["neighbourhood", "needs_assessment"],
)
def test_another_partnerships_records_are_missing_for_every_role(signed_in, world, role, url):
    response = signed_in(role).get(url(world))

    assert response.status_code == 404


@pytest.mark.parametrize("role", sorted(READERS), ids=str)
def test_lists_show_only_the_own_partnerships_records(signed_in, world, role):
    client = signed_in(role)

    neighbourhoods = client.get("/neighbourhoods/")
    needs_assessments = client.get("/needs-assessments/")

    assert world.lsoa.code in neighbourhoods.text
    assert world.other_lsoa.code not in neighbourhoods.text
    assert world.published.title in needs_assessments.text
    assert world.other_published.title not in needs_assessments.text


def test_the_draft_is_listed_for_an_analyst_but_not_for_a_commissioner(signed_in, world):
    assert world.draft.title in signed_in(Role.ANALYST).get("/needs-assessments/").text
    assert world.draft.title not in signed_in(Role.COMMISSIONER).get("/needs-assessments/").text


# --- Exports -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_neighbourhood_export_is_open_to_readers_and_missing_for_the_others(
    signed_in, world, role, export_format
):
    response = signed_in(role).get("/neighbourhoods/", {"format": export_format})

    if role in READERS:
        assert response.status_code == 200
        assert response["Content-Disposition"] == (f'attachment; filename="lsoas.{export_format}"')
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", sorted(READERS), ids=str)
def test_the_csv_export_holds_only_the_own_partnerships_neighbourhoods(signed_in, world, role):
    response = signed_in(role).get("/neighbourhoods/", {"format": "csv"})

    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("code,name,lsoa11_code,local_authority_code")
    assert [line.split(",")[0] for line in lines[1:]] == [world.lsoa.code]


def test_the_xlsx_export_holds_only_the_own_partnerships_neighbourhoods(signed_in, world):
    response = signed_in(Role.COMMISSIONER).get("/neighbourhoods/", {"format": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == [world.lsoa.code]


# --- Admin site --------------------------------------------------------------------------

ADMIN_DOORS = [
    # (url, roles that get 200, roles signed in to the admin but refused this page: 403)
    ("/admin/", EDITORS, set()),
    ("/admin/vru/lsoa/", EDITORS, set()),
    ("/admin/vru/lsoa/import/", EDITORS, set()),
    ("/admin/vru/user/", {Role.ADMINISTRATOR}, {Role.ANALYST}),
    ("/admin/vru/auditevent/", {Role.ADMINISTRATOR}, {Role.ANALYST}),
    ("/admin/vru/outboxmessage/", {Role.ADMINISTRATOR}, {Role.ANALYST}),
    ("/admin/vru/partnership/", {Role.ADMINISTRATOR}, {Role.ANALYST}),
]


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize(
    ("url", "allowed", "refused"), ADMIN_DOORS, ids=[d[0] for d in ADMIN_DOORS]
)
def test_admin_page_is_open_only_to_its_roles(signed_in, world, role, url, allowed, refused):
    response = signed_in(role).get(url)

    if role in allowed:
        assert response.status_code == 200
    elif role in refused:
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_the_lsoa_admin_lists_only_the_own_partnerships_neighbourhoods(signed_in, world):
    response = signed_in(Role.ANALYST).get("/admin/vru/lsoa/")

    assert world.lsoa.code in response.text
    assert world.other_lsoa.code not in response.text


def test_the_lsoa_admin_cannot_open_another_partnerships_neighbourhood(signed_in, world):
    response = signed_in(Role.ADMINISTRATOR).get(f"/admin/vru/lsoa/{world.other_lsoa.pk}/change/")

    # The admin redirects to its index with a "does not exist" message.
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_the_user_admin_lists_only_the_own_partnerships_users(
    signed_in, user_with_role, other_partnership
):
    stranger = user_with_role(Role.ANALYST, partnership=other_partnership, username="stranger")

    response = signed_in(Role.ADMINISTRATOR).get("/admin/vru/user/")

    assert response.status_code == 200
    assert stranger.username not in response.text


# --- API ---------------------------------------------------------------------------------

API_LISTS = [
    # (id, url, count for readers, count for editors)
    ("lsoas", "/api/lsoas/", 1, 1),
    ("needs_assessments", "/api/needs-assessments/", 1, 2),
    ("recommendations", "/api/recommendations/", 1, 2),
    ("success_measures", "/api/success-measures/", 1, 1),
]
API_DETAILS = [
    ("lsoa", lambda w: f"/api/lsoas/{w.lsoa.code}/", READERS),
    ("published_needs_assessment", lambda w: f"/api/needs-assessments/{w.published.pk}/", READERS),
    ("draft_needs_assessment", lambda w: f"/api/needs-assessments/{w.draft.pk}/", EDITORS),
    ("success_measure", lambda w: f"/api/success-measures/{w.measure.pk}/", READERS),
]
OTHER_PARTNERSHIP_DETAILS = [
    ("lsoa", lambda w: f"/api/lsoas/{w.other_lsoa.code}/"),
    ("needs_assessment", lambda w: f"/api/needs-assessments/{w.other_published.pk}/"),
    ("success_measure", lambda w: f"/api/success-measures/{w.other_measure.pk}/"),
    (
        "recommendation",
        lambda w: f"/api/recommendations/{w.other_published.recommendations.get().pk}/",
    ),
]


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize(
    ("url", "readers_count", "editors_count"),
    [a[1:] for a in API_LISTS],
    ids=[a[0] for a in API_LISTS],
)
def test_api_list_shows_what_the_role_may_see_and_is_empty_otherwise(
    api_as, world, role, url, readers_count, editors_count
):
    response = api_as(role).get(url)

    assert response.status_code == 200
    expected = editors_count if role in EDITORS else readers_count if role in READERS else 0
    assert response.json()["count"] == expected


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize(
    ("url", "allowed"), [a[1:] for a in API_DETAILS], ids=[a[0] for a in API_DETAILS]
)
def test_api_detail_is_found_by_its_roles_and_missing_for_the_others(
    api_as, world, role, url, allowed
):
    response = api_as(role).get(url(world))

    assert response.status_code == (200 if role in allowed else 404)


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize(
    "url", [d[1] for d in OTHER_PARTNERSHIP_DETAILS], ids=[d[0] for d in OTHER_PARTNERSHIP_DETAILS]
)
def test_api_details_of_another_partnership_are_missing_for_every_role(api_as, world, role, url):
    response = api_as(role).get(url(world))

    assert response.status_code == 404


@pytest.mark.parametrize("role", sorted(READERS), ids=str)
def test_api_lists_hold_nothing_of_another_partnership(api_as, world, role):
    client = api_as(role)

    lsoas = client.get("/api/lsoas/").json()["results"]
    needs_assessments = client.get("/api/needs-assessments/").json()["results"]
    recommendations = client.get("/api/recommendations/").json()["results"]
    measures = client.get("/api/success-measures/").json()["results"]

    assert [row["code"] for row in lsoas] == [world.lsoa.code]
    assert world.other_published.pk not in {row["id"] for row in needs_assessments}
    assert world.other_published.pk not in {row["needs_assessment"] for row in recommendations}
    assert world.other_measure.pk not in {row["id"] for row in measures}


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
def test_every_signed_in_role_can_read_the_api_schema(api_as, role):
    response = api_as(role).get("/api/schema/", {"format": "json"})

    assert response.status_code == 200


def test_a_token_signs_in_to_the_api(api_client, user_with_role, world):
    _token, key = services.api_token_create(actor=user_with_role(Role.ANALYST), name="script")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = api_client.get("/api/lsoas/")

    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == [world.lsoa.code]


def test_a_wrong_token_is_refused(api_client, world):
    api_client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    response = api_client.get("/api/lsoas/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Token realm="api"'
    assert response.json() == {"detail": "Invalid token."}
    assert world.lsoa.code not in response.text


# --- Anonymous ---------------------------------------------------------------------------

ANONYMOUS_PAGES = [
    "/",
    "/neighbourhoods/",
    "/neighbourhoods/E01021234/",
    "/neighbourhoods/?format=csv",
    "/needs-assessments/",
    "/success-measures/",
]


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, world, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(
    "url",
    [
        "/api/lsoas/",
        "/api/lsoas/E01021234/",
        "/api/needs-assessments/",
        "/api/recommendations/",
        "/api/success-measures/",
        "/api/schema/",
    ],
)
def test_the_api_refuses_an_anonymous_caller(api_client, world, url):
    response = api_client.get(url)

    assert response.status_code in {401, 403}
    assert world.lsoa.code not in response.text


@pytest.mark.parametrize("url", ["/healthz", "/accessibility/", "/accounts/login/"])
def test_public_pages_need_no_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 200


def test_the_sna_document_downloads_only_for_those_who_may_see_the_sna(
    client, user_with_role, partnership, other_partnership
):
    from django.core.files.base import ContentFile

    from tests.factories import StrategicNeedsAssessmentFactory

    # given a published SNA with its document, and a draft one
    published = StrategicNeedsAssessmentFactory(partnership=partnership, published=True)
    published.document.save("sna.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    draft = StrategicNeedsAssessmentFactory(partnership=partnership)
    draft.document.save("draft.pdf", ContentFile(b"%PDF-1.4 draft"), save=True)
    theirs = StrategicNeedsAssessmentFactory(partnership=other_partnership, published=True)
    theirs.document.save("theirs.pdf", ContentFile(b"%PDF-1.4 theirs"), save=True)

    # then a practitioner gets the published one only; a youth reviewer gets none
    client.force_login(user_with_role(Role.PRACTITIONER))
    response = client.get(f"/needs-assessments/{published.pk}/document")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert client.get(f"/needs-assessments/{draft.pk}/document").status_code == 404
    assert client.get(f"/needs-assessments/{theirs.pk}/document").status_code == 404
    client.force_login(user_with_role(Role.YOUTH_REVIEWER))
    assert client.get(f"/needs-assessments/{published.pk}/document").status_code == 404
    client.force_login(user_with_role(Role.ANALYST))
    assert client.get(f"/needs-assessments/{draft.pk}/document").status_code == 200


def test_the_partnership_admin_opens_only_the_own_partnership_and_offers_its_own_users_as_lead(
    signed_in, world, partnership, other_partnership, user_with_role
):
    ours = user_with_role(Role.PROGRAMME_MANAGER, first_name="Ours")
    theirs = user_with_role(
        Role.PROGRAMME_MANAGER, partnership=other_partnership, first_name="Theirs"
    )
    client = signed_in(Role.ADMINISTRATOR)

    listing = client.get("/admin/vru/partnership/").text
    page = client.get(f"/admin/vru/partnership/{partnership.pk}/change/").text
    elsewhere = client.get(f"/admin/vru/partnership/{other_partnership.pk}/change/")

    assert partnership.name in listing
    assert other_partnership.name not in listing
    assert f'value="{ours.pk}"' in page
    assert f'value="{theirs.pk}"' not in page
    assert elsewhere.status_code == 302  # "does not exist", back to the admin index
