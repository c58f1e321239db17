"""Consent that fits children: who gave it, when it must be reconfirmed, and the under-13
rule, the same at every door (page, API, spreadsheet import, service); an expired consent
shows on the caseload and the referral page, at a fixed number of queries."""

import csv
import datetime
import io

import pytest
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from programmes import services
from programmes.inputs.consent import UNDER_13_NEEDS_PARENT, add_months
from programmes.models import Referral
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory, govuk_date
from vru.models import Role

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(second=0, microsecond=0)
TODAY = timezone.localdate(NOW)
EVENT = NOW - datetime.timedelta(days=2)
CONSENTED = NOW - datetime.timedelta(days=1)
# eleven on the day consent was given, and nineteen
CHILD = TODAY.replace(year=TODAY.year - 11) - datetime.timedelta(days=10)
ADULT = TODAY.replace(year=TODAY.year - 19) - datetime.timedelta(days=10)


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def doors(client, partnership):
    programme = ProgrammeFactory(partnership=partnership, name="Young start", min_age=8)
    manager = UserFactory(partnership=partnership, roles=[Role.PROGRAMME_MANAGER])
    services.programme_staff_set(actor=None, programme=programme, user=manager, role="manager")
    client.force_login(manager)
    api = APIClient()
    api.force_authenticate(manager)
    return {"programme": programme, "manager": manager, "page": client, "api": api}


def by_page(doors, born, consent):
    data = {
        "programme": doors["programme"].pk,
        "first_name": "Kit",
        "last_name": "Young",
        "source": "custody",
        "reason": "knife",
        "gender": "not_said",
        "ethnicity": "not_said",
        "education_status": "unknown",
        "consent_given_by": consent.get("consent_given_by", ""),
        "parental_consent_not_needed": consent.get("parental_consent_not_needed", ""),
        **govuk_date("date_of_birth", born.isoformat()),
        **govuk_date("event_at", _when(EVENT)),
        **govuk_date("referred_at", _when(EVENT + datetime.timedelta(hours=1))),
        **govuk_date("consent_given_at", _when(CONSENTED)),
    }
    if consent.get("consent_reconfirm_by"):
        data.update(govuk_date("consent_reconfirm_by", consent["consent_reconfirm_by"]))
    response = doors["page"].post("/programmes/referrals/new/", data)
    if response.status_code == 302:
        return {}
    return {name: list(messages) for name, messages in response.context["form"].errors.items()}


def by_api(doors, born, consent):
    body = {
        "programme": doors["programme"].pk,
        "first_name": "Kit",
        "last_name": "Young",
        "date_of_birth": born.isoformat(),
        "source": "custody",
        "reason": "knife",
        "event_at": EVENT.isoformat(),
        "referred_at": (EVENT + datetime.timedelta(hours=1)).isoformat(),
        "consent_given_at": CONSENTED.isoformat(),
        **consent,
    }
    response = doors["api"].post("/api/referrals/", body, format="json")
    if response.status_code == 201:
        return {}
    assert response.status_code == 400, response.content
    return response.json()


def by_import(doors, born, consent):
    row = {
        "first_name": "Kit",
        "last_name": "Young",
        "date_of_birth": born.isoformat(),
        "reason": "knife",
        "event_at": _when(EVENT),
        "consent_given_by": "",
        "consent_given_at": _when(CONSENTED),
        "consent_reconfirm_by": "",
        "parental_consent_not_needed": "",
        **consent,
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    outcome = services.referrals_import(
        actor=doors["manager"],
        programme=doors["programme"],
        rows=services.read_rows(file_name="custody.csv", content=out.getvalue().encode()),
    )
    errors: dict[str, list[str]] = {}
    for error in outcome.errors:
        errors.setdefault(error.column, []).append(error.message)
    return errors


def by_service(doors, born, consent):
    from django.core.exceptions import ValidationError

    reconfirm = consent.get("consent_reconfirm_by")
    try:
        services.referral_create(
            actor=doors["manager"],
            programme=doors["programme"],
            first_name="Kit",
            last_name="Young",
            date_of_birth=born,
            source="custody",
            reason="knife",
            event_at=EVENT,
            referred_at=EVENT + datetime.timedelta(hours=1),
            consent_given_at=CONSENTED,
            consent_given_by=consent.get("consent_given_by", ""),
            consent_reconfirm_by=datetime.date.fromisoformat(reconfirm) if reconfirm else None,
            parental_consent_not_needed=consent.get("parental_consent_not_needed", ""),
        )
    except ValidationError as refused:
        return refused.message_dict
    return {}


DOORS = {"page": by_page, "api": by_api, "import": by_import, "service": by_service}


@pytest.mark.parametrize("door", DOORS)
def test_an_under_13_who_consented_alone_is_refused_at_every_door(doors, door):
    errors = DOORS[door](doors, CHILD, {"consent_given_by": "young_person"})

    assert errors == {"consent_given_by": [UNDER_13_NEEDS_PARENT]}
    assert not Referral.objects.exists()


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("given_by", ["parent", "both"])
def test_an_under_13_with_a_parents_or_carers_consent_is_accepted_at_every_door(
    doors, door, given_by
):
    assert DOORS[door](doors, CHILD, {"consent_given_by": given_by}) == {}

    referral = Referral.objects.get()
    assert referral.consent_given_by == given_by
    assert referral.parental_consent_not_needed == ""


@pytest.mark.parametrize("door", DOORS)
def test_an_under_13_alone_is_accepted_when_the_practitioner_says_why_at_every_door(doors, door):
    why = "Gillick competent; asked that her parents are not told"
    consent = {"consent_given_by": "young_person", "parental_consent_not_needed": why}

    assert DOORS[door](doors, CHILD, consent) == {}

    assert Referral.objects.get().parental_consent_not_needed == why


@pytest.mark.parametrize("door", DOORS)
def test_a_young_person_of_13_or_more_may_consent_alone_at_every_door(doors, door):
    assert DOORS[door](doors, ADULT, {"consent_given_by": "young_person"}) == {}


@pytest.mark.parametrize("door", DOORS)
def test_consent_is_reconfirmed_a_year_after_it_was_given_unless_another_day_is_set(doors, door):
    DOORS[door](doors, ADULT, {"consent_given_by": "young_person"})

    given_on = timezone.localdate(CONSENTED)
    assert Referral.objects.get().consent_reconfirm_by == add_months(given_on, 12)


@pytest.mark.parametrize("door", DOORS)
def test_a_day_to_reconfirm_before_consent_was_given_is_refused_at_every_door(doors, door):
    before = (timezone.localdate(CONSENTED) - datetime.timedelta(days=3)).isoformat()

    errors = DOORS[door](
        doors, ADULT, {"consent_given_by": "parent", "consent_reconfirm_by": before}
    )

    assert errors == {
        "consent_reconfirm_by": ["The day to reconfirm consent must be after consent was given."]
    }


def test_the_reconfirmation_period_is_a_setting(doors, settings):
    settings.VRU_CONSENT_RECONFIRM_MONTHS = 6

    by_service(doors, ADULT, {"consent_given_by": "both"})

    given_on = timezone.localdate(CONSENTED)
    assert Referral.objects.get().consent_reconfirm_by == add_months(given_on, 6)


def test_months_are_added_to_the_last_day_of_a_shorter_month():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)


# --- Expiry on the caseload and the referral page ------------------------------------------


def _consented(programme, practitioner, *, reconfirm_by, withdrawn=False):
    referral = ReferralFactory(
        programme=programme,
        assigned_to=practitioner,
        consent_given_by="parent",
        consent_given_at=NOW - datetime.timedelta(days=400),
    )
    Referral.objects.filter(pk=referral.pk).update(
        consent_reconfirm_by=reconfirm_by,
        consent_withdrawn_at=NOW if withdrawn else None,
    )
    return referral


@pytest.fixture
def casework(client, partnership):
    programme = ProgrammeFactory(partnership=partnership)
    practitioner = UserFactory(partnership=partnership, roles=[Role.PRACTITIONER])
    services.programme_staff_set(
        actor=None, programme=programme, user=practitioner, role="practitioner"
    )
    client.force_login(practitioner)
    return programme, practitioner, client


def _row_of(html: str, reference: str) -> str:
    start = html.index(f">{reference}</a>")
    return html[start : html.index("</tr>", start)]


def test_an_expired_consent_shows_on_the_caseload_and_the_referral_page(casework):
    programme, practitioner, client = casework
    expired = _consented(programme, practitioner, reconfirm_by=TODAY - datetime.timedelta(days=1))
    soon = TODAY + datetime.timedelta(days=10)
    due_soon = _consented(programme, practitioner, reconfirm_by=soon)
    later = _consented(programme, practitioner, reconfirm_by=TODAY + datetime.timedelta(days=200))
    withdrawn = _consented(
        programme, practitioner, reconfirm_by=TODAY - datetime.timedelta(days=1), withdrawn=True
    )

    page = client.get("/programmes/caseload/").content.decode()

    reconfirm = f"Reconfirm consent by {soon.day} {soon:%b %Y}"
    assert "Consent expired" in _row_of(page, expired.young_person.reference)
    assert reconfirm in _row_of(page, due_soon.young_person.reference)
    for quiet in (later, withdrawn):
        row = _row_of(page, quiet.young_person.reference)
        assert "Consent expired" not in row
        assert "Reconfirm consent" not in row
    detail = client.get(f"/programmes/referrals/{expired.pk}/").content.decode()
    assert "Consent expired" in detail
    assert reconfirm in client.get(f"/programmes/referrals/{due_soon.pk}/").content.decode()


def _caseload_queries(client) -> int:
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/programmes/caseload/")
    assert response.status_code == 200
    return len(queries)


def test_the_caseload_shows_expired_consents_at_the_same_number_of_queries(casework):
    programme, practitioner, client = casework
    _consented(programme, practitioner, reconfirm_by=TODAY - datetime.timedelta(days=1))
    client.get("/programmes/caseload/")  # the compiled list and the session warm
    one = _caseload_queries(client)
    for _ in range(5):
        _consented(programme, practitioner, reconfirm_by=TODAY - datetime.timedelta(days=1))

    six = _caseload_queries(client)

    assert six == one
    assert client.get("/programmes/caseload/").content.decode().count("Consent expired") == 6


# --- Corrections: consent given or reconfirmed after the referral ---------------------------


def test_consent_reconfirmed_by_a_correction_moves_its_day_and_keeps_the_old_one(casework):
    programme, practitioner, _ = casework
    referral = _consented(programme, practitioner, reconfirm_by=TODAY - datetime.timedelta(days=1))
    referral.refresh_from_db()
    new_day = add_months(TODAY, 12)

    services.referral_correct(
        actor=practitioner,
        referral=referral,
        why="Mother reconfirmed on the phone",
        consent_given_at=NOW,
        consent_reconfirm_by=new_day,
    )

    referral.refresh_from_db()
    assert referral.consent_reconfirm_by == new_day
    from programmes.models import RecordVersion

    version = RecordVersion.objects.get(object_id=referral.pk)
    assert "consent_reconfirm_by" in version.changes()


def test_consent_given_after_the_referral_follows_the_under_13_rule_too(doors):
    programme = doors["programme"]
    referral = ReferralFactory(programme=programme, date_of_birth=CHILD)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.referral_correct(
            actor=None,
            referral=referral,
            why="Consent recorded",
            consent_given_by="young_person",
            consent_given_at=NOW,
        )

    assert refused.value.message_dict == {"consent_given_by": [UNDER_13_NEEDS_PARENT]}
