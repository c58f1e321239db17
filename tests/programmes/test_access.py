"""The permission matrix: every role against every door of programmes (pages, exports,
imports, API, identity view), plus the partnership boundary. Invisible means 404.

The signed-in user of each role is wired as docs/roles.md says: a programme manager manages
the programme, a practitioner works on it and holds the referral in their caseload.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from finance import services as finance_services
from programmes import services
from tests import shared_world
from tests.factories import (
    ProgrammeFactory,
    ReferralFactory,
    UserFactory,
    govuk_date,
    referrals_of,
)
from tests.published import until_published_small
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)
ROLE_IDS = [r.value for r in ALL_ROLES]
READERS = {
    Role.ADMINISTRATOR,
    Role.ANALYST,
    Role.PROGRAMME_MANAGER,
    Role.PRACTITIONER,
    Role.GRANTS_OFFICER,
    Role.COMMISSIONER,
}
# provider staff: as practitioners of their contracted programme (docs/roles.md)
CASE_ROLES = {Role.ADMINISTRATOR, Role.PROGRAMME_MANAGER, Role.PRACTITIONER, Role.PROVIDER}
MANAGERS = {Role.ADMINISTRATOR, Role.PROGRAMME_MANAGER}
DASHBOARD = {Role.ADMINISTRATOR, Role.ANALYST, Role.PROGRAMME_MANAGER, Role.COMMISSIONER}


@dataclass
class World:
    programme: object
    other_programme: object
    referral: object
    other_programme_referral: object
    other_partnership_referral: object
    session: object
    other_session: object


def _build(partnership, other_partnership):
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    other_programme = ProgrammeFactory(partnership=partnership, name="Hospital Navigators")
    theirs = ProgrammeFactory(partnership=other_partnership, name="ReRoute")
    event = datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)
    session = services.session_record(
        actor=None,
        programme=programme,
        kind="group",
        held_on=datetime.date(2026, 3, 2),
        place="Youth club",
        counts={("14-17", "male"): 4},
    )
    other_session = services.session_record(
        actor=None,
        programme=theirs,
        kind="group",
        held_on=datetime.date(2026, 3, 2),
        place="Their club",
    )
    # consent given on each, so that the write doors below include recording its withdrawal
    consent = {
        "consent_given_by": "young_person",
        "consent_given_at": event + datetime.timedelta(hours=2),
    }
    referrals = [
        ReferralFactory(
            programme=programme,
            first_name="Zed",
            last_name="Secretname",
            event_at=event,
            **consent,
        ),
        ReferralFactory(programme=other_programme, event_at=event, **consent),
        ReferralFactory(programme=theirs, event_at=event, **consent),
    ]
    # every referral has a contact (late: 30 hours after the event) and an outcome, so that
    # the API's list counts show what each role may see rather than an empty table
    for referral in referrals:
        services.contact_record(
            actor=None,
            referral=referral,
            occurred_at=event + datetime.timedelta(hours=30),
            method="phone",
        )
        services.outcome_record(
            actor=None, referral=referral, kind="eet", achieved_on=datetime.date(2026, 3, 5)
        )
    return World(
        programme=programme,
        other_programme=other_programme,
        referral=referrals[0],
        other_programme_referral=referrals[1],
        other_partnership_referral=referrals[2],
        session=session,
        other_session=other_session,
    )


# built once for the module; each test gets its own copy (tests/shared_world.py)
shared = shared_world.fixture(_build)
shared_copy, world, partnership, other_partnership = shared_world.copies()


def make_user(world, role, partnership=None):
    user = UserFactory(partnership=partnership or world.programme.partnership, roles=[role])
    if role == Role.PROGRAMME_MANAGER:
        services.programme_staff_set(
            actor=None, programme=world.programme, user=user, role="manager"
        )
    elif role == Role.PRACTITIONER:
        services.programme_staff_set(
            actor=None, programme=world.programme, user=user, role="practitioner"
        )
        services.referral_assign(actor=None, referral=world.referral, assigned_to=user)
    elif role == Role.PROVIDER and user.partnership_id == world.programme.partnership_id:
        # staff of a provider contracted for the programme: its practitioner (finance)
        provider = finance_services.provider_create(
            actor=None, partnership=user.partnership, name=f"Provider {user.pk}"
        )
        finance_services.contract_create(
            actor=None,
            provider=provider,
            programme=world.programme,
            value=1000,
            starts_on=datetime.date(2025, 4, 1),
            ends_on=datetime.date(2026, 3, 31),
        )
        finance_services.provider_staff_add(actor=None, provider=provider, user=user)
        services.referral_assign(actor=None, referral=world.referral, assigned_to=user)
    return user


@pytest.fixture
def signed_in(client, world):
    def sign_in(role):
        client.force_login(make_user(world, role))
        return client

    return sign_in


@pytest.fixture
def api_as(api_client, world):
    def sign_in(role):
        api_client.force_authenticate(make_user(world, role))
        return api_client

    return sign_in


PAGES = [
    ("programme_list", lambda w: "/programmes/", READERS),
    ("programme_list_csv", lambda w: "/programmes/?format=csv", READERS),
    ("programme", lambda w: f"/programmes/{w.programme.pk}/", READERS),
    ("caseload", lambda w: "/programmes/caseload/", CASE_ROLES),
    ("caseload_csv", lambda w: "/programmes/caseload/?format=csv", CASE_ROLES),
    ("caseload_xlsx", lambda w: "/programmes/caseload/?format=xlsx", CASE_ROLES),
    ("referral", lambda w: f"/programmes/referrals/{w.referral.pk}/", CASE_ROLES),
    (
        "referral_other_programme",
        lambda w: f"/programmes/referrals/{w.other_programme_referral.pk}/",
        {Role.ADMINISTRATOR},
    ),
    (
        "referral_other_partnership",
        lambda w: f"/programmes/referrals/{w.other_partnership_referral.pk}/",
        set(),
    ),
    ("referral_new", lambda w: "/programmes/referrals/new/", CASE_ROLES),
    ("referral_assign", lambda w: f"/programmes/referrals/{w.referral.pk}/assign/", MANAGERS),
    ("referral_import", lambda w: "/programmes/referrals/import/", MANAGERS),
    ("sessions", lambda w: "/programmes/sessions/", CASE_ROLES),
    ("sessions_csv", lambda w: "/programmes/sessions/?format=csv", CASE_ROLES),
    ("session", lambda w: f"/programmes/sessions/{w.session.pk}/", CASE_ROLES),
    ("session_other_partnership", lambda w: f"/programmes/sessions/{w.other_session.pk}/", set()),
    ("session_new", lambda w: "/programmes/sessions/new/", CASE_ROLES),
]


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize(("url", "allowed"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_page_is_open_to_its_roles_and_missing_for_the_others(signed_in, world, role, url, allowed):
    response = signed_in(role).get(url(world))

    assert response.status_code == (200 if role in allowed else 404)


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
def test_names_appear_only_to_those_who_may_see_the_case(signed_in, world, role):
    client = signed_in(role)
    pages = [
        f"/programmes/referrals/{world.referral.pk}/",
        "/programmes/caseload/",
        f"/programmes/{world.programme.pk}/",
    ]

    bodies = b"".join(client.get(url).content for url in pages)

    assert (b"Secretname" in bodies) == (role in CASE_ROLES)


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
def test_the_dashboard_shows_to_aggregate_readers_and_managers(signed_in, world, role):
    response = signed_in(role).get(f"/programmes/{world.programme.pk}/")

    if role in READERS:
        assert (b"Dashboard" in response.content) == (role in DASHBOARD)


def test_commissioners_see_small_numbers_suppressed(signed_in, world):
    # the programme's referral (another while the control counts them as none): 1 to 4
    until_published_small(
        lambda: ReferralFactory(programme=world.programme, event_at=world.referral.event_at),
        "referral",
        [world.referral],
    )

    response = signed_in(Role.COMMISSIONER).get(f"/programmes/{world.programme.pk}/")

    # the number of referrals is shown as "<5", and the note says what that means
    page = response.content.decode()
    assert '<span class="vru-figure__value">&lt;5</span>' in page
    assert "are shown as “&lt;5”" in page


def test_opening_a_referral_audits_the_identity_view(signed_in, world):
    signed_in(Role.PRACTITIONER).get(f"/programmes/referrals/{world.referral.pk}/")

    event = AuditEvent.objects.get(verb="young_person.identity_viewed")
    assert event.action == AuditEvent.Action.VIEW
    assert event.target_id == str(world.referral.young_person_id)


def test_a_manager_of_another_programme_cannot_see_this_programmes_cases(client, world):
    manager = UserFactory(partnership=world.programme.partnership, roles=[Role.PROGRAMME_MANAGER])
    services.programme_staff_set(
        actor=None, programme=world.other_programme, user=manager, role="manager"
    )
    client.force_login(manager)

    assert client.get(f"/programmes/referrals/{world.referral.pk}/").status_code == 404
    assert (
        client.get(f"/programmes/referrals/{world.other_programme_referral.pk}/").status_code == 200
    )


def test_a_practitioner_sees_only_their_own_caseload(client, world):
    practitioner = make_user(world, Role.PRACTITIONER)
    colleague_case = ReferralFactory(programme=world.programme)
    client.force_login(practitioner)

    response = client.get("/programmes/caseload/")

    assert [row["id"] for row in response.context["page_obj"]] == [world.referral.pk]
    assert client.get(f"/programmes/referrals/{colleague_case.pk}/").status_code == 404


# --- Writes through pages ---------------------------------------------------------------


def test_the_referral_form_keeps_what_was_typed_on_error(signed_in, world):
    client = signed_in(Role.PRACTITIONER)

    response = client.post(
        "/programmes/referrals/new/",
        {
            "programme": world.programme.pk,
            "first_name": "Kept",
            "last_name": "Typed",
            **govuk_date("date_of_birth", "2010-01-01"),
            "date_of_birth_month": "13",
        },
    )

    assert response.status_code == 200
    assert b'value="Kept"' in response.content
    assert b"There is a problem" in response.content


def test_a_practitioner_records_a_referral_through_the_form(signed_in, world):
    client = signed_in(Role.PRACTITIONER)

    response = client.post(
        "/programmes/referrals/new/",
        {
            "programme": world.programme.pk,
            "first_name": "New",
            "last_name": "Person",
            **govuk_date("date_of_birth", "2010-01-01"),
            "gender": "male",
            "ethnicity": "white",
            "education_status": "school",
            "source": "custody",
            "reason": "knife",
            **govuk_date("event_at", "2026-03-01 10:00"),
            **govuk_date("referred_at", "2026-03-01 12:00"),
        },
    )

    assert response.status_code == 302
    referral = referrals_of("New", "Person", datetime.date(2010, 1, 1)).get()
    assert response.url == referral.get_absolute_url()


def test_closing_a_referral_asks_for_confirmation_first(signed_in, world):
    client = signed_in(Role.PRACTITIONER)
    url = f"/programmes/referrals/{world.referral.pk}/status/"

    first = client.post(url, {"status-to_status": "closed", "status-closure_reason": "declined"})
    world.referral.refresh_from_db()
    assert first.status_code == 200
    assert world.referral.status == "contacted"

    client.post(
        url,
        {"status-to_status": "closed", "status-closure_reason": "declined", "confirm": "yes"},
    )
    world.referral.refresh_from_db()
    assert world.referral.status == "closed"


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
def test_only_managers_can_import_referrals(
    signed_in, world, role, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile(
        "custody.csv",
        b"first_name,last_name,date_of_birth,reason,event_at\nAl,Import,2010-01-01,knife,2026-03-01 10:00\n",
    )
    client = signed_in(role)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/programmes/referrals/import/", {"programme": world.programme.pk, "file": upload}
        )
    assert response.status_code == (302 if role in MANAGERS else 404)
    if role not in MANAGERS:
        return
    # checked first: nothing imported until confirmed on the import's page
    assert not referrals_of("Al", "Import", datetime.date(2010, 1, 1)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"])

    assert referrals_of("Al", "Import", datetime.date(2010, 1, 1)).exists()
    progress = client.get(response["Location"])
    assert progress.status_code == 200
    assert "1 referral imported" in progress.content.decode()


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
def test_an_import_job_page_is_open_only_to_those_who_may_import(
    signed_in, world, role, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.referral_import_job_create(
            actor=None,
            programme=world.programme,
            file_name="custody.csv",
            content=b"first_name,last_name,date_of_birth,reason,event_at\n"
            b"Al,Import,2010-01-01,knife,2026-03-01 10:00\n",
        )

    response = signed_in(role).get(f"/programmes/referrals/imports/{job.pk}/")

    assert response.status_code == (200 if role in MANAGERS else 404)


def test_another_partnerships_import_job_is_missing(signed_in, world):
    theirs = ProgrammeFactory(partnership=world.other_partnership_referral.partnership)
    job = services.referral_import_job_create(
        actor=None, programme=theirs, file_name="custody.csv", content=b"x\n1\n"
    )

    response = signed_in(Role.ADMINISTRATOR).get(f"/programmes/referrals/imports/{job.pk}/")

    assert response.status_code == 404


# --- API --------------------------------------------------------------------------------

API_DETAIL = [
    ("referral", lambda w: f"/api/referrals/{w.referral.pk}/", CASE_ROLES),
    ("referral_identity", lambda w: f"/api/referrals/{w.referral.pk}/identity/", CASE_ROLES),
    (
        "referral_other_partnership",
        lambda w: f"/api/referrals/{w.other_partnership_referral.pk}/",
        set(),
    ),
    ("programme", lambda w: f"/api/programmes/{w.programme.pk}/", READERS),
    ("session", lambda w: f"/api/sessions/{w.session.pk}/", CASE_ROLES),
    ("session_other_partnership", lambda w: f"/api/sessions/{w.other_session.pk}/", set()),
]


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize(
    ("url", "allowed"), [p[1:] for p in API_DETAIL], ids=[p[0] for p in API_DETAIL]
)
def test_api_detail_is_open_to_its_roles_and_missing_for_the_others(
    api_as, world, role, url, allowed
):
    response = api_as(role).get(url(world))

    assert response.status_code == (200 if role in allowed else 404)


API_LISTS = [
    # (id, url, {role: expected count}; others 0)
    (
        "referrals",
        "/api/referrals/",
        {Role.ADMINISTRATOR: 2, Role.PROGRAMME_MANAGER: 1, Role.PRACTITIONER: 1, Role.PROVIDER: 1},
    ),
    (
        "contacts",
        "/api/contacts/",
        {Role.ADMINISTRATOR: 2, Role.PROGRAMME_MANAGER: 1, Role.PRACTITIONER: 1, Role.PROVIDER: 1},
    ),
    (
        "outcomes",
        "/api/outcomes/",
        {Role.ADMINISTRATOR: 2, Role.PROGRAMME_MANAGER: 1, Role.PRACTITIONER: 1, Role.PROVIDER: 1},
    ),
    (
        "sessions",
        "/api/sessions/",
        {Role.ADMINISTRATOR: 1, Role.PROGRAMME_MANAGER: 1, Role.PRACTITIONER: 1, Role.PROVIDER: 1},
    ),
    ("programmes", "/api/programmes/", dict.fromkeys(READERS, 2)),
]


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize(
    ("url", "counts"), [p[1:] for p in API_LISTS], ids=[p[0] for p in API_LISTS]
)
def test_api_lists_hold_only_what_the_role_may_see(api_as, world, role, url, counts):
    response = api_as(role).get(url)

    assert response.status_code == 200
    assert response.json()["count"] == counts.get(role, 0)


def test_api_identity_read_is_audited(api_as, world):
    response = api_as(Role.ADMINISTRATOR).get(f"/api/referrals/{world.referral.pk}/identity/")

    assert response.json()["last_name"] == "Secretname"
    assert (
        AuditEvent.objects.filter(verb="young_person.identity_viewed", action="view").count() == 1
    )


def test_api_referral_list_is_pseudonymous(api_as, world):
    response = api_as(Role.ADMINISTRATOR).get("/api/referrals/")

    assert b"Secretname" not in response.content
    assert world.referral.young_person.reference in response.content.decode()


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
def test_api_referral_create_needs_a_programme_of_ones_own(api_as, world, role):
    response = api_as(role).post(
        "/api/referrals/",
        {
            "programme": world.programme.pk,
            "first_name": "Api",
            "last_name": "Made",
            "date_of_birth": "2010-01-01",
            "source": "custody",
            "reason": "knife",
            "event_at": "2026-03-01T10:00:00Z",
            "referred_at": "2026-03-01T11:00:00Z",
        },
        format="json",
    )

    # a role without a caseload is refused outright (404), not told what to fix (400)
    assert response.status_code == (201 if role in CASE_ROLES else 404)


def test_api_contact_on_an_invisible_referral_is_404(api_as, world):
    response = api_as(Role.PRACTITIONER).post(
        "/api/contacts/",
        {
            "referral": world.other_programme_referral.pk,
            "occurred_at": "2026-03-01T12:00:00Z",
            "method": "phone",
        },
        format="json",
    )

    assert response.status_code == 404


def test_api_contact_stops_the_clock(api_client, world):
    practitioner = make_user(world, Role.PRACTITIONER)
    waiting = ReferralFactory(programme=world.programme, assigned_to=practitioner)
    api_client.force_authenticate(practitioner)

    response = api_client.post(
        "/api/contacts/",
        {"referral": waiting.pk, "occurred_at": waiting.referred_at.isoformat(), "method": "phone"},
        format="json",
    )

    assert response.status_code == 201
    waiting.refresh_from_db()
    assert waiting.status == "contacted"
    assert waiting.awaiting_contact is False


# --- Detached contacts, consent, warnings, tasks ----------------------------------------


def test_an_anonymous_detached_contact_becomes_a_referral_through_the_pages(signed_in, world):
    client = signed_in(Role.PRACTITIONER)
    detached = services.session_record(
        actor=None,
        programme=world.programme,
        kind="detached",
        held_on=datetime.date(2026, 3, 2),
        place="Park",
    )
    client.post(
        f"/programmes/sessions/{detached.pk}/contacts/", {"age_band": "14-17", "gender": "male"}
    )
    contact = detached.detached_contacts.get()

    response = client.post(
        f"/programmes/referrals/new/?from_contact={contact.pk}",
        {
            "programme": world.programme.pk,
            "first_name": "From",
            "last_name": "Park",
            **govuk_date("date_of_birth", "2010-01-01"),
            "gender": "male",
            "ethnicity": "white",
            "education_status": "school",
            "source": "community",
            "reason": "violence",
            **govuk_date("event_at", "2026-03-02 18:00"),
            **govuk_date("referred_at", "2026-03-02 19:00"),
        },
    )

    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.referral.young_person.identity.last_name == "Park"


def test_a_detached_contact_of_another_partnership_cannot_be_used(signed_in, world):
    theirs = services.session_record(
        actor=None,
        programme=world.other_session.programme,
        kind="detached",
        held_on=datetime.date(2026, 3, 2),
        place="Their park",
    )
    contact = services.detached_contact_record(
        actor=None, session=theirs, age_band="14-17", gender="male"
    )

    response = signed_in(Role.ADMINISTRATOR).get(
        f"/programmes/referrals/new/?from_contact={contact.pk}"
    )

    assert response.status_code == 404


def test_withdrawing_consent_asks_first_then_records_it(signed_in, world):
    client = signed_in(Role.PRACTITIONER)
    url = f"/programmes/referrals/{world.referral.pk}/consent-withdrawn/"

    client.post(url)
    world.referral.refresh_from_db()
    assert world.referral.consent_withdrawn_at is None

    client.post(url, {"confirm": "yes"})
    world.referral.refresh_from_db()
    assert world.referral.consent_withdrawn_at is not None
    assert AuditEvent.objects.filter(verb="referral.consent_withdrawn").exists()


def test_a_harmful_toolkit_approach_shows_a_warning_wherever_the_programme_does(signed_in, world):
    world.programme.yef_approach = "Boot camps"
    world.programme.save()
    client = signed_in(Role.PRACTITIONER)
    urls = [
        "/programmes/",
        f"/programmes/{world.programme.pk}/",
        f"/programmes/referrals/{world.referral.pk}/",
        "/programmes/caseload/",
        "/programmes/sessions/",
        f"/programmes/sessions/{world.session.pk}/",
        f"/programmes/sessions/{world.session.pk}/attendees/",
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"harmful" in response.content.lower(), url
    api = client.get(f"/api/programmes/{world.programme.pk}/")
    assert api.json()["yef_harmful"] is True

    world.programme.yef_approach = ""
    world.programme.save()
    for url in urls:
        assert b"harmful" not in client.get(url).content.lower(), url


def test_the_beat_schedule_runs_the_sweeps():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {"programmes.tasks.referral_sla_sweep", "programmes.tasks.retention_sweep"} <= tasks


def test_the_sweep_task_notifies_breaches_from_database_state(
    world, django_capture_on_commit_callbacks
):
    from programmes import tasks
    from programmes.models import BreachNotification, NoticeDigest

    manager = make_user(world, Role.PROGRAMME_MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        found = tasks.referral_sla_sweep.delay().get()

    # the three referrals of March 2026, each contacted too late, are noted once; the
    # programme's manager gets one e-mail about its breaches and one about its new referrals
    assert BreachNotification.objects.filter(digested_at__isnull=False).count() == 3
    assert found == 2
    digests = NoticeDigest.objects.order_by("kind")
    assert [(d.recipient, d.kind, d.emailed_at is not None) for d in digests] == [
        (manager, "breaches", True),
        (manager, "new_referrals", True),
    ]
    assert tasks.referral_sla_sweep.delay().get() == 0


def test_the_retention_task_runs_retention_through_the_outbox_once_a_day(
    world, django_capture_on_commit_callbacks
):
    from programmes import tasks
    from programmes.models import RetentionRun
    from vru.models import OutboxMessage

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.retention_sweep.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        again = tasks.retention_sweep.delay().get()  # the beat fired twice today

    assert first == again
    message = OutboxMessage.objects.get(pk=first)
    assert message.kind == "programmes.retention_run"
    assert message.status == OutboxMessage.Status.DONE
    assert RetentionRun.objects.count() == 1


def test_the_caseload_export_is_pseudonymous_and_audited(signed_in, world):
    response = signed_in(Role.ADMINISTRATOR).get("/programmes/caseload/?format=csv")

    body = response.content.decode()
    assert world.referral.young_person.reference in body
    assert "Secretname" not in body
    assert AuditEvent.objects.filter(verb="referral.exported", action="export").exists()


def test_the_home_page_shows_the_caseload_figures_to_case_roles(signed_in, world):
    response = signed_in(Role.PRACTITIONER).get("/")

    assert b"referrals awaiting first contact" in response.content


def test_a_practitioner_sees_due_and_missed_referrals_first(client, world):
    practitioner = make_user(world, Role.PRACTITIONER)
    waiting = ReferralFactory(
        programme=world.programme,
        assigned_to=practitioner,
        event_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=30),
    )
    contacted = ReferralFactory(programme=world.programme, assigned_to=practitioner)
    services.contact_record(
        actor=None,
        referral=contacted,
        method="phone",
        occurred_at=contacted.referred_at + datetime.timedelta(minutes=5),
    )
    client.force_login(practitioner)

    rows = list(client.get("/programmes/caseload/").context["page_obj"].object_list)

    assert [row["id"] for row in rows] == [waiting.pk, world.referral.pk, contacted.pk]
    assert [row["breached"] for row in rows] == [True, True, False]


def test_api_status_change_follows_the_rules(api_as, world):
    client = api_as(Role.PRACTITIONER)
    url = f"/api/referrals/{world.referral.pk}/status/"

    refused = client.post(url, {"to_status": "received"}, format="json")
    closed = client.post(url, {"to_status": "closed", "closure_reason": "declined"}, format="json")

    assert refused.status_code == 400
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"


def test_a_manager_finds_unassigned_referrals_and_assigns_them(client, world):
    manager = make_user(world, Role.PROGRAMME_MANAGER)
    practitioner = make_user(world, Role.PRACTITIONER)  # holds world.referral
    unassigned = ReferralFactory(programme=world.programme)
    client.force_login(manager)

    listed = client.get("/programmes/caseload/?unassigned=true").context["page_obj"].object_list
    client.post(f"/programmes/referrals/{unassigned.pk}/assign/", {"assigned_to": practitioner.pk})

    assert [row["id"] for row in listed] == [unassigned.pk]
    unassigned.refresh_from_db()
    assert unassigned.assigned_to == practitioner


# --- Review findings: existence leaks, anonymised cases, leavers, doors that write --------


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize("url", ["/api/contacts/", "/api/outcomes/"])
def test_filtering_by_an_invisible_referral_answers_like_a_missing_one(api_as, world, role, url):
    client = api_as(role)

    elsewhere = client.get(url, {"referral": world.other_partnership_referral.pk})
    missing = client.get(url, {"referral": 999_999_999})
    own = client.get(url, {"referral": world.referral.pk})

    assert elsewhere.status_code == missing.status_code == own.status_code == 200
    assert elsewhere.json()["count"] == missing.json()["count"] == 0
    assert own.json()["count"] == (1 if role in CASE_ROLES else 0)


@pytest.mark.parametrize(
    "url",
    [
        "/api/referrals/abc/",
        "/api/referrals/abc/identity/",
        "/api/referrals/abc/status/",
        "/api/programmes/abc/",
        "/api/sessions/abc/",
    ],
)
def test_a_non_numeric_id_is_404_not_a_crash(api_as, world, url):
    assert api_as(Role.ADMINISTRATOR).get(url).status_code == 404


def _anonymise(world):
    services.referral_status_change(
        actor=None,
        referral=world.referral,
        to_status="closed",
        closure_reason="completed",
        at=datetime.datetime(2026, 3, 3, tzinfo=datetime.UTC),
    )
    world.programme.retention_months = 1
    world.programme.save()
    services.retention_anonymise()


@pytest.mark.parametrize("role", sorted(CASE_ROLES), ids=lambda r: r.value)
def test_an_anonymised_case_opens_without_its_identity(signed_in, world, role):
    client = signed_in(role)
    _anonymise(world)

    response = client.get(f"/programmes/referrals/{world.referral.pk}/")

    assert response.status_code == 200
    assert b"Identity deleted" in response.content
    assert b"Secretname" not in response.content
    assert not AuditEvent.objects.filter(verb="young_person.identity_viewed").exists()


def test_the_api_identity_of_an_anonymised_case_is_404(api_as, world):
    client = api_as(Role.ADMINISTRATOR)
    _anonymise(world)

    response = client.get(f"/api/referrals/{world.referral.pk}/identity/")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb="young_person.identity_viewed").exists()


def test_a_practitioner_who_leaves_the_programme_loses_the_caseload(client, api_client, world):
    from programmes import permissions
    from programmes.models import ProgrammeStaff

    practitioner = make_user(world, Role.PRACTITIONER)  # holds world.referral
    ProgrammeStaff.objects.filter(user=practitioner).delete()
    client.force_login(practitioner)
    api_client.force_authenticate(practitioner)

    assert list(client.get("/programmes/caseload/").context["page_obj"].object_list) == []
    assert client.get(f"/programmes/referrals/{world.referral.pk}/").status_code == 404
    assert api_client.get(f"/api/referrals/{world.referral.pk}/").status_code == 404
    assert api_client.get("/api/contacts/").json()["count"] == 0
    assert permissions.can_view_referral(practitioner, world.referral) is False


WRITE_DOORS = [
    (
        "page_contact",
        "page",
        "referrals/{pk}/contacts/",
        {
            **govuk_date("contact-occurred_at", "2026-03-03 10:00"),
            "contact-method": "phone",
            "contact-duration_minutes": "30",
        },
    ),
    (
        "page_status",
        "page",
        "referrals/{pk}/status/",
        {
            "status-to_status": "closed",
            "status-closure_reason": "declined",
            "confirm": "yes",
        },
    ),
    (
        "page_outcome",
        "page",
        "referrals/{pk}/outcomes/",
        {"outcome-kind": "diverted", **govuk_date("outcome-achieved_on", "2026-03-05")},
    ),
    ("page_assign", "page", "referrals/{pk}/assign/", {"assigned_to": ""}),
    ("page_consent", "page", "referrals/{pk}/consent-withdrawn/", {"confirm": "yes"}),
    (
        "api_contact",
        "api",
        "/api/contacts/",
        {"occurred_at": "2026-03-03T10:00:00Z", "method": "phone"},
    ),
    ("api_outcome", "api", "/api/outcomes/", {"kind": "diverted", "achieved_on": "2026-03-05"}),
    (
        "api_status",
        "api",
        "/api/referrals/{pk}/status/",
        {"to_status": "closed", "closure_reason": "declined"},
    ),
]


def _post(client, kind, path, data, referral):
    if kind == "page":
        return client.post(f"/programmes/{path.format(pk=referral.pk)}", data)
    if "{pk}" in path:
        return client.post(path.format(pk=referral.pk), data, format="json")
    return client.post(path, {**data, "referral": referral.pk}, format="json")


def _snapshot(referral):
    referral.refresh_from_db()
    return (
        referral.status,
        referral.assigned_to_id,
        referral.consent_withdrawn_at,
        referral.contacts.count(),
        referral.outcomes.count(),
    )


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize(
    ("kind", "path", "data"), [d[1:] for d in WRITE_DOORS], ids=[d[0] for d in WRITE_DOORS]
)
def test_writing_to_another_partnerships_referral_is_404_and_changes_nothing(
    client, api_client, world, role, kind, path, data
):
    user = make_user(world, role)
    client.force_login(user)
    api_client.force_authenticate(user)
    target = world.other_partnership_referral
    before = _snapshot(target)

    response = _post(client if kind == "page" else api_client, kind, path, data, target)

    assert response.status_code == 404
    assert _snapshot(target) == before


@pytest.mark.parametrize("role", [Role.PROGRAMME_MANAGER, Role.PRACTITIONER], ids=lambda r: r.value)
@pytest.mark.parametrize(
    ("kind", "path", "data"), [d[1:] for d in WRITE_DOORS], ids=[d[0] for d in WRITE_DOORS]
)
def test_writing_to_another_programmes_referral_is_404_and_changes_nothing(
    client, api_client, world, role, kind, path, data
):
    user = make_user(world, role)
    client.force_login(user)
    api_client.force_authenticate(user)
    target = world.other_programme_referral
    before = _snapshot(target)

    response = _post(client if kind == "page" else api_client, kind, path, data, target)

    assert response.status_code == 404
    assert _snapshot(target) == before


@pytest.mark.parametrize(
    ("kind", "path", "data"), [d[1:] for d in WRITE_DOORS], ids=[d[0] for d in WRITE_DOORS]
)
def test_the_same_writes_work_on_a_referral_in_scope(client, api_client, world, kind, path, data):
    # the control for the two tests above: their 404s come from the scope, not the data
    user = make_user(world, Role.ADMINISTRATOR)
    client.force_login(user)
    api_client.force_authenticate(user)
    before = _snapshot(world.referral)

    response = _post(client if kind == "page" else api_client, kind, path, data, world.referral)

    assert response.status_code in {200, 201, 302}
    if path != "referrals/{pk}/assign/":  # assigning "unassigned" to an unassigned case
        assert _snapshot(world.referral) != before


# --- The referral and session pages: ids, titles, errors ---------------------------------


def test_the_referral_page_has_no_duplicate_ids(signed_in, world):
    import re

    body = signed_in(Role.ADMINISTRATOR).get(f"/programmes/referrals/{world.referral.pk}/")

    ids = re.findall(r'\sid="([^"]+)"', body.content.decode())
    assert ids
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_a_contact_with_errors_is_shown_again_with_the_summary_and_the_input(signed_in, world):
    client = signed_in(Role.PRACTITIONER)

    response = client.post(
        f"/programmes/referrals/{world.referral.pk}/contacts/",
        {
            **govuk_date("contact-occurred_at", "2026-03-03 25:00"),
            "contact-method": "phone",
            "contact-notes": "Kept",
        },
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Referral" in body
    assert "There is a problem" in body
    assert "Kept</textarea>" in body


def test_a_backdated_contact_is_refused_on_the_page(signed_in, world):
    client = signed_in(Role.PRACTITIONER)

    response = client.post(
        f"/programmes/referrals/{world.referral.pk}/contacts/",
        {**govuk_date("contact-occurred_at", "2026-03-01 09:00"), "contact-method": "phone"},
    )

    assert response.status_code == 400
    assert world.referral.contacts.count() == 1


def test_an_anonymous_contact_with_errors_is_shown_again_with_the_summary_and_input(
    signed_in, world
):
    client = signed_in(Role.PRACTITIONER)
    detached = services.session_record(
        actor=None,
        programme=world.programme,
        kind="detached",
        held_on=datetime.date(2026, 3, 2),
        place="Park",
    )

    response = client.post(
        f"/programmes/sessions/{detached.pk}/contacts/",
        {"age_band": "", "gender": "male", "summary": "Talked about school"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in body
    assert "There is a problem" in body
    assert "Talked about school</textarea>" in body
    assert not detached.detached_contacts.exists()


@pytest.mark.parametrize("role", sorted(set(ALL_ROLES) - CASE_ROLES), ids=str)
@pytest.mark.parametrize("endpoint", ["/api/referrals/", "/api/contacts/", "/api/outcomes/"])
def test_roles_without_a_caseload_are_refused_before_the_body_is_read(
    api_as, world, role, endpoint
):
    # an empty body would be a 400 listing the required fields: the refusal comes first
    response = api_as(role).post(endpoint, {}, format="json")

    assert response.status_code == 404


def test_the_referral_form_keeps_the_typed_day_month_and_year_of_an_unreal_date(signed_in, world):
    client = signed_in(Role.PRACTITIONER)

    response = client.post(
        "/programmes/referrals/new/",
        {
            "programme": world.programme.pk,
            "first_name": "Kept",
            "last_name": "Typed",
            "date_of_birth_day": "31",
            "date_of_birth_month": "2",
            "date_of_birth_year": "2010",
            **govuk_date("event_at", "2026-03-01 10:00"),
            "referred_at_day": "1",
            "referred_at_month": "3",
            "referred_at_year": "2026",
            "referred_at_time": "",
            "source": "custody",
            "reason": "knife",
        },
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_date_of_birth_0">Date of birth must be a real date</a>' in body
    assert 'name="date_of_birth_day" value="31"' in body
    assert 'name="date_of_birth_month" value="2"' in body
    assert 'name="date_of_birth_year" value="2010"' in body
    assert "When the referral was made must include a time" in body
    assert 'name="event_at_time" value="10:00"' in body
    assert not referrals_of("Kept", "Typed", datetime.date(2010, 2, 28)).exists()


def test_a_contact_with_an_unreal_time_keeps_the_typed_date_and_time(signed_in, world):
    client = signed_in(Role.PRACTITIONER)

    response = client.post(
        f"/programmes/referrals/{world.referral.pk}/contacts/",
        {**govuk_date("contact-occurred_at", "2026-03-03 25:00"), "contact-method": "phone"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter the time as hours and minutes on a 24-hour clock, like 14:30" in body
    assert 'name="contact-occurred_at_day" value="3"' in body
    assert 'name="contact-occurred_at_year" value="2026"' in body
    assert 'name="contact-occurred_at_time" value="25:00"' in body
    assert world.referral.contacts.count() == 1


def test_a_session_is_recorded_from_the_day_month_and_year_boxes(signed_in, world):
    client = signed_in(Role.PRACTITIONER)

    response = client.post(
        "/programmes/sessions/new/",
        {
            "programme": world.programme.pk,
            "kind": "group",
            **govuk_date("held_on", "2026-03-04"),
            "place": "Park",
        },
    )

    assert response.status_code == 302
    session = world.programme.sessions.get(place="Park")
    assert session.held_on == datetime.date(2026, 3, 4)
