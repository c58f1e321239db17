"""One rule for every door: grant rounds, applications and awards.

A round is made on the grants pages (with its rubric) and changed in the admin; a direct call
of the service (the demo, commands) is held to the same rules. The API only reads rounds and
there is no round import. The same mistake through each door is refused on the same field, in
the same words: the round's fields and rules are written once (GrantRound, and the one form
the page and the admin share), never as Django's "Constraint … is violated".

An application is written through the applicant's page and the service only (the admin shows
it read-only, the API reads it, nothing imports it); an award through the decision page and
the service. Each door answers {field: [messages]} (a refusal naming no field is keyed "").
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from grants import services
from grants.models import Application, Award, Decision, GrantRound
from tests.factories import ApplicationFactory, GrantRoundFactory, LSOAFactory, govuk_date
from tests.grants.helpers import ready_to_decide
from vru.models import Role

pytestmark = pytest.mark.django_db

ZONE_NOW = timezone.localtime()
OPENS = (ZONE_NOW + datetime.timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)

ROUND = {
    "fund": "Violence Reduction Fund",
    "title": "Spring grants",
    "description": "",
    "budget": Decimal("20000"),
    "minimum_award": Decimal("1000"),
    "maximum_award": Decimal("5000"),
    "opens_at": OPENS,
    "closes_at": OPENS + datetime.timedelta(days=31),
    "panel_deadline": OPENS + datetime.timedelta(days=60),
    "reviewers_per_application": 3,
    "identifier_prefix": "360G-essexvvp",
}
CRITERION = {
    "title": "Helps young people",
    "guidance": "Look for...",
    "worked_example": "For example...",
    "weight": Decimal("1"),
    **{f"descriptor_{n}": f"Level {n}" for n in range(1, 6)},
}


def _errors(form_errors) -> dict[str, list[str]]:
    return {("" if k == "__all__" else k): list(v) for k, v in form_errors.items()}


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _round_data(values, moment) -> dict:
    """A round's POST data; `moment` writes each date and time as the door's boxes take it."""
    data = {
        name: str(values[name])
        for name in (
            "fund",
            "title",
            "description",
            "budget",
            "minimum_award",
            "maximum_award",
            "reviewers_per_application",
            "identifier_prefix",
        )
    }
    for name in ("opens_at", "closes_at", "panel_deadline"):
        data.update(moment(name, _when(values[name])))
    return data


def round_by_page(world, values) -> dict:
    world.client.force_login(world.officer)
    data = _round_data(values, govuk_date)
    data.update(
        {
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            **{f"criteria-0-{k}": str(v) for k, v in CRITERION.items()},
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
        }
    )
    response = world.client.post(reverse("grants:round_create"), data)
    return {} if response.status_code == 302 else _errors(response.context["form"].errors)


def round_by_service(world, values) -> dict:
    try:
        services.grant_round_create(
            actor=world.officer, partnership=world.partnership, criteria=[CRITERION], **values
        )
    except ValidationError as error:
        return {("" if k == "__all__" else k): v for k, v in error.message_dict.items()}
    return {}


def _split(name: str, when: str) -> dict:
    """The admin's date and time boxes."""
    date, time = when.split(" ")
    return {f"{name}_0": date, f"{name}_1": time}


def round_by_admin_change(world, values) -> dict:
    world.client.force_login(world.administrator)
    data = _round_data(values, _split)
    data["listening_themes"] = "[]"
    for prefix in ("criteria", "eligibility_questions"):
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"
    url = reverse("admin:grants_grantround_change", args=[world.existing.pk])
    response = world.client.post(url, data)
    if response.status_code == 302:
        return {}
    assert response.status_code == 200, response.status_code
    return _errors(response.context["adminform"].form.errors)


ROUND_DOORS = {
    "page": round_by_page,
    "service": round_by_service,
    "admin: change": round_by_admin_change,
}

# The round's order of dates and amounts: the same field and words at every door.
ROUND_ORDER_CASES = [
    (
        "closes before it opens",
        {"closes_at": OPENS - datetime.timedelta(days=1)},
        {"closes_at": ["The round must close after it opens"]},
    ),
    (
        "closes as it opens",
        {"closes_at": OPENS},
        {"closes_at": ["The round must close after it opens"]},
    ),
    (
        "panel deadline before it closes",
        {"panel_deadline": OPENS + datetime.timedelta(days=10)},
        {"panel_deadline": ["The panel deadline must be after the round closes"]},
    ),
    (
        "largest award below the smallest",
        {"maximum_award": Decimal("500")},
        {"maximum_award": ["The largest award must be at least the smallest award"]},
    ),
    (
        "budget below the largest award",
        {"budget": Decimal("4000")},
        {"budget": ["The budget must be at least the largest award"]},
    ),
]
# A field's own mistakes: the page and the admin share one definition of the round's fields.
ROUND_FIELD_CASES = [
    ("no fund", {"fund": ""}, {"fund": ["Enter fund"]}),
    (
        "a title too long",
        {"title": "x" * 201},
        {"title": ["Round title must be 200 characters or less"]},
    ),
    ("a budget of nothing", {"budget": Decimal("0")}, {"budget": ["Budget must be 1 or more"]}),
    (
        "no reviewers",
        {"reviewers_per_application": 0},
        {"reviewers_per_application": ["Reviewers per application must be 1 or more"]},
    ),
]


@pytest.fixture
def world(client, partnership, user_with_role):
    world = SimpleNamespace()
    world.client = client
    world.partnership = partnership
    world.officer = user_with_role(Role.GRANTS_OFFICER)
    world.administrator = user_with_role(Role.ADMINISTRATOR)
    # a round not yet open (its rubric still editable), to change in the admin
    world.existing = GrantRoundFactory(
        partnership=partnership,
        title="Autumn grants",
        opens_at=OPENS,
        closes_at=OPENS + datetime.timedelta(days=31),
        rubric=False,
    )
    return world


def _rounds():
    return sorted(GrantRound.objects.values_list("pk", "title", "opens_at", "closes_at", "budget"))


@pytest.mark.parametrize("door", list(ROUND_DOORS))
@pytest.mark.parametrize(
    ("change", "refusal"),
    [c[1:] for c in ROUND_ORDER_CASES],
    ids=[c[0] for c in ROUND_ORDER_CASES],
)
def test_every_door_refuses_a_round_out_of_order_the_same_way(world, door, change, refusal):
    before = _rounds()

    errors = ROUND_DOORS[door](world, {**ROUND, **change})

    assert errors == refusal
    assert _rounds() == before


@pytest.mark.parametrize("door", ["page", "admin: change"])
@pytest.mark.parametrize(
    ("change", "refusal"),
    [c[1:] for c in ROUND_FIELD_CASES],
    ids=[c[0] for c in ROUND_FIELD_CASES],
)
def test_the_page_and_the_admin_refuse_a_rounds_field_the_same_way(world, door, change, refusal):
    before = _rounds()

    errors = ROUND_DOORS[door](world, {**ROUND, **change})

    assert errors == refusal
    assert _rounds() == before


@pytest.mark.parametrize("door", list(ROUND_DOORS))
def test_every_door_takes_a_good_round(world, door):
    assert ROUND_DOORS[door](world, ROUND) == {}

    assert GrantRound.objects.filter(title="Spring grants").count() == 1


def test_a_round_changed_in_the_admin_is_audited_like_every_change(world):
    from vru.models import AuditEvent

    round_by_admin_change(world, ROUND)

    event = AuditEvent.objects.get(verb="grant_round.updated")
    assert event.actor == world.administrator
    assert "title" in event.changes["fields"]


def test_rounds_are_made_on_the_pages_only_never_read_from_a_file_or_the_api(world, api_client):
    # a round needs its rubric (the page's service): the admin does not make one, there is
    # no import, and the API only reads
    world.client.force_login(world.administrator)
    assert world.client.post(reverse("admin:grants_grantround_add"), {}).status_code == 403
    with pytest.raises(NoReverseMatch):
        reverse("admin:grants_grantround_import")
    api_client.force_authenticate(world.officer)
    response = api_client.post(reverse("grants-api:round-list"), ROUND, format="json")
    assert response.status_code == 405


def test_a_round_saved_without_its_checks_is_refused_by_the_database_naming_the_field(world):
    # the constraint is the backstop: its message names the field as the rule does
    from django.db import IntegrityError

    grant_round = GrantRound(partnership=world.partnership, **{**ROUND, "closes_at": OPENS})
    with pytest.raises(ValidationError) as refused:
        grant_round.validate_constraints()
    assert refused.value.messages == ["The round must close after it opens"]
    with pytest.raises(IntegrityError):
        grant_round.save()


# --- Applications: the applicant's page and the service -----------------------------------


def application_by_page(world, draft, values) -> dict:
    world.client.force_login(world.applicant)
    data = {
        "title": values.get("title", ""),
        "summary": values.get("summary", ""),
        "amount_requested": values.get("amount_requested", ""),
        "young_people_expected": values.get("young_people_expected", ""),
        "lsoa_codes": values.get("lsoa_codes", ""),
        "contact_name": values.get("contact_name", ""),
        "contact_email": values.get("contact_email", ""),
        "contact_phone": "",
        "budget-TOTAL_FORMS": "0",
        "budget-INITIAL_FORMS": "0",
    }
    response = world.client.post(reverse("grants:application_edit", args=[draft.pk]), data)
    if response.status_code == 302:
        return {}
    return _errors(response.context["form"].errors)


def application_by_service(world, draft, values) -> dict:
    data = {k: v for k, v in values.items() if k != "lsoa_codes"}
    for name in ("amount_requested", "young_people_expected"):
        if data.get(name) == "":
            data[name] = None
    if "amount_requested" in data and data["amount_requested"] is not None:
        data["amount_requested"] = Decimal(str(data["amount_requested"]))
    if "young_people_expected" in data and data["young_people_expected"] is not None:
        data["young_people_expected"] = int(data["young_people_expected"])
    codes = values.get("lsoa_codes")
    try:
        services.application_update(
            actor=world.applicant,
            application=draft,
            data=data,
            lsoa_codes=codes.split(",") if codes else None,
        )
    except ValidationError as error:
        return {("" if k == "__all__" else k): v for k, v in error.message_dict.items()}
    return {}


APPLICATION_DOORS = {"page": application_by_page, "service": application_by_service}

APPLICATION_CASES = [
    (
        "a title too long",
        {"title": "x" * 201},
        {"title": ["Project title must be 200 characters or less"]},
    ),
    (
        "an amount of nothing",
        {"amount_requested": "0"},
        {"amount_requested": ["Amount you are asking for must be 0.01 or more"]},
    ),
    (
        "fewer than no young people",
        {"young_people_expected": "-1"},
        {
            "young_people_expected": [
                "The number of young people you expect to reach must be 0 or more"
            ]
        },
    ),
    (
        "a bad email address",
        {"contact_email": "not-an-email"},
        {
            "contact_email": [
                "Enter contact email address in the correct format, like name@example.com"
            ]
        },
    ),
    (
        "a contact name too long",
        {"contact_name": "x" * 201},
        {"contact_name": ["Contact name must be 200 characters or less"]},
    ),
]


@pytest.fixture
def application_world(world, draft, applicant):
    world.applicant = applicant
    world.draft = draft
    return world


@pytest.mark.parametrize("door", list(APPLICATION_DOORS))
@pytest.mark.parametrize(
    ("change", "refusal"),
    [c[1:] for c in APPLICATION_CASES],
    ids=[c[0] for c in APPLICATION_CASES],
)
def test_every_door_refuses_the_same_application_mistake_the_same_way(
    application_world, door, change, refusal
):
    world = application_world
    before = world.draft.title

    errors = APPLICATION_DOORS[door](world, world.draft, {"title": "Boxing nights", **change})

    assert errors == refusal
    world.draft.refresh_from_db()
    assert world.draft.title == before


@pytest.mark.parametrize("door", list(APPLICATION_DOORS))
def test_every_door_refuses_a_neighbourhood_outside_the_partnership(
    application_world, other_partnership, door
):
    world = application_world
    theirs = LSOAFactory(partnership=other_partnership, code="E01099999")

    errors = APPLICATION_DOORS[door](world, world.draft, {"lsoa_codes": theirs.code})

    assert errors == {"lsoa_codes": ["Not in this area: E01099999"]}


def test_applications_are_written_through_the_applicants_page_and_service_only(world, api_client):
    world.client.force_login(world.administrator)
    assert world.client.post(reverse("admin:grants_application_add"), {}).status_code == 403
    with pytest.raises(NoReverseMatch):
        reverse("admin:grants_application_import")
    api_client.force_authenticate(world.officer)
    response = api_client.post(reverse("grants-api:application-list"), {}, format="json")
    assert response.status_code == 405
    assert not Application.objects.exists()


def test_every_door_carries_only_the_fields_the_application_defines(grant_round):
    from grants.forms import ApplicationForm
    from grants.models.applications import APPLICATION_FIELDS
    from grants.serializers import ApplicationOutputSerializer
    from grants.services.applications import DRAFT_FIELDS

    # what the applicant types (the others are the round's choices and questions, which the
    # service checks against the round)
    typed = {
        name
        for name in ApplicationForm(grant_round=grant_round).fields
        if not name.startswith("question_")
    } - {"lsoa_codes", "recommendations"}
    assert typed <= set(APPLICATION_FIELDS)
    assert set(DRAFT_FIELDS) == set(APPLICATION_FIELDS)
    read = set(ApplicationOutputSerializer().fields) - {"id", "grant_round", "organisation"}
    assert read - {"status", "submitted_at"} <= set(APPLICATION_FIELDS)


# --- Awards: the decision page and the service ---------------------------------------------


def award_by_page(world, application, values) -> dict:
    world.client.force_login(world.officer)
    data = {
        "outcome": "fund",
        "amount": "3000",
        "reasons": "Strong plan",
        "tranche_count": "2",
        "override_reason": "",
    }
    for name in ("starts_on", "ends_on"):
        if values.get(name):
            data.update(govuk_date(name, values[name].isoformat()))
    response = world.client.post(reverse("grants:application_decide", args=[application.pk]), data)
    if response.status_code == 302:
        return {}
    return _errors(response.context["decision_form"].errors)


def award_by_service(world, application, values) -> dict:
    try:
        services.application_decide(
            actor=world.officer,
            application=application,
            outcome="fund",
            amount=Decimal("3000"),
            reasons="Strong plan",
            starts_on=values.get("starts_on"),
            ends_on=values.get("ends_on"),
            tranche_count=2,
        )
    except ValidationError as error:
        return {("" if k == "__all__" else k): v for k, v in error.message_dict.items()}
    return {}


AWARD_DOORS = {"page": award_by_page, "service": award_by_service}
START = datetime.date(2027, 4, 1)
AWARD_CASES = [
    (
        "ends before it starts",
        {"starts_on": START, "ends_on": START - datetime.timedelta(days=1)},
        {"ends_on": ["The end date must be after the start date"]},
    ),
    (
        "ends the day it starts",
        {"starts_on": START, "ends_on": START},
        {"ends_on": ["The end date must be after the start date"]},
    ),
]


@pytest.mark.parametrize("door", list(AWARD_DOORS))
@pytest.mark.parametrize(
    ("values", "refusal"), [c[1:] for c in AWARD_CASES], ids=[c[0] for c in AWARD_CASES]
)
def test_every_door_refuses_an_award_that_ends_before_it_starts(world, door, values, refusal):
    application = ApplicationFactory(
        grant_round=GrantRoundFactory(partnership=world.partnership), status="eligible"
    )
    ready_to_decide(application)

    errors = AWARD_DOORS[door](world, application, values)

    assert errors == refusal
    assert not Decision.objects.exists()
    assert not Award.objects.exists()


def test_an_award_saved_without_its_checks_names_the_field_in_its_refusal(world):
    award = Award(amount=Decimal("10"), awarded_on=START, starts_on=START, ends_on=START)

    with pytest.raises(ValidationError) as refused:
        award.full_clean(exclude=["decision"])

    assert refused.value.message_dict == {"ends_on": ["The end date must be after the start date"]}
