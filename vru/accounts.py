"""Signing in with django-allauth: our adapter, and the two checks the doors call.

- ``mfa_enrolled(user)``: the user has a second factor (authenticator app or passkey).
- ``recently_authenticated(request)``: the user proved who they are (password or second
  factor, at sign-in or on the re-authentication page) within ``VRU_REAUTH_SECONDS``.
  Identity views, exports and role changes ask for it; ``reauthenticate(request)`` sends the
  user to prove it and back.
"""

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from vru.models import User

UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104 - a label for "no address" (test client, shell)


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are made by administrators, never by signing up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """allauth counts only an explicit re-authentication; a sign-in minutes ago is as
        good (so setting up MFA straight after the first sign-in does not ask again)."""
        from allauth.core import context

        request = context.request
        if request is not None and _proved_within(request, settings.VRU_REAUTH_SECONDS):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_reset_password_from_key_url(self, key: str) -> str:
        """The reset link on the site's own address (VRU_SITE_URL), never on the Host header
        of whoever asked for the reset."""
        from urllib.parse import quote

        from vru.emails import absolute_url

        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails go through vru.emails like every other: the templates of
        templates/emails/account/ (only the password reset is sent: no sign-up, no e-mail
        management, no notifications)."""
        from vru.emails import send_email

        name = template_prefix.replace("account/email/", "emails/account/", 1)
        values = {key: value for key, value in context.items() if key not in {"request", "user"}}
        send_email(name, {"email": email, **values}, to=[email])

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth refuses a request without an address (PermissionDenied); Django's test
        # client's force_login and a shell login have none, and the session list shows it.
        try:
            return super().get_client_ip(request)
        except PermissionDenied:
            return UNKNOWN_ADDRESS


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and the recovery-code seed are stored encrypted with the field keys
    (VRU_FIELD_ENCRYPTION_KEYS, never SECRET_KEY), like identity fields; rotate_field_keys
    re-encrypts them too. allauth's default stores them in the clear."""

    def encrypt(self, text: str) -> str:
        from vru.fields import encrypt

        return encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        from vru.fields import decrypt, is_encrypted

        if not is_encrypted(encrypted_text):  # written before encryption was on
            return encrypted_text
        return decrypt(encrypted_text)


# The Authenticator.data keys that hold encrypted secrets (TOTP secret, recovery-code seed).
ENCRYPTED_AUTHENTICATOR_KEYS = ("secret", "seed")


def mfa_enrolled(user: User) -> bool:
    """A second factor that signs in: an authenticator app or a passkey (recovery codes
    alone are a fallback, not a factor to enrol with). Read once per request."""
    if not user.is_authenticated:
        return False
    from allauth.mfa.models import Authenticator

    from vru import viewer

    return viewer.remembered(
        user,
        "mfa_enrolled",
        lambda: Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists(),
    )


def last_authenticated_at(request: HttpRequest) -> float | None:
    """When this session last proved who the user is (any method, sign-in or re-auth)."""
    from allauth.account.internal.flows.login import get_authentication_records

    records = get_authentication_records(request, request.user)
    times = [r.get("at") for r in records if isinstance(r.get("at"), int | float)]
    return max(times) if times else None


def _proved_within(request: HttpRequest, seconds: int) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    at = last_authenticated_at(request)
    return at is not None and time.time() - at < seconds


def recently_authenticated(request: HttpRequest) -> bool:
    if not settings.VRU_REAUTH_REQUIRED:
        return True
    return _proved_within(request, settings.VRU_REAUTH_SECONDS)


def reauthenticate(request: HttpRequest) -> HttpResponseRedirect:
    """Send the user to confirm it is them, then back to where they were going (GET)."""
    from allauth.account.internal.flows.reauthentication import suspend_request

    return suspend_request(request, reverse("account_reauthenticate"))


def current_totp_code(user: User) -> str | None:
    """The code the user's authenticator app shows now (for the demo's `demo_totp_code`
    command and tests); None without an app set up."""
    from allauth.mfa import app_settings as mfa_settings
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return None
    secret = decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))
