"""One validated input per record, whatever the door.

Organisations are written through four doors: the grants pages (add and change, through
grants.services), the admin (add and change) and the admin import. Each mistake below is
sent through every door, and every door refuses it the same way: the same field, the same
words. The rules live in Organisation (fields, clean, constraints) and its messages in
grants.forms.OrganisationForm, which the pages and the admin both use.

Applications are written through one door only (the applicant's pages, through
grants.services): the admin shows them read-only, the API is read-only and there is no
import. Decisions likewise (tests/grants/test_decision_waits.py).
"""

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from grants import services
from grants.models import Application, Organisation
from grants.models.organisations import (
    ORGANISATION_KIND_INVALID,
    ORGANISATION_KIND_REQUIRED,
    ORGANISATION_NAME_REQUIRED,
    ORGANISATION_NAME_TAKEN,
)
from tests.factories import OrganisationFactory
from vru.models import Role

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Basildon Boxing Club",
    "kind": "group",
    "charity_number": "",
    "company_number": "",
    "address": "Unit 4, Cranes Farm Road",
    "postcode": "SS14 3JA",
    "contact_email": "hello@boxing.example.org",
    "contact_phone": "01268 111111",
}

MISTAKES = {
    "no name": ({"name": ""}, {"name": [ORGANISATION_NAME_REQUIRED]}),
    "a name of spaces": ({"name": "   "}, {"name": [ORGANISATION_NAME_REQUIRED]}),
    "a twin in other capitals and spaces": (
        {"name": "  taken youth trust "},
        {"name": [ORGANISATION_NAME_TAKEN]},
    ),
    "a name too long": (
        {"name": "x" * 201},
        {"name": ["The organisation's name must be 200 characters or less"]},
    ),
    "no type": ({"kind": ""}, {"kind": [ORGANISATION_KIND_REQUIRED]}),
    "an unknown type": ({"kind": "pub"}, {"kind": [ORGANISATION_KIND_INVALID]}),
    "a bad email address": (
        {"contact_email": "not-an-email"},
        {"contact_email": ["Enter contact email in the correct format, like name@example.com"]},
    ),
}


def _errors(form_errors) -> dict[str, list[str]]:
    return {field: list(messages) for field, messages in form_errors.items()}


def _service_create(world, data):
    try:
        services.organisation_create(actor=world.officer, partnership=world.partnership, **data)
    except ValidationError as error:
        return error.message_dict
    return {}


def _service_change(world, data):
    try:
        services.organisation_update(actor=world.officer, organisation=world.existing, **data)
    except ValidationError as error:
        return error.message_dict
    return {}


def _page_add(world, data):
    world.client.force_login(world.officer)
    response = world.client.post(
        reverse("grants:organisation_create"), {**data, "local_authority": ""}
    )
    return _errors(response.context["form"].errors) if response.status_code == 200 else {}


def _page_change(world, data):
    world.client.force_login(world.officer)
    response = world.client.post(
        reverse("grants:organisation_edit", args=[world.existing.pk]),
        {**data, "local_authority": ""},
    )
    return _errors(response.context["form"].errors) if response.status_code == 200 else {}


def _admin_form(world, url, data):
    world.client.force_login(world.administrator)
    response = world.client.post(
        url, {**data, "partnership": world.partnership.pk, "local_authority": ""}
    )
    if response.status_code != 200:
        return {}
    return _errors(response.context["adminform"].form.errors)


def _admin_add(world, data):
    return _admin_form(world, reverse("admin:grants_organisation_add"), data)


def _admin_change(world, data):
    return _admin_form(
        world, reverse("admin:grants_organisation_change", args=[world.existing.pk]), data
    )


def _admin_import(world, data):
    world.client.force_login(world.administrator)
    dataset = tablib.Dataset(headers=list(data))
    dataset.append(list(data.values()))
    upload = SimpleUploadedFile("organisations.csv", dataset.csv.encode(), "text/csv")
    response = world.client.post(
        reverse("admin:grants_organisation_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    result = response.context["result"]
    return {
        field: list(messages)
        for row in result.invalid_rows
        for field, messages in row.error_dict.items()
    }


DOORS = {
    "pages: add": _page_add,
    "pages: change": _page_change,
    "service: add": _service_create,
    "service: change": _service_change,
    "admin: add": _admin_add,
    "admin: change": _admin_change,
    "admin: import": _admin_import,
}


class World:
    pass


@pytest.fixture
def world(client, partnership, user_with_role):
    world = World()
    world.client = client
    world.partnership = partnership
    world.officer = user_with_role(Role.GRANTS_OFFICER)
    world.administrator = user_with_role(Role.ADMINISTRATOR)
    OrganisationFactory(partnership=partnership, name="Taken Youth Trust")
    world.existing = OrganisationFactory(partnership=partnership, name="Chelmsford Arts")
    return world


@pytest.mark.parametrize("door", list(DOORS))
@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_every_door_refuses_the_same_organisation_mistake_the_same_way(world, door, mistake):
    change, refusal = MISTAKES[mistake]
    before = sorted(Organisation.objects.values_list("pk", "name", "kind", "contact_email"))

    errors = DOORS[door](world, {**GOOD, **change})

    assert errors == refusal
    assert sorted(Organisation.objects.values_list("pk", "name", "kind", "contact_email")) == (
        before
    )


@pytest.mark.parametrize("door", list(DOORS))
def test_every_door_accepts_a_good_organisation(world, door):
    data = {**GOOD, "name": "  Basildon Boxing Club "}
    if door == "admin: import":  # a good file goes to its preview, then is confirmed
        assert DOORS[door](world, data) == {}
        return

    assert DOORS[door](world, data) == {}

    assert Organisation.objects.filter(name="Basildon Boxing Club").count() == 1


def test_applications_are_written_through_the_applicants_pages_only(client, user_with_role):
    # The admin shows applications read-only with no import; the API takes no writes.
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    assert client.post(reverse("admin:grants_application_add"), {}).status_code == 403
    with pytest.raises(NoReverseMatch):
        reverse("admin:grants_application_import")
    list_url = reverse("grants-api:application-list")
    assert client.post(list_url, {}, "application/json").status_code == 405
    assert not Application.objects.exists()


def test_an_application_names_only_themes_its_round_responds_to(draft, applicant):
    # The form offers only the round's themes; the service refuses any other, whoever calls.
    draft.grant_round.listening_themes = ["Trusted adults"]
    draft.grant_round.save(update_fields=["listening_themes"])

    with pytest.raises(ValidationError) as error:
        services.application_update(
            actor=applicant, application=draft, data={"themes": ["Trusted adults", "Made up"]}
        )

    assert "themes" in error.value.message_dict
    draft.refresh_from_db()
    assert draft.themes == []
    services.application_update(
        actor=applicant, application=draft, data={"themes": ["Trusted adults"]}
    )
    draft.refresh_from_db()
    assert draft.themes == ["Trusted adults"]
