"""Correcting a record: whoever may write a referral, a contact, an outcome or a session may
correct it, saying why; the correction is judged by the same rules as a new record; every
correction is kept as a version (who, when, why, before and after, encrypted); a change of
identity needs a recent password and is audited; a save over someone else's newer version is
refused."""

import datetime
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from programmes import inputs, selectors, services
from programmes.models import RecordVersion, Referral, SessionCount
from programmes.services.corrections import REAUTH_NEEDED, STALE, WHY_MISSING
from tests.factories import (
    LSOAFactory,
    ProgrammeFactory,
    UserFactory,
    govuk_date,
    programme_staff,
)
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(second=0, microsecond=0)
PAST = NOW - datetime.timedelta(days=3)


@pytest.fixture
def case(partnership):
    """ReRoute, its practitioner holding one referral with a home neighbourhood and an
    address, one contact and one outcome; and two neighbourhoods of the partnership."""
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute", max_age=25)
    practitioner = programme_staff(programme, "practitioner", username="pat")
    home, moved = LSOAFactory(partnership=partnership), LSOAFactory(partnership=partnership)
    referral = services.referral_create(
        actor=practitioner,
        programme=programme,
        first_name="Sam",
        last_name="Smith",
        date_of_birth=datetime.date(2010, 5, 1),
        source="custody",
        reason="knife",
        event_at=PAST,
        referred_at=PAST + datetime.timedelta(hours=1),
        home_lsoa=home.code,
        address="1 High Stret",
        postcode="CM1 1AA",
    )
    contact = services.contact_record(
        actor=practitioner,
        referral=referral,
        occurred_at=PAST + datetime.timedelta(hours=3),
        method="phone",
        duration_minutes=20,
        notes="Spoke to mum",
    )
    outcome = services.outcome_record(
        actor=practitioner, referral=referral, kind="safety_plan", achieved_on=PAST.date()
    )
    return {
        "programme": programme,
        "practitioner": practitioner,
        "referral": Referral.objects.get(pk=referral.pk),
        "contact": contact,
        "outcome": outcome,
        "home": home,
        "moved": moved,
    }


# --- The service --------------------------------------------------------------------------


def test_a_correction_is_kept_as_version_2_with_who_when_why_and_before_and_after(case):
    referral, practitioner = case["referral"], case["practitioner"]

    services.referral_correct(
        actor=practitioner,
        referral=referral,
        why="The address was typed wrongly and they live in the next street",
        version=1,
        reauthenticated=True,
        address="1 High Street",
        home_lsoa=case["moved"].code,
    )

    referral.refresh_from_db()
    assert referral.lsoa == case["moved"]
    assert referral.young_person.home_lsoa == case["moved"]
    assert referral.young_person.identity.address == "1 High Street"
    row = RecordVersion.objects.get()
    assert (row.kind, row.object_id, row.version) == ("referral", referral.pk, 2)
    assert row.changed_by == practitioner
    assert row.fields == ["address", "home_lsoa"]
    assert row.changes() == {
        "address": ["1 High Stret", "1 High Street"],
        "home_lsoa": [str(case["home"]), str(case["moved"])],
    }
    assert services.current_version("referral", referral.pk) == 2


def test_the_old_and_new_values_and_the_reason_are_encrypted_in_the_table(case):
    services.referral_correct(
        actor=case["practitioner"],
        referral=case["referral"],
        why="Smith is spelt Smyth",
        reauthenticated=True,
        last_name="Smyth",
    )

    with connection.cursor() as cursor:
        cursor.execute('SELECT why, "values", fields FROM programmes_recordversion')
        stored = " ".join(str(v) for v in cursor.fetchone())
    assert "Smith" not in stored
    assert "Smyth" not in stored
    assert "last_name" in stored  # only the field's name is in the clear


def test_a_correction_needs_a_reason(case):
    with pytest.raises(ValidationError) as refused:
        services.referral_correct(
            actor=case["practitioner"], referral=case["referral"], why="  ", source="school"
        )

    assert refused.value.message_dict == {"why": [WHY_MISSING]}
    assert not RecordVersion.objects.exists()
    assert Referral.objects.get().source == "custody"


def test_a_correction_that_changes_nothing_is_refused(case):
    with pytest.raises(ValidationError) as refused:
        services.referral_correct(
            actor=case["practitioner"], referral=case["referral"], why="x", source="custody"
        )

    assert refused.value.messages == [inputs.NOTHING_CHANGED]


def test_a_save_over_a_newer_version_is_refused_never_overwriting(case):
    # given two people who opened the referral at version 1; the first saves
    referral, practitioner = case["referral"], case["practitioner"]
    services.referral_correct(
        actor=practitioner, referral=referral, why="wrong source", version=1, source="school"
    )

    # when the second saves what they typed on their page of version 1
    with pytest.raises(ValidationError) as refused:
        services.referral_correct(
            actor=practitioner, referral=referral, why="other", version=1, source="hospital"
        )

    # then it is refused with a message saying why, and the first one's change stands
    assert refused.value.messages == [STALE]
    assert Referral.objects.get().source == "school"
    assert RecordVersion.objects.count() == 1


def test_changing_the_identity_needs_a_recent_password(case):
    with pytest.raises(PermissionDenied, match="Confirm it is you"):
        services.referral_correct(
            actor=case["practitioner"],
            referral=case["referral"],
            why="typo",
            reauthenticated=False,
            address="1 High Street",
        )

    assert case["referral"].young_person.identity.address == "1 High Stret"
    assert not RecordVersion.objects.exists()
    assert REAUTH_NEEDED.startswith("Confirm it is you")


def test_a_change_of_identity_is_audited_naming_the_fields_never_their_values(case):
    services.referral_correct(
        actor=case["practitioner"],
        referral=case["referral"],
        why="typo",
        reauthenticated=True,
        first_name="Samuel",
        date_of_birth=datetime.date(2010, 6, 1),
    )

    event = AuditEvent.objects.get(verb="young_person.identity_changed")
    assert event.actor == case["practitioner"]
    assert event.changes["fields"] == ["date_of_birth", "first_name"]
    assert "Samuel" not in str(event.changes)
    assert AuditEvent.objects.filter(verb="referral.corrected").count() == 1
    # the date of birth sets the age and the duplicate key again
    referral = Referral.objects.get()
    identity = referral.young_person.identity
    assert identity.match_index == identity.index_for("Samuel", "Smith", datetime.date(2010, 6, 1))


def test_a_corrected_name_and_birth_date_are_what_the_caseload_search_finds(case, client):
    practitioner = case["practitioner"]
    services.referral_correct(
        actor=practitioner,
        referral=case["referral"],
        why="typo",
        reauthenticated=True,
        first_name="Samuel",
        date_of_birth=datetime.date(2010, 6, 1),
    )
    client.force_login(practitioner)

    def references(q):
        page = client.get("/programmes/caseload/", {"q": q})
        return [row["young_person__reference"] for row in page.context["page_obj"].object_list]

    reference = case["referral"].young_person.reference
    assert references("Samuel") == [reference]
    assert references("01/06/2010") == [reference]
    assert references("Sam") == []  # the old first name is gone from the index


def test_home_area_is_not_identity_and_needs_no_recent_password(case):
    services.referral_correct(
        actor=case["practitioner"],
        referral=case["referral"],
        why="moved before the arrest",
        reauthenticated=False,
        home_lsoa=case["moved"].code,
    )

    assert Referral.objects.get().lsoa == case["moved"]
    assert not AuditEvent.objects.filter(verb="young_person.identity_changed").exists()


@pytest.mark.parametrize(
    "role", [Role.COMMISSIONER, Role.YOUTH_REVIEWER, Role.ANALYST, Role.PRACTITIONER]
)
def test_only_those_who_may_write_the_case_may_correct_it(case, partnership, role):
    # a practitioner of the programme who does not hold the case, and roles without cases
    if role == Role.PRACTITIONER:
        someone = programme_staff(case["programme"], "practitioner")
    else:
        someone = UserFactory(partnership=partnership, roles=[role])
    calls = [
        lambda: services.referral_correct(
            actor=someone, referral=case["referral"], why="x", source="school"
        ),
        lambda: services.contact_correct(
            actor=someone, contact=case["contact"], why="x", method="video"
        ),
        lambda: services.outcome_correct(
            actor=someone, outcome=case["outcome"], why="x", notes="x"
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert not RecordVersion.objects.exists()


def test_a_manager_and_an_administrator_may_correct_the_case(case, partnership):
    manager = programme_staff(case["programme"], "manager")
    admin = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])

    services.referral_correct(actor=manager, referral=case["referral"], why="a", source="school")
    services.referral_correct(actor=admin, referral=case["referral"], why="b", source="hospital")

    assert [v.changed_by for v in RecordVersion.objects.order_by("version")] == [manager, admin]


def test_a_contact_correction_moves_the_first_contact_with_it(case):
    # (not before the status change the contact made: a new contact there is refused too)
    referral, contact = case["referral"], case["contact"]
    later = PAST + datetime.timedelta(hours=3, minutes=30)

    services.contact_correct(
        actor=case["practitioner"],
        contact=contact,
        why="It was half an hour later",
        version=1,
        occurred_at=later,
        notes="Spoke to dad",
    )

    referral.refresh_from_db()
    assert referral.first_contact_at == later
    row = RecordVersion.objects.get(kind="contact")
    assert row.referral == referral
    assert row.changes()["notes"] == ["Spoke to mum", "Spoke to dad"]


def test_a_session_correction_replaces_its_counts(case):
    session = services.session_record(
        actor=case["practitioner"],
        programme=case["programme"],
        kind="group",
        held_on=PAST.date(),
        place="Youth club",
        counts={("14-17", "male"): 4},
    )

    services.session_correct(
        actor=case["practitioner"],
        session=session,
        why="Two girls were counted as boys",
        version=1,
        counts={("14-17", "male"): 2, ("14-17", "female"): 2},
        place="Youth centre",
    )

    counts = {(c.age_band, c.gender): c.count for c in SessionCount.objects.filter(session=session)}
    assert counts == {("14-17", "male"): 2, ("14-17", "female"): 2}
    row = RecordVersion.objects.get(kind="session")
    assert row.changes()["counts"] == [
        {"14-17 / male": 4},
        {"14-17 / male": 2, "14-17 / female": 2},
    ]


def test_retention_deletes_a_cases_versions_with_its_identity(case):
    referral = case["referral"]
    services.referral_correct(actor=None, referral=referral, why="typo", address="1 High Street")
    services.referral_status_change(
        actor=None, referral=referral, to_status="closed", closure_reason="completed"
    )

    services.retention_anonymise(now=NOW + datetime.timedelta(days=3650))

    assert not RecordVersion.objects.exists()


# --- The same rules as a new record --------------------------------------------------------

REFERRAL_REFUSALS = [
    ("missing first name", {"first_name": ""}, "first_name"),
    ("over-long last name", {"last_name": "B" * 101}, "last_name"),
    ("an e-mail address that is not one", {"email": "not-an-address"}, "email"),
    ("too old for the programme", {"date_of_birth": datetime.date(1990, 1, 1)}, "date_of_birth"),
    ("an unknown reason", {"reason": "juggling"}, "reason"),
    (
        "consent given in the future",
        {"consent_given_at": NOW + datetime.timedelta(days=2)},
        "consent_given_at",
    ),
]


@pytest.mark.parametrize(
    ("changes", "field"), [c[1:] for c in REFERRAL_REFUSALS], ids=[c[0] for c in REFERRAL_REFUSALS]
)
def test_a_correction_is_refused_what_a_new_referral_is_refused(case, changes, field):
    practitioner = case["practitioner"]
    new = {
        "programme": case["programme"],
        "first_name": "Al",
        "last_name": "Jones",
        "date_of_birth": datetime.date(2011, 1, 1),
        "source": "custody",
        "reason": "knife",
        "event_at": PAST,
        "referred_at": PAST + datetime.timedelta(hours=1),
    }
    with pytest.raises(ValidationError) as on_create:
        services.referral_create(actor=practitioner, **{**new, **changes})
    with pytest.raises(ValidationError) as on_correct:
        services.referral_correct(
            actor=practitioner,
            referral=case["referral"],
            why="x",
            reauthenticated=True,
            **changes,
        )

    assert on_correct.value.message_dict == {field: on_create.value.message_dict[field]}


CONTACT_REFUSALS = [
    ("future contact", {"occurred_at": NOW + datetime.timedelta(days=2)}),
    ("contact before the event", {"occurred_at": PAST - datetime.timedelta(hours=1)}),
    ("unknown method", {"method": "pigeon"}),
    ("over a day long", {"duration_minutes": 1441}),
    ("over-long next step", {"next_step": "x" * 301}),
]


@pytest.mark.parametrize(
    "changes", [c[1] for c in CONTACT_REFUSALS], ids=[c[0] for c in CONTACT_REFUSALS]
)
def test_a_contact_correction_is_refused_what_a_new_contact_is_refused(case, changes):
    new = {"occurred_at": PAST + datetime.timedelta(hours=4), "method": "phone"}
    with pytest.raises(ValidationError) as on_create:
        services.contact_record(
            actor=case["practitioner"], referral=case["referral"], **{**new, **changes}
        )
    with pytest.raises(ValidationError) as on_correct:
        services.contact_correct(
            actor=case["practitioner"], contact=case["contact"], why="x", **changes
        )

    assert on_correct.value.message_dict == on_create.value.message_dict


def test_an_outcome_cannot_be_corrected_into_one_the_case_already_has(case):
    services.outcome_record(
        actor=None, referral=case["referral"], kind="onward", achieved_on=PAST.date()
    )

    with pytest.raises(ValidationError) as refused:
        services.outcome_correct(
            actor=case["practitioner"], outcome=case["outcome"], why="x", kind="onward"
        )

    assert refused.value.message_dict == {"kind": [inputs.OUTCOME_ALREADY]}


def test_a_contact_on_a_case_closed_since_can_still_be_corrected(case):
    # the rule "a closed referral takes no more contacts" is about new contacts: the old
    # contact had it already, so correcting its notes is not refused for it
    services.referral_status_change(
        actor=None, referral=case["referral"], to_status="closed", closure_reason="completed"
    )

    services.contact_correct(
        actor=case["practitioner"], contact=case["contact"], why="x", notes="Spoke to dad"
    )

    assert RecordVersion.objects.filter(kind="contact").exists()


# --- The pages ------------------------------------------------------------------------------


class _FormValues(HTMLParser):
    """What a browser would send back from the page's correction form, unchanged."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea = self._select = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method") == "post" and "action" not in attrs:
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and attrs.get("type") not in {"submit", "button"}:
            if attrs.get("type") in {"radio", "checkbox"} and "checked" not in attrs:
                return
            self.values[attrs["name"]] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]
            self.values.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.lstrip("\n")


def form_values(response) -> dict[str, str]:
    parser = _FormValues()
    parser.feed(response.text)
    parser.values.pop("csrfmiddlewaretoken", None)
    return parser.values


def test_a_practitioner_corrects_the_address_on_the_page_and_sees_the_history(client, case):
    referral = case["referral"]
    client.force_login(case["practitioner"])
    url = f"/programmes/referrals/{referral.pk}/correct/"
    page = client.get(url)
    assert page.status_code == 200
    data = form_values(page)
    assert data["address"] == "1 High Stret"
    assert data["version"] == "1"

    done = client.post(url, {**data, "address": "1 High Street", "why": "Typed wrongly at custody"})

    assert done.status_code == 302
    assert done["Location"] == referral.get_absolute_url()
    shown = client.get(referral.get_absolute_url()).text
    assert "Version history" in shown
    assert "Referral, version 2" in shown
    assert "Typed wrongly at custody" in shown
    assert "1 High Stret" in shown
    assert "1 High Street" in shown


def test_the_page_refuses_a_correction_without_a_reason(client, case):
    client.force_login(case["practitioner"])
    url = f"/programmes/referrals/{case['referral'].pk}/correct/"
    data = form_values(client.get(url))

    response = client.post(url, {**data, "source": "school"})

    assert response.status_code == 400
    assert response.context["form"].errors == {"why": [WHY_MISSING]}
    assert not RecordVersion.objects.exists()


def test_the_page_refuses_a_save_over_a_newer_version(client, case):
    client.force_login(case["practitioner"])
    url = f"/programmes/referrals/{case['referral'].pk}/correct/"
    data = form_values(client.get(url))
    services.referral_correct(
        actor=None, referral=case["referral"], why="meanwhile", source="hospital"
    )

    response = client.post(url, {**data, "source": "school", "why": "mine"})

    assert response.status_code == 400
    assert STALE in response.text
    assert Referral.objects.get().source == "hospital"


def test_the_page_refuses_what_the_new_referral_page_refuses(client, case):
    client.force_login(case["practitioner"])
    url = f"/programmes/referrals/{case['referral'].pk}/correct/"
    data = form_values(client.get(url))

    response = client.post(url, {**data, **govuk_date("date_of_birth", "1990-01-01"), "why": "x"})

    assert response.status_code == 400
    assert (
        response.context["form"]
        .errors["date_of_birth"][0]
        .startswith("ReRoute takes young people aged")
    )


def test_without_a_recent_password_the_page_corrects_all_but_the_identity(client, case, settings):
    settings.VRU_REAUTH_REQUIRED = True
    client.force_login(case["practitioner"])  # no recent proof of who they are
    url = f"/programmes/referrals/{case['referral'].pk}/correct/"
    page = client.get(url)
    data = form_values(page)
    assert "address" not in data
    assert "first_name" not in data
    assert "Confirm it is you" in page.text
    assert not AuditEvent.objects.filter(verb="young_person.identity_viewed").exists()

    done = client.post(url, {**data, "home_lsoa": case["moved"].code, "why": "moved"})

    assert done.status_code == 302
    assert Referral.objects.get().lsoa == case["moved"]


def test_an_identity_sent_after_the_password_became_too_old_is_not_saved(client, case, settings):
    # given a page loaded with the identity; by the time it is sent, the password is too old
    client.force_login(case["practitioner"])
    url = f"/programmes/referrals/{case['referral'].pk}/correct/"
    data = form_values(client.get(url))
    settings.VRU_REAUTH_REQUIRED = True

    response = client.post(url, {**data, "address": "Elsewhere", "why": "moved"})

    assert response.status_code == 400
    assert "Confirm it is you" in response.context["form"].non_field_errors()[0]
    assert Referral.objects.get().young_person.identity.address == "1 High Stret"
    assert not RecordVersion.objects.exists()


def test_a_contact_and_a_session_are_corrected_on_their_pages(client, case):
    client.force_login(case["practitioner"])
    url = f"/programmes/contacts/{case['contact'].pk}/correct/"
    data = form_values(client.get(url))
    done = client.post(url, {**data, "method": "video", "why": "It was a video call"})
    assert done.status_code == 302
    session = services.session_record(
        actor=case["practitioner"],
        programme=case["programme"],
        kind="group",
        held_on=PAST.date(),
        place="Youth club",
        counts={("14-17", "male"): 4},
    )
    url = f"/programmes/sessions/{session.pk}/correct/"
    data = form_values(client.get(url))
    done = client.post(url, {**data, "place": "Youth centre", "why": "renamed"})
    assert done.status_code == 302, done.context["form"].errors
    page = client.get(session.get_absolute_url()).text
    assert "Youth club" in page
    assert "Youth centre" in page
    assert "renamed" in page
    history = selectors.record_history(
        viewer=case["practitioner"], kind="contact", object_id=case["contact"].pk
    )
    assert [(c.label, c.before, c.after) for c in history[0].changes] == [
        ("Method", "Phone", "Video call")
    ]


def test_the_history_hides_identity_values_where_the_identity_is_not_shown(case):
    services.referral_correct(
        actor=None, referral=case["referral"], why="typo", address="1 High Street"
    )

    hidden = selectors.case_history(
        viewer=case["practitioner"], referral=case["referral"], show_identity=False
    )
    shown = selectors.case_history(
        viewer=case["practitioner"], referral=case["referral"], show_identity=True
    )

    assert hidden[0].changes[0].hidden
    assert "High" not in hidden[0].changes[0].after
    assert (shown[0].changes[0].before, shown[0].changes[0].after) == (
        "1 High Stret",
        "1 High Street",
    )
