"""One rule for every door. The same invalid referral, contact, outcome or session is refused
with the same field named and the same reason whether it comes through the page, the API, the
bulk import or a direct call of the service (the demo, commands); the admin has no door to
these records at all (see programmes/admin.py for why).

Each case is a valid record with one thing wrong; each door answers {field: [messages]} (a
refusal that names no field is keyed "").
"""

import csv
import datetime
import io

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from programmes import services
from programmes.models import Contact, Outcome, Programme, Referral, Session
from tests.factories import (
    LSOAFactory,
    ProgrammeFactory,
    ReferralFactory,
    UserFactory,
    govuk_date,
)
from vru.models import Role, User

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0, second=0)
PAST = NOW - datetime.timedelta(days=3)
FUTURE = NOW + datetime.timedelta(days=2)


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def doors(client, partnership, other_partnership):
    """A manager of ReRoute signed in on the pages and the API (a manager may use every door:
    the form, the API, the import)."""
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute", max_age=25)
    theirs = ProgrammeFactory(partnership=other_partnership, name="Elsewhere")
    manager = UserFactory(partnership=partnership, roles=[Role.PROGRAMME_MANAGER])
    services.programme_staff_set(actor=None, programme=programme, user=manager, role="manager")
    client.force_login(manager)
    api = APIClient()
    api.force_authenticate(manager)
    return {
        "programme": programme,
        "theirs": theirs,
        "manager": manager,
        "outsider": UserFactory(partnership=partnership, roles=[Role.PRACTITIONER]),
        "their_lsoa": LSOAFactory(partnership=other_partnership),
        "page": client,
        "api": api,
    }


def _page_errors(response) -> dict[str, list[str]]:
    form = response.context.get("form")
    if form is None:  # the referral page: the form in error is one of three
        form = next(
            response.context[name]
            for name in ("contact_form", "outcome_form", "status_form")
            if response.context[name].errors
        )
    errors: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        # a session's count boxes are the parts of one field, its counts
        key = "" if name == "__all__" else "counts" if name.startswith("count_") else name
        errors.setdefault(key, [])
        errors[key] += [m for m in messages if m not in errors[key]]
    return errors


def _api_errors(response) -> dict[str, list[str]]:
    if response.status_code in (200, 201):
        return {}
    assert response.status_code == 400, response.content
    body = response.json()
    return {("" if k == "non_field_errors" else k): list(v) for k, v in body.items()}


def _service_errors(call) -> dict[str, list[str]]:
    try:
        call()
    except ValidationError as refused:
        if hasattr(refused, "error_dict"):
            return {("" if k == "__all__" else k): v for k, v in refused.message_dict.items()}
        return {"": refused.messages}
    return {}


# --- Referrals ---------------------------------------------------------------------------

REFERRAL = {
    "first_name": "Dee",
    "last_name": "Oors",
    "date_of_birth": "2010-01-01",
    "source": "custody",
    "reason": "knife",
    "event_at": PAST,
    "referred_at": PAST + datetime.timedelta(hours=1),
    "home_lsoa": "",
    "assigned_to": None,
}


def _referral(doors, **changes) -> dict:
    values = {**REFERRAL, "programme": doors["programme"]}
    for name, change in changes.items():
        values[name] = change(doors) if callable(change) else change
    return values


def referral_by_page(doors, values) -> dict:
    data = {
        "programme": values["programme"].pk,
        "gender": "not_said",
        "ethnicity": "not_said",
        "education_status": "unknown",
        "home_lsoa": values["home_lsoa"],
        "assigned_to": values["assigned_to"].pk if values["assigned_to"] else "",
    }
    for name in ("first_name", "last_name", "source", "reason"):
        data[name] = values[name] or ""
    if values["date_of_birth"]:
        data.update(govuk_date("date_of_birth", values["date_of_birth"]))
    for name in ("event_at", "referred_at"):
        if values[name]:
            data.update(govuk_date(name, _when(values[name])))
    response = doors["page"].post("/programmes/referrals/new/", data)
    return {} if response.status_code == 302 else _page_errors(response)


def referral_by_api(doors, values) -> dict:
    body = {
        "programme": values["programme"].pk,
        "home_lsoa": values["home_lsoa"],
        "assigned_to": values["assigned_to"].pk if values["assigned_to"] else None,
    }
    for name in ("first_name", "last_name", "date_of_birth", "source", "reason"):
        if values[name]:
            body[name] = values[name]
    for name in ("event_at", "referred_at"):
        if values[name]:
            body[name] = values[name].isoformat()
    return _api_errors(doors["api"].post("/api/referrals/", body, format="json"))


def referral_by_import(doors, values) -> dict:
    if values["programme"] != doors["programme"]:
        # the file's programme is chosen on the import page
        response = doors["page"].post(
            "/programmes/referrals/import/",
            {
                "programme": values["programme"].pk,
                "file": _upload(_csv([_row(values)])),
            },
        )
        return _page_errors(response)
    outcome = services.referrals_import(
        actor=doors["manager"],
        programme=doors["programme"],
        rows=services.read_rows(file_name="custody.csv", content=_csv([_row(values)])),
    )
    errors: dict[str, list[str]] = {}
    for error in outcome.errors:
        errors.setdefault(error.column, []).append(error.message)
    return errors


def referral_by_service(doors, values) -> dict:
    lsoa = values["home_lsoa"]
    return _service_errors(
        lambda: services.referral_create(
            actor=doors["manager"],
            programme=values["programme"],
            first_name=values["first_name"],
            last_name=values["last_name"],
            date_of_birth=(
                datetime.date.fromisoformat(values["date_of_birth"])
                if values["date_of_birth"]
                else None
            ),
            source=values["source"],
            reason=values["reason"],
            event_at=values["event_at"],
            referred_at=values["referred_at"],
            home_lsoa=lsoa or None,
            assigned_to=values["assigned_to"],
        )
    )


def _row(values) -> dict:
    return {
        "first_name": values["first_name"] or "",
        "last_name": values["last_name"] or "",
        "date_of_birth": values["date_of_birth"] or "",
        "source": values["source"] or "",
        "reason": values["reason"] or "",
        "event_at": _when(values["event_at"]) if values["event_at"] else "",
        "referred_at": _when(values["referred_at"]) if values["referred_at"] else "",
        "home_lsoa": values["home_lsoa"],
        "assigned_to": values["assigned_to"].username if values["assigned_to"] else "",
    }


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("custody.csv", content, content_type="text/csv")


REFERRAL_DOORS = {
    "page": referral_by_page,
    "api": referral_by_api,
    "import": referral_by_import,
    "service": referral_by_service,
}

REFERRAL_CASES = [
    (
        "future referral time",
        {"referred_at": FUTURE},
        {"referred_at": ["The referral time cannot be in the future."]},
    ),
    (
        "future event time",
        {"event_at": FUTURE, "referred_at": FUTURE + datetime.timedelta(hours=1)},
        {
            "event_at": ["The event time cannot be in the future."],
            "referred_at": ["The referral time cannot be in the future."],
        },
    ),
    (
        "event after the referral",
        {"event_at": PAST + datetime.timedelta(hours=2)},
        {"event_at": ["The event must be before the referral."]},
    ),
    (
        "missing first name",
        {"first_name": ""},
        {"first_name": ["Enter the young person's first name"]},
    ),
    (
        "missing date of birth",
        {"date_of_birth": ""},
        {"date_of_birth": ["Enter date of birth"]},
    ),
    (
        "missing event time",
        {"event_at": None},
        {"event_at": ["Enter when the event happened"]},
    ),
    (
        "over-long last name",
        {"last_name": "B" * 101},
        {"last_name": ["The last name must be 100 characters or fewer."]},
    ),
    (
        "another partnership's programme",
        {"programme": lambda d: d["theirs"]},
        {"programme": ["Choose one of your programmes."]},
    ),
    (
        "another partnership's neighbourhood",
        {"home_lsoa": lambda d: d["their_lsoa"].code},
        {"home_lsoa": ["Enter a neighbourhood (LSOA code) in your partnership's area."]},
    ),
    (
        "an assignee not on the programme's staff",
        {"assigned_to": lambda d: d["outsider"]},
        {"assigned_to": ["Assign the referral to a member of the programme's staff."]},
    ),
    (
        "too old for the programme",
        {"date_of_birth": "1990-01-01"},
        {
            "date_of_birth": [
                "ReRoute takes young people aged 10 to 25; this young person was "
                f"{PAST.year - 1990}."
            ]
        },
    ),
]


def _not_yours(changes) -> bool:
    """A case of another partnership's programme: a direct call of the service with a
    programme the actor may not use is not a form to correct but a PermissionDenied (tested
    below), as it is for every service."""
    return "programme" in changes


@pytest.mark.parametrize("door", REFERRAL_DOORS)
@pytest.mark.parametrize(
    ("changes", "refusal"), [c[1:] for c in REFERRAL_CASES], ids=[c[0] for c in REFERRAL_CASES]
)
def test_an_invalid_referral_is_refused_alike_at_every_door(doors, door, changes, refusal):
    if door == "service" and _not_yours(changes):
        pytest.skip("a service refuses another partnership's programme as PermissionDenied")
    values = _referral(doors, **changes)

    errors = REFERRAL_DOORS[door](doors, values)

    assert errors == refusal
    assert not Referral.objects.exists()


@pytest.mark.parametrize("door", REFERRAL_DOORS)
def test_a_valid_referral_goes_in_at_every_door(doors, door):
    assert REFERRAL_DOORS[door](doors, _referral(doors)) == {}
    assert Referral.objects.count() == 1


# --- Contacts and outcomes (the referral's page and the API) -----------------------------


@pytest.fixture
def referral(doors):
    return ReferralFactory(programme=doors["programme"], event_at=PAST, referred_at=PAST)


CONTACT = {"occurred_at": PAST + datetime.timedelta(hours=2), "method": "phone", "duration": 30}


def contact_by_page(doors, referral, values) -> dict:
    data = {
        "contact-method": values["method"] or "",
        "contact-duration_minutes": str(values["duration"]),
    }
    if values["occurred_at"]:
        data.update(govuk_date("contact-occurred_at", _when(values["occurred_at"])))
    response = doors["page"].post(f"/programmes/referrals/{referral.pk}/contacts/", data)
    return {} if response.status_code == 302 else _page_errors(response)


def contact_by_api(doors, referral, values) -> dict:
    body = {"referral": referral.pk, "duration_minutes": values["duration"]}
    if values["method"]:
        body["method"] = values["method"]
    if values["occurred_at"]:
        body["occurred_at"] = values["occurred_at"].isoformat()
    return _api_errors(doors["api"].post("/api/contacts/", body, format="json"))


def contact_by_service(doors, referral, values) -> dict:
    return _service_errors(
        lambda: services.contact_record(
            actor=doors["manager"],
            referral=referral,
            occurred_at=values["occurred_at"],
            method=values["method"],
            duration_minutes=values["duration"],
        )
    )


CONTACT_DOORS = {"page": contact_by_page, "api": contact_by_api, "service": contact_by_service}

CONTACT_CASES = [
    (
        "future contact",
        {"occurred_at": FUTURE},
        {"occurred_at": ["A contact cannot be in the future."]},
    ),
    (
        "contact before the event",
        {"occurred_at": PAST - datetime.timedelta(hours=1)},
        {"occurred_at": ["A contact cannot be before the event."]},
    ),
    (
        "missing time",
        {"occurred_at": None},
        {"occurred_at": ["Enter when the contact happened"]},
    ),
    ("missing method", {"method": ""}, {"method": ["Select method"]}),
    ("unknown method", {"method": "pigeon"}, {"method": ["Unknown contact method “pigeon”."]}),
    (
        "over a day long",
        {"duration": 1441},
        {"duration_minutes": ["A contact cannot last more than 1440 minutes (24 hours)."]},
    ),
    (
        "negative duration",
        {"duration": -5},
        {"duration_minutes": ["A contact cannot last less than 0 minutes."]},
    ),
]


@pytest.mark.parametrize("door", CONTACT_DOORS)
@pytest.mark.parametrize(
    ("changes", "refusal"), [c[1:] for c in CONTACT_CASES], ids=[c[0] for c in CONTACT_CASES]
)
def test_an_invalid_contact_is_refused_alike_at_every_door(doors, referral, door, changes, refusal):
    errors = CONTACT_DOORS[door](doors, referral, {**CONTACT, **changes})

    assert errors == refusal
    assert not Contact.objects.exists()


@pytest.mark.parametrize("door", CONTACT_DOORS)
def test_a_closed_referral_takes_no_contact_at_any_door(doors, referral, door):
    services.referral_status_change(
        actor=None, referral=referral, to_status="closed", closure_reason="declined", at=PAST
    )

    errors = CONTACT_DOORS[door](doors, referral, CONTACT)

    assert errors == {"": ["A closed referral takes no more contacts."]}


OUTCOME = {"kind": "diverted", "achieved_on": PAST.date()}


def outcome_by_page(doors, referral, values) -> dict:
    data = {"outcome-kind": values["kind"] or ""}
    if values["achieved_on"]:
        data.update(govuk_date("outcome-achieved_on", values["achieved_on"].isoformat()))
    response = doors["page"].post(f"/programmes/referrals/{referral.pk}/outcomes/", data)
    return {} if response.status_code == 302 else _page_errors(response)


def outcome_by_api(doors, referral, values) -> dict:
    body = {"referral": referral.pk}
    if values["kind"]:
        body["kind"] = values["kind"]
    if values["achieved_on"]:
        body["achieved_on"] = values["achieved_on"].isoformat()
    return _api_errors(doors["api"].post("/api/outcomes/", body, format="json"))


def outcome_by_service(doors, referral, values) -> dict:
    return _service_errors(
        lambda: services.outcome_record(
            actor=doors["manager"],
            referral=referral,
            kind=values["kind"],
            achieved_on=values["achieved_on"],
        )
    )


OUTCOME_DOORS = {"page": outcome_by_page, "api": outcome_by_api, "service": outcome_by_service}

OUTCOME_CASES = [
    (
        "future outcome",
        {"achieved_on": FUTURE.date() + datetime.timedelta(days=1)},
        {"achieved_on": ["An outcome cannot be in the future."]},
    ),
    ("missing date", {"achieved_on": None}, {"achieved_on": ["Enter date achieved"]}),
    ("missing kind", {"kind": ""}, {"kind": ["Select outcome"]}),
    ("unknown kind", {"kind": "flying"}, {"kind": ["Unknown outcome “flying”."]}),
]


@pytest.mark.parametrize("door", OUTCOME_DOORS)
@pytest.mark.parametrize(
    ("changes", "refusal"), [c[1:] for c in OUTCOME_CASES], ids=[c[0] for c in OUTCOME_CASES]
)
def test_an_invalid_outcome_is_refused_alike_at_every_door(doors, referral, door, changes, refusal):
    errors = OUTCOME_DOORS[door](doors, referral, {**OUTCOME, **changes})

    assert errors == refusal
    assert not Outcome.objects.exists()


@pytest.mark.parametrize("door", OUTCOME_DOORS)
def test_an_outcome_twice_is_refused_alike_at_every_door(doors, referral, door):
    services.outcome_record(actor=None, referral=referral, **OUTCOME)

    errors = OUTCOME_DOORS[door](doors, referral, OUTCOME)

    assert errors == {"kind": ["This outcome is already recorded for the referral."]}
    assert Outcome.objects.count() == 1


# --- Sessions (the page; the API only reads them) ----------------------------------------

SESSION = {"kind": "group", "held_on": PAST.date(), "place": "Youth club", "lsoa": "", "boys": 3}


def session_by_page(doors, values) -> dict:
    data = {
        "programme": values["programme"].pk,
        "kind": values["kind"],
        "place": values["place"],
        "lsoa": values["lsoa"],
        "count_14-17_male": str(values["boys"]),
    }
    if values["held_on"]:
        data.update(govuk_date("held_on", values["held_on"].isoformat()))
    response = doors["page"].post("/programmes/sessions/new/", data)
    return {} if response.status_code == 302 else _page_errors(response)


def session_by_service(doors, values) -> dict:
    return _service_errors(
        lambda: services.session_record(
            actor=doors["manager"],
            programme=values["programme"],
            kind=values["kind"],
            held_on=values["held_on"],
            place=values["place"],
            lsoa=values["lsoa"] or None,
            counts={("14-17", "male"): values["boys"]},
        )
    )


SESSION_DOORS = {"page": session_by_page, "service": session_by_service}

SESSION_CASES = [
    (
        "future session",
        {"held_on": FUTURE.date() + datetime.timedelta(days=1)},
        {"held_on": ["A session cannot be in the future."]},
    ),
    ("missing date", {"held_on": None}, {"held_on": ["Enter date of the session"]}),
    ("missing place", {"place": ""}, {"place": ["Enter place"]}),
    (
        "over-long place",
        {"place": "P" * 201},
        {"place": ["The place must be 200 characters or fewer."]},
    ),
    (
        "another partnership's programme",
        {"programme": lambda d: d["theirs"]},
        {"programme": ["Choose one of your programmes."]},
    ),
    (
        "another partnership's neighbourhood",
        {"lsoa": lambda d: d["their_lsoa"].code},
        {"lsoa": ["Enter a neighbourhood (LSOA code) in your partnership's area."]},
    ),
    ("a negative count", {"boys": -1}, {"counts": ["Counts cannot be negative."]}),
]


@pytest.mark.parametrize("door", SESSION_DOORS)
@pytest.mark.parametrize(
    ("changes", "refusal"), [c[1:] for c in SESSION_CASES], ids=[c[0] for c in SESSION_CASES]
)
def test_an_invalid_session_is_refused_alike_at_every_door(doors, door, changes, refusal):
    if door == "service" and _not_yours(changes):
        pytest.skip("a service refuses another partnership's programme as PermissionDenied")
    values = {**SESSION, "programme": doors["programme"]}
    for name, change in changes.items():
        values[name] = change(doors) if callable(change) else change

    errors = SESSION_DOORS[door](doors, values)

    assert errors == refusal
    assert not Session.objects.exists()


def test_a_service_called_with_another_partnerships_programme_refuses_it(doors):
    with pytest.raises(PermissionDenied):
        referral_by_service(doors, _referral(doors, programme=doors["theirs"]))
    with pytest.raises(PermissionDenied):
        session_by_service(doors, {**SESSION, "programme": doors["theirs"]})
    assert not Referral.objects.exists()
    assert not Session.objects.exists()


# --- The doors that are not there ---------------------------------------------------------


@pytest.mark.parametrize("model", [Referral, Contact, Outcome, Session])
def test_the_admin_has_no_door_to_casework_records(client, partnership, model):
    """Referrals, contacts, outcomes and sessions are written only through the services (the
    one input, the clock, the notices, the audit trail): the admin's generic save would skip
    all of that, so the models are not in the admin, not even to read."""
    administrator = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])
    administrator.is_staff = True
    administrator.save(update_fields=["is_staff"])
    client.force_login(administrator)
    name = model._meta.model_name

    assert not admin.site.is_registered(model)
    assert client.get(f"/admin/programmes/{name}/add/").status_code == 404
    assert client.post(f"/admin/programmes/{name}/add/", {}).status_code == 404
    assert not model.objects.exists()


def test_the_api_only_reads_sessions(doors):
    response = doors["api"].post(
        "/api/sessions/", {"programme": doors["programme"].pk}, format="json"
    )

    assert response.status_code == 405
    assert not Session.objects.exists()


# --- The import's check stays a file's cost, and its loader takes only judged rows ----------


def test_the_imports_check_of_every_row_makes_no_query_a_row(doors, django_assert_num_queries):
    from programmes.services.imports import validation

    lsoa = LSOAFactory(partnership=doors["programme"].partnership)
    row = {**_row(_referral(doors)), "home_lsoa": lsoa.code, "assigned_to": "", "gender": "male"}
    rows = [{**row, "first_name": f"Dee{i}"} for i in range(50)]

    # the programme's eligibility, its staff and the partnership's neighbourhoods: once a file
    with django_assert_num_queries(3):
        clean, errors = validation.validate(programme=doors["programme"], rows=rows, now=NOW)

    assert errors == []
    assert len(clean) == 50


def test_the_loader_refuses_rows_the_input_has_not_judged(doors):
    from programmes.services.imports import loading

    row = {**_row(_referral(doors)), "row": 2, "match_index": "0" * 64}

    with pytest.raises(TypeError, match="judged"):
        loading.load_orm(
            programme=doors["programme"], clean=[row], actor_id=None, now=NOW, duplicate_of={}
        )
    assert not Referral.objects.exists()


def test_every_door_carries_only_fields_its_record_input_knows(doors):
    """A field a door takes that the record's input did not judge would be saved unchecked."""
    from programmes import forms, inputs
    from programmes import serializers as api
    from programmes.services.imports import OPTIONAL_COLUMNS, REQUIRED_COLUMNS

    page = forms.ReferralForm(
        programmes=Programme.objects.none(), staff=User.objects.none(), may_override=True
    )
    assert set(page.fields) <= set(inputs.REFERRAL_FIELDS)
    assert set(api.ReferralCreateInputSerializer().fields) <= set(inputs.REFERRAL_FIELDS)
    assert set(REQUIRED_COLUMNS + OPTIONAL_COLUMNS) <= set(inputs.REFERRAL_FIELDS)
    assert set(forms.ContactForm().fields) <= set(inputs.CONTACT_FIELDS)
    assert set(api.ContactInputSerializer().fields) - {"referral"} <= set(inputs.CONTACT_FIELDS)
    assert set(forms.OutcomeForm().fields) <= set(inputs.OUTCOME_FIELDS)
    assert set(api.OutcomeInputSerializer().fields) - {"referral"} <= set(inputs.OUTCOME_FIELDS)
    session = forms.SessionForm(programmes=Programme.objects.none())
    boxes = {name for name in session.fields if name.startswith("count_")}
    assert set(session.fields) - boxes <= set(inputs.SESSION_FIELDS)
