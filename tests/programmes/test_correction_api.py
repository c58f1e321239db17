"""Correcting a record through the API: the same rules, versions and audit as the pages
(one service); `why` and the version read are required; a correction over a newer version is
a 409; the identity only from a browser session with a recent password, never a token; the
version history reads as the page shows it."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from programmes import services
from programmes.api_corrections import IDENTITY_NEEDS_SESSION, PROGRAMME_NOT_CORRECTABLE
from programmes.models import Contact, RecordVersion, Referral, Session, SessionCount
from programmes.services.correction_rules import ASSIGN_REFUSED
from programmes.services.corrections import STALE, WHY_MISSING
from tests.factories import ProgrammeFactory, govuk_date, programme_staff
from tests.programmes.test_corrections import form_values
from vru import services as vru_services
from vru.models import ApiToken, AuditEvent

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(second=0, microsecond=0)
PAST = NOW - datetime.timedelta(days=3)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def case(partnership):
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute", max_age=25)
    practitioner = programme_staff(programme, "practitioner", username="pat")
    other = programme_staff(programme, "practitioner", username="oli")
    referral = services.referral_create(
        actor=practitioner,
        programme=programme,
        first_name="Sam",
        last_name="Smith",
        date_of_birth=datetime.date(2010, 5, 1),
        source="custody",
        reason="knife",
        event_at=PAST,
        referred_at=PAST + HOUR,
        address="1 High Stret",
    )
    contact = services.contact_record(
        actor=practitioner,
        referral=referral,
        occurred_at=PAST + 3 * HOUR,
        method="phone",
        duration_minutes=20,
    )
    outcome = services.outcome_record(
        actor=practitioner, referral=referral, kind="safety_plan", achieved_on=PAST.date()
    )
    session = services.session_record(
        actor=practitioner,
        programme=programme,
        kind="group",
        held_on=PAST.date(),
        place="Youth club",
        counts={("14-17", "male"): 4},
    )
    return {
        "programme": programme,
        "practitioner": practitioner,
        "other": other,
        "referral": Referral.objects.get(pk=referral.pk),
        "contact": contact,
        "outcome": outcome,
        "session": session,
    }


def _signed_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)  # a browser session
    return client


def test_a_contact_corrected_through_the_api_is_a_version_in_the_pages_history(client, case):
    api = _signed_in(case["practitioner"])
    contact = case["contact"]

    response = api.post(
        f"/api/contacts/{contact.pk}/corrections/",
        {"method": "video", "why": "It was a video call", "version": 1},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    assert response.json()["record"]["method"] == "video"
    assert Contact.objects.get().method == "video"
    row = RecordVersion.objects.get(kind="contact", object_id=contact.pk)
    assert (row.version, row.changed_by, row.why) == (
        2,
        case["practitioner"],
        "It was a video call",
    )
    assert AuditEvent.objects.filter(verb="contact.corrected").count() == 1
    client.force_login(case["practitioner"])
    page = client.get(case["referral"].get_absolute_url()).text
    assert "version 2" in page
    assert "It was a video call" in page
    assert "Video call" in page


def test_the_version_history_reads_as_the_page_shows_it(case):
    api = _signed_in(case["practitioner"])
    api.post(
        f"/api/contacts/{case['contact'].pk}/corrections/",
        {"method": "video", "why": "It was a video call", "version": 1},
        format="json",
    )

    history = api.get(f"/api/contacts/{case['contact'].pk}/versions/").json()

    assert history["version"] == 2
    [version] = history["versions"]
    assert version["version"] == 2
    assert version["why"] == "It was a video call"
    assert version["changed_by"] == str(case["practitioner"])
    assert version["changes"] == [
        {
            "field": "method",
            "label": "Method",
            "before": "Phone",
            "after": "Video call",
            "hidden": False,
        }
    ]
    case_history = api.get(f"/api/referrals/{case['referral'].pk}/versions/").json()
    assert case_history["version"] == 1  # the referral itself is not corrected
    assert case_history["versions"][0]["title"].endswith("version 2")


def test_a_correction_without_why_is_refused_in_the_pages_words(case):
    api = _signed_in(case["practitioner"])

    response = api.post(
        f"/api/outcomes/{case['outcome'].pk}/corrections/",
        {"notes": "Plan agreed with mum", "version": 1},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"why": [WHY_MISSING]}
    assert not RecordVersion.objects.exists()


def test_the_page_and_the_api_refuse_the_same_bad_correction_by_the_same_field(client, case):
    """A referral time after the case's first contact: refused on the page and by the API,
    on the same field, in the same words."""
    referral, later = case["referral"], PAST + 5 * HOUR
    client.force_login(case["practitioner"])
    url = f"/programmes/referrals/{referral.pk}/correct/"
    data = form_values(client.get(url))
    at = timezone.localtime(later).strftime("%Y-%m-%d %H:%M")
    page = client.post(url, {**data, **govuk_date("referred_at", at), "why": "typo"})

    api = _signed_in(case["practitioner"]).post(
        f"/api/referrals/{referral.pk}/corrections/",
        {"referred_at": later.isoformat(), "why": "typo", "version": 1},
        format="json",
    )

    assert page.status_code == api.status_code == 400
    page_errors = page.context["form"].errors
    assert list(page_errors) == list(api.json()) == ["referred_at"]
    assert page_errors["referred_at"] == api.json()["referred_at"]
    assert page_errors["referred_at"][0].startswith("The referral cannot be after the first")
    assert Referral.objects.get().referred_at == PAST + HOUR


def test_a_correction_over_a_newer_version_is_a_409_and_saves_nothing(case):
    services.outcome_correct(actor=None, outcome=case["outcome"], why="meanwhile", notes="x")
    api = _signed_in(case["practitioner"])

    response = api.post(
        f"/api/outcomes/{case['outcome'].pk}/corrections/",
        {"notes": "mine", "why": "mine", "version": 1},
        format="json",
    )

    assert response.status_code == 409
    assert response.json() == {"detail": STALE}
    assert RecordVersion.objects.get().why == "meanwhile"


def test_a_correction_needs_the_version_it_corrects(case):
    response = _signed_in(case["practitioner"]).post(
        f"/api/outcomes/{case['outcome'].pk}/corrections/",
        {"notes": "mine", "why": "mine"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["version"]


def test_the_programme_and_unknown_fields_are_not_corrected(case):
    response = _signed_in(case["practitioner"]).post(
        f"/api/referrals/{case['referral'].pk}/corrections/",
        {"programme": 99, "status": "closed", "why": "x", "version": 1},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["programme"] == [PROGRAMME_NOT_CORRECTABLE]
    assert "status" in response.json()


def test_an_api_token_cannot_change_the_identity(case):
    _, key = vru_services.api_token_create(
        actor=case["practitioner"], name="script", scope=ApiToken.Scope.ROLE
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    url = f"/api/referrals/{case['referral'].pk}/corrections/"

    refused = api.post(
        url, {"address": "1 High Street", "why": "typo", "version": 1}, format="json"
    )
    allowed = api.post(url, {"source": "school", "why": "typo", "version": 1}, format="json")

    assert refused.status_code == 403
    assert refused.json() == {"detail": IDENTITY_NEEDS_SESSION}
    assert allowed.status_code == 200, allowed.json()
    assert Referral.objects.get().source == "school"


def test_a_session_without_a_recent_password_cannot_change_the_identity(case, settings):
    settings.VRU_REAUTH_REQUIRED = True
    response = _signed_in(case["practitioner"]).post(
        f"/api/referrals/{case['referral'].pk}/corrections/",
        {"address": "1 High Street", "why": "typo", "version": 1},
        format="json",
    )

    assert response.status_code == 403
    assert not RecordVersion.objects.exists()


def test_an_identity_change_in_a_recently_proven_session_is_audited(case):
    # the tests' settings ask for no recent password (VRU_REAUTH_REQUIRED off)
    response = _signed_in(case["practitioner"]).post(
        f"/api/referrals/{case['referral'].pk}/corrections/",
        {"address": "1 High Street", "why": "typo", "version": 1},
        format="json",
    )

    assert response.status_code == 200, response.json()
    audit = AuditEvent.objects.get(verb="young_person.identity_changed")
    assert audit.changes["fields"] == ["address"]
    history = _signed_in(case["practitioner"]).get(
        f"/api/referrals/{case['referral'].pk}/versions/"
    )
    [change] = history.json()["versions"][0]["changes"]
    assert change["hidden"]
    assert "High" not in change["after"]


def test_who_may_not_write_the_record_may_not_correct_it(case, user_with_role):
    outsider = _signed_in(case["other"])  # another practitioner: not their case
    response = outsider.post(
        f"/api/contacts/{case['contact'].pk}/corrections/",
        {"method": "video", "why": "x", "version": 1},
        format="json",
    )
    assert response.status_code == 404
    assert outsider.get(f"/api/contacts/{case['contact'].pk}/versions/").status_code == 404
    assigning = _signed_in(case["practitioner"]).post(
        f"/api/referrals/{case['referral'].pk}/corrections/",
        {"assigned_to": case["other"].pk, "why": "x", "version": 1},
        format="json",
    )
    assert assigning.status_code == 403
    assert assigning.json() == {"detail": ASSIGN_REFUSED}
    assert Referral.objects.get().assigned_to == case["practitioner"]


def test_a_session_corrected_through_the_api_replaces_its_counts(case):
    response = _signed_in(case["practitioner"]).post(
        f"/api/sessions/{case['session'].pk}/corrections/",
        {
            "place": "Youth centre",
            "counts": [{"age_band": "14-17", "gender": "female", "count": 3}],
            "why": "miscounted",
            "version": 1,
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert Session.objects.get().place == "Youth centre"
    assert list(SessionCount.objects.values_list("age_band", "gender", "count")) == [
        ("14-17", "female", 3)
    ]
    assert response.json()["record"]["young_people"] == 3


def test_a_read_only_token_cannot_correct(case):
    _, key = vru_services.api_token_create(actor=case["practitioner"], name="reports")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = api.post(
        f"/api/outcomes/{case['outcome'].pk}/corrections/",
        {"notes": "x", "why": "x", "version": 1},
        format="json",
    )

    assert response.status_code == 403
    assert api.get(f"/api/outcomes/{case['outcome'].pk}/versions/").status_code == 200
    assert not RecordVersion.objects.exists()


def test_a_session_count_is_given_once(case):
    twice = [{"age_band": "14-17", "gender": "female", "count": n} for n in (3, 4)]
    response = _signed_in(case["practitioner"]).post(
        f"/api/sessions/{case['session'].pk}/corrections/",
        {"counts": twice, "why": "miscounted", "version": 1},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"counts": ["Give each age band and gender once."]}
