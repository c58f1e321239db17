"""Multi-factor sign-in (django-allauth MFA): who must use it, enrolment on first sign-in,
TOTP and recovery codes through the real forms, and re-authentication before sensitive
actions. The test settings switch MFA and re-authentication off for the rest of the suite
(which signs in with force_login); every test here switches them on."""

import datetime
from io import StringIO

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command

from tests.factories import TEST_PASSWORD, LSOAFactory, UserFactory
from vru import accounts, services
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

OFFICE = "198.51.100.20"
ATTACKER = "203.0.113.66"
MFA_ROLES = {
    Role.ADMINISTRATOR,
    Role.ANALYST,
    Role.PROGRAMME_MANAGER,
    Role.PRACTITIONER,
    Role.GRANTS_OFFICER,
    Role.COMMISSIONER,
    Role.PARTNER,
    Role.PROVIDER,
}
ALL_ROLES = list(Role)


@pytest.fixture(autouse=True)
def _mfa_on(settings):
    settings.VRU_MFA_REQUIRED = True
    settings.VRU_REAUTH_REQUIRED = True


@pytest.fixture(autouse=True)
def _clock_mid_step():
    """A code is computed, then checked a moment later: freeze the clock mid-way through a
    30-second step so the step cannot change in between (tests shift it themselves)."""
    with time_machine.travel(datetime.datetime(2026, 11, 2, 8, 0, 10, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def _own_cache(settings):
    """Counters and used codes live in the cache; on a Redis shared with other test runs
    (which clear it), use a cache of this process's own."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def sign_in(client, username, password=TEST_PASSWORD, address=OFFICE):
    return client.post(
        "/accounts/login/", {"login": username, "password": password}, REMOTE_ADDR=address
    )


def give_code(client, code, address=OFFICE):
    return client.post("/accounts/2fa/authenticate/", {"code": code}, REMOTE_ADDR=address)


def code_at(secret: str, when: datetime.datetime) -> str:
    return format_hotp_value(hotp_value(secret, int(when.timestamp()) // 30))


# --- Who must use a second factor ---------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES, ids=[r.value for r in ALL_ROLES])
def test_a_user_without_mfa_is_sent_to_set_it_up_if_their_role_needs_it(client, partnership, role):
    user = UserFactory(partnership=partnership, roles=[role])
    client.force_login(user)

    response = client.get("/")

    if role in MFA_ROLES:
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/"
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", sorted(MFA_ROLES), ids=sorted(r.value for r in MFA_ROLES))
def test_an_enrolled_user_of_every_staff_role_and_commissioners_gets_in(client, partnership, role):
    user = UserFactory(partnership=partnership, roles=[role])
    services.mfa_totp_enrol(actor=None, user=user)
    client.force_login(user)

    assert client.get("/").status_code == 200


def test_until_enrolled_every_other_page_and_the_api_are_closed(client, partnership):
    client.force_login(UserFactory(partnership=partnership, roles=[Role.ANALYST]))

    assert client.get("/neighbourhoods/")["Location"] == "/accounts/2fa/"
    api = client.get("/api/lsoas/")
    assert api.status_code == 403
    assert "multi-factor" in api.json()["detail"]
    # while setting it up stays open
    assert client.get("/accounts/2fa/").status_code == 200
    # (no sign-in proof in a force_login session: confirming the password comes first)
    setup = client.get("/accounts/2fa/totp/activate/", follow=True)
    assert setup.status_code == 200
    assert setup.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")


def test_youth_reviewers_and_applicants_may_choose_mfa(client, partnership):
    reviewer = UserFactory(partnership=partnership, roles=[Role.YOUTH_REVIEWER])
    client.force_login(reviewer)

    page = client.get("/accounts/2fa/")

    assert page.status_code == 200
    assert "Set up an authenticator app" in page.text
    assert "Your role needs a second factor" not in page.text


def test_with_mfa_not_required_nobody_is_sent_to_set_it_up(client, partnership, settings):
    settings.VRU_MFA_REQUIRED = False
    client.force_login(UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR]))

    assert client.get("/").status_code == 200


# --- Enrolment and sign-in through the real forms -------------------------------------------


def test_first_sign_in_enrols_an_authenticator_app_then_opens_the_service(client, partnership):
    # given a new analyst with a password only
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST], username="new.analyst")

    # when they sign in, they are sent to set up MFA before anything else
    assert sign_in(client, "new.analyst")["Location"] == "/"
    assert client.get("/")["Location"] == "/accounts/2fa/"
    setup = client.get("/accounts/2fa/totp/activate/")
    assert setup.status_code == 200
    secret = setup.context["form"].secret
    # a wrong code is refused with a message
    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors
    # the app's current code activates it and shows the recovery codes
    now = datetime.datetime.now(datetime.UTC)
    done = client.post("/accounts/2fa/totp/activate/", {"code": code_at(secret, now)})

    # then
    assert done.status_code == 302
    assert done["Location"] == "/accounts/2fa/recovery-codes/"
    assert accounts.mfa_enrolled(user)
    assert Authenticator.objects.filter(user=user, type="recovery_codes").exists()
    assert client.get("/").status_code == 200


def test_totp_sign_in_asks_for_the_code_after_the_password(client, partnership):
    # given
    user = UserFactory(partnership=partnership, roles=[Role.PRACTITIONER], username="pat")
    services.mfa_totp_enrol(actor=None, user=user)

    # when the password is right, the user is not signed in yet
    response = sign_in(client, "pat")
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert client.get("/")["Location"].startswith("/accounts/login/")
    # a wrong code keeps them out
    wrong = give_code(
        client, "123456" if accounts.current_totp_code(user) != "123456" else "654321"
    )
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    # the app's code lets them in
    response = give_code(client, accounts.current_totp_code(user))

    # then
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/").status_code == 200


@pytest.mark.usefixtures("_own_cache")
def test_a_totp_code_cannot_be_used_twice(client, partnership):
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana")
    services.mfa_totp_enrol(actor=None, user=user)
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, 5, tzinfo=datetime.UTC)):
        code = accounts.current_totp_code(user)
        sign_in(client, "ana")
        assert give_code(client, code)["Location"] == "/"
        client.post("/accounts/logout/")

        # when the same code is replayed within its 30 seconds
        sign_in(client, "ana")
        replay = give_code(client, code)

    # then
    assert replay.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once_only(client, partnership):
    # given
    user = UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER], username="gill")
    services.mfa_totp_enrol(actor=None, user=user)
    codes = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes"))
    code = codes.get_unused_codes()[0]
    unused_before = len(codes.get_unused_codes())

    # when it is used to sign in
    sign_in(client, "gill")
    assert give_code(client, code)["Location"] == "/"
    client.post("/accounts/logout/")

    # then it is spent: a second use is refused
    sign_in(client, "gill")
    again = give_code(client, code)
    assert again.status_code == 200
    assert "_auth_user_id" not in client.session
    codes = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes"))
    assert len(codes.get_unused_codes()) == unused_before - 1


def test_secrets_and_recovery_codes_are_not_stored_in_plain_text(partnership):
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST])
    secret = services.mfa_totp_enrol(actor=None, user=user)

    totp = Authenticator.objects.get(user=user, type="totp")
    recovery = Authenticator.objects.get(user=user, type="recovery_codes")
    assert secret not in str(totp.data)
    stored = str(recovery.data)
    assert all(code not in stored for code in RecoveryCodes(recovery).get_unused_codes())


def test_the_admin_has_no_sign_in_of_its_own(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_nobody_can_sign_up(client):
    assert client.get("/accounts/signup/").status_code in {302, 404}
    assert client.get("/accounts/signup/", follow=True).status_code == 404


# --- Lockout and rate limits with MFA on ----------------------------------------------------


def test_a_lockout_from_one_address_does_not_stop_sign_in_with_mfa_from_another(
    client, partnership
):
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana")
    services.mfa_totp_enrol(actor=None, user=user)
    for _ in range(6):
        sign_in(client, "ana", "guess", ATTACKER)
    assert sign_in(client, "ana", TEST_PASSWORD, ATTACKER).status_code == 429

    response = sign_in(client, "ana", TEST_PASSWORD, OFFICE)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert give_code(client, accounts.current_totp_code(user))["Location"] == "/"


@pytest.mark.usefixtures("_own_cache")
def test_password_reset_requests_are_rate_limited_with_retry_after(client, partnership):
    UserFactory(partnership=partnership, roles=[Role.APPLICANT], email="group@example.org")

    statuses = [
        client.post(
            "/accounts/password/reset/", {"email": "group@example.org"}, REMOTE_ADDR=OFFICE
        ).status_code
        for _ in range(4)
    ]

    assert statuses[:3] == [302, 302, 302]
    limited = client.post(
        "/accounts/password/reset/", {"email": "group@example.org"}, REMOTE_ADDR=OFFICE
    )
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    assert "Too many attempts" in limited.text


def test_a_password_reset_does_not_sign_in_so_cannot_skip_mfa(client, partnership, mailoutbox):
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST], email="ana@example.org")
    services.mfa_totp_enrol(actor=None, user=user)
    client.post("/accounts/password/reset/", {"email": "ana@example.org"}, REMOTE_ADDR=OFFICE)
    link = next(
        line for line in mailoutbox[0].body.splitlines() if "/accounts/password/reset/key/" in line
    )
    path = link[link.index("/accounts/") :].strip()

    form = client.get(path, follow=True)
    new_password = "a-brand-new-passphrase-2026"
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"password1": new_password, "password2": new_password},
    )

    assert done.status_code == 302
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.check_password(new_password)


# --- Re-authentication before sensitive actions ---------------------------------------------


def test_an_export_needs_a_recent_password_or_second_factor(client, partnership):
    # given an enrolled analyst whose sign-in proof is older than 15 minutes
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana")
    LSOAFactory(partnership=partnership)
    services.mfa_totp_enrol(actor=None, user=user)
    start = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, "ana")
        give_code(client, accounts.current_totp_code(user))
        fresh = client.get("/neighbourhoods/?format=csv")
        assert fresh.status_code == 200
        assert fresh["Content-Type"].startswith("text/csv")
        clock.shift(datetime.timedelta(minutes=16))
        client.get("/")  # still signed in (idle < 30 minutes)

        # when
        stale = client.get("/neighbourhoods/?format=csv")

        # then the user confirms it is them, and comes back to the download
        assert stale.status_code == 302
        assert stale["Location"].startswith("/accounts/reauthenticate/?next=")
        back = client.post(stale["Location"], {"password": TEST_PASSWORD})
        assert back["Location"] == "/neighbourhoods/?format=csv"
        again = client.get(back["Location"])
        assert again.status_code == 200
    assert AuditEvent.objects.filter(action="export", actor=user).count() == 2


def test_changing_a_users_roles_in_the_admin_needs_recent_authentication(client, partnership):
    admin_user = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])
    services.mfa_totp_enrol(actor=None, user=admin_user)
    colleague = UserFactory(partnership=partnership, roles=[Role.ANALYST])
    client.force_login(admin_user)  # signed in, but with no recent proof in this session

    response = client.get(f"/admin/vru/user/{colleague.pk}/change/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/?next=")
    client.post(response["Location"], {"password": TEST_PASSWORD})
    assert client.get(f"/admin/vru/user/{colleague.pk}/change/").status_code == 200


def test_the_reauthentication_page_is_govuk_styled(client, partnership):
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST])
    services.mfa_totp_enrol(actor=None, user=user)
    client.force_login(user)

    page = client.get("/accounts/reauthenticate/")

    assert page.status_code == 200
    assert 'class="govuk-heading-l"' in page.text
    assert 'class="govuk-button' in page.text
    assert "govuk-input" in page.text


def test_rotating_the_field_keys_keeps_authenticator_apps_and_recovery_codes_working(settings):
    # given an authenticator app and recovery codes set up under the old key
    old_key = "b2xkLWtleS1vbGQta2V5LW9sZC1rZXktb2xkLWtleS0="
    new_key = "bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleS0="
    settings.VRU_FIELD_ENCRYPTION_KEYS = [old_key]
    user = UserFactory(roles=[Role.ANALYST])
    secret = services.mfa_totp_enrol(actor=None, user=user)
    codes = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes"))
    unused = codes.get_unused_codes()
    stored_before = Authenticator.objects.get(user=user, type="totp").data["secret"]

    # when a new key is put first, the rotation runs and the old key is removed
    settings.VRU_FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_field_keys", stdout=StringIO())
    settings.VRU_FIELD_ENCRYPTION_KEYS = [new_key]

    # then the app's codes and the recovery codes are unchanged
    totp = Authenticator.objects.get(user=user, type="totp")
    assert totp.data["secret"] != stored_before
    now = datetime.datetime(2026, 11, 2, 9, 0, 10, tzinfo=datetime.UTC)
    with time_machine.travel(now, tick=False):
        assert accounts.current_totp_code(user) == code_at(secret, now)
    codes = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes"))
    assert codes.get_unused_codes() == unused


SIGNED_IN_ACCOUNT_PAGES = [
    "/accounts/2fa/",
    "/accounts/2fa/totp/deactivate/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/recovery-codes/generate/",
    "/accounts/2fa/webauthn/",
    "/accounts/2fa/webauthn/add/",
    "/accounts/2fa/reauthenticate/",
    "/accounts/reauthenticate/",
    "/accounts/password/change/",
    "/accounts/sessions/",
]
SIGNED_OUT_ACCOUNT_PAGES = [
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/done/",
    "/accounts/inactive/",
]


@pytest.mark.parametrize("url", SIGNED_IN_ACCOUNT_PAGES)
def test_every_account_page_a_signed_in_user_can_open_is_govuk_styled(client, partnership, url):
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana")
    services.mfa_totp_enrol(actor=None, user=user)
    sign_in(client, "ana")
    give_code(client, accounts.current_totp_code(user))

    page = client.get(url)

    assert page.status_code == 200
    assert 'class="govuk-heading-l"' in page.text
    assert "govuk-template__body" in page.text  # our layout, not allauth's bare one
    assert "Menu:" not in page.text


@pytest.mark.parametrize("url", SIGNED_OUT_ACCOUNT_PAGES)
def test_every_account_page_open_to_the_signed_out_is_govuk_styled(client, url):
    page = client.get(url)

    assert page.status_code == 200
    assert 'class="govuk-heading-l"' in page.text
    assert "govuk-template__body" in page.text


def test_removing_the_only_authenticator_app_sends_the_user_to_set_one_up_again(
    client, partnership
):
    # given an enrolled analyst, signed in with their code
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana")
    services.mfa_totp_enrol(actor=None, user=user)
    sign_in(client, "ana")
    give_code(client, accounts.current_totp_code(user))
    assert client.get("/").status_code == 200

    # when they remove the app
    removed = client.post("/accounts/2fa/totp/deactivate/")

    # then every page sends them back to set one up
    assert removed.status_code == 302
    assert not accounts.mfa_enrolled(type(user).objects.get(pk=user.pk))
    assert client.get("/")["Location"] == "/accounts/2fa/"


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (Role.ANALYST, "/neighbourhoods/?format=csv"),
        (Role.PROGRAMME_MANAGER, "/programmes/caseload/?format=csv"),
        (Role.GRANTS_OFFICER, "/grants/awards/360giving.csv"),
        (Role.GRANTS_OFFICER, "/grants/awards/360giving.json"),
    ],
)
def test_every_export_door_asks_to_confirm_it_is_you_without_a_recent_proof(
    client, partnership, role, url
):
    user = UserFactory(partnership=partnership, roles=[role])
    services.mfa_totp_enrol(actor=None, user=user)
    client.force_login(user)  # signed in, no password or code given in this session

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/?next=")
    assert not AuditEvent.objects.filter(action="export").exists()
