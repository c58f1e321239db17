"""End-to-end: multi-factor sign-in in Chromium, with axe on every MFA page.

A new analyst signs in, is sent to set up an authenticator app, scans (reads) the secret,
enters the app's code and sees their recovery codes. An enrolled colleague signs in with
password and code, opens their sessions page and confirms it is them before an export.
"""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from tests.browser.helpers import current_code
from tests.factories import TEST_PASSWORD, LSOAFactory, PartnershipFactory, UserFactory
from vru import services
from vru.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _mfa_on(settings):
    settings.VRU_MFA_REQUIRED = True
    settings.VRU_REAUTH_REQUIRED = True


def _password_step(checked, username):
    page = checked.page
    checked.goto("/accounts/login/", title="Sign in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def test_first_sign_in_sets_up_an_authenticator_app(checked):
    partnership = PartnershipFactory()
    UserFactory(partnership=partnership, roles=[Role.ANALYST], username="new.analyst")
    page = checked.page

    # signed in with the password, the analyst is sent to set up MFA first
    _password_step(checked, "new.analyst")
    expect(page).to_have_url(checked.url("/accounts/2fa/"))
    expect(page).to_have_title("Multi-factor authentication – VRU platform")
    expect(page.get_by_text("Your role needs a second factor")).to_be_visible()
    checked.check()

    # the set-up page shows the QR code and the secret; the app's code activates it
    page.get_by_role("button", name="Set up an authenticator app").click()
    page.wait_for_url(checked.url("/accounts/2fa/totp/activate/"))
    checked.check()
    secret = page.locator("#authenticator_secret").input_value()
    now = int(datetime.datetime.now(datetime.UTC).timestamp())
    page.get_by_label("Authenticator code").fill(format_hotp_value(hotp_value(secret, now // 30)))
    page.get_by_role("button", name="Activate").click()

    # then the recovery codes are shown once set up, and the service opens
    page.wait_for_url(checked.url("/accounts/2fa/recovery-codes/"))
    checked.check()
    checked.goto("/", title="Home")


def test_an_enrolled_user_signs_in_with_a_code_and_confirms_before_an_export(checked):
    partnership = PartnershipFactory()
    LSOAFactory(partnership=partnership)
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST], username="ana.lyst")
    services.mfa_totp_enrol(actor=None, user=user)
    page = checked.page

    # the password, then the authenticator code
    _password_step(checked, "ana.lyst")
    expect(page).to_have_url(checked.url("/accounts/2fa/authenticate/"))
    expect(page).to_have_title("Enter your security code – VRU platform")
    checked.check()
    page.locator("#id_code").fill("000000" if current_code("ana.lyst") != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("load")
    expect(page).to_have_title("Error: Enter your security code – VRU platform")
    checked.check()
    page.locator("#id_code").fill(current_code("ana.lyst"))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(checked.url("/"))
    checked.check()

    # their sessions and their MFA settings
    page.get_by_role("link", name="Your account").click()
    page.wait_for_url(checked.url("/accounts/sessions/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your sessions")
    expect(page.get_by_text("This session")).to_be_visible()
    checked.check()
    page.get_by_role("link", name="Manage multi-factor authentication").click()
    page.wait_for_url(checked.url("/accounts/2fa/"))
    checked.check()
    # adding a passkey: allauth's WebAuthn scripts load under our CSP (no console errors)
    checked.goto("/accounts/2fa/webauthn/add/")
    checked.goto("/accounts/2fa/recovery-codes/")

    # the re-authentication page (what an export asks for once the sign-in is old)
    checked.goto("/accounts/reauthenticate/?next=/neighbourhoods/")
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(checked.url("/neighbourhoods/"))
    checked.check()
