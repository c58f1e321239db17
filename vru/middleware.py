import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import JsonResponse
from django.middleware import csp
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.csp import CSP, build_policy

from vru import permissions, viewer
from vru.accounts import mfa_enrolled

# django-allauth's pages for people not (yet fully) signed in: signing in, the second-factor
# step, password reset. allauth does not mark them @login_not_required itself.
PUBLIC_ALLAUTH_URL_NAMES = frozenset(
    {
        "account_login",
        "account_logout",
        "account_inactive",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "mfa_authenticate",
    }
)


class RequestScopeMiddleware:
    """First in the chain: what is remembered about users during a request (their roles,
    programmes, second factor: vru.viewer.remembered) is forgotten when it ends, so the
    next request works it out afresh."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with viewer.request_scope():
            return self.get_response(request)


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with ``request.user`` the user itself rather than a lazy proxy to it. Every
    page asks who is signed in at once (the sign-in rule below, then the menu), so putting
    it off saves nothing, and each of the few hundred reads of ``request.user`` a page makes
    (its permission checks, the menu, the templates) went through the proxy: about a tenth
    of a plain page (docs/performance.md, "The signed-in floor")."""

    def process_request(self, request):
        super().process_request(request)
        request.user = auth_middleware.get_user(request)


class LoginRequiredExceptAPIMiddleware(LoginRequiredMiddleware):
    """Default deny for pages: every page needs a signed-in user unless marked
    @login_not_required. The API is left to DRF, which authenticates tokens itself and
    answers 401/403 in JSON instead of redirecting to the sign-in page."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in PUBLIC_ALLAUTH_URL_NAMES:
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SessionSecurityMiddleware:
    """What a shared or lost device must not give away.

    - Signed-in pages are never stored by the browser or a proxy (``Cache-Control: no-store``).
    - A session ends after ``VRU_SESSION_IDLE_SECONDS`` without a request and, whatever the
      activity, ``VRU_SESSION_ABSOLUTE_SECONDS`` after sign-in.
    - Signing out tells the browser to clear what it kept for the site (``Clear-Site-Data``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.get("vru_signed_in_at", now)
            last_seen = request.session.get("vru_last_seen", now)
            if (
                now - last_seen > settings.VRU_SESSION_IDLE_SECONDS
                or now - started > settings.VRU_SESSION_ABSOLUTE_SECONDS
            ):
                logout(request)
                if request.path_info.startswith("/api/"):
                    return self.get_response(request)  # DRF answers 401/403 itself
                return redirect(f"{reverse('login')}?next={request.path}")
            if now - last_seen > 60:  # write the session at most once a minute
                request.session["vru_last_seen"] = now
                _touch_user_session(request)
        response = self.get_response(request)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        if request.method == "POST" and request.path_info == reverse("logout"):
            response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response


def _touch_user_session(request) -> None:
    """Keep the sessions page's "last seen" current (allauth's UserSession row), at the
    same once-a-minute pace as the session itself."""
    from allauth.usersessions.models import UserSession
    from django.utils import timezone

    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key).update(last_seen_at=timezone.now())


def stamp_session_on_sign_in(sender, request, user, **kwargs):
    """Record when the session began (connected to user_logged_in in VruConfig.ready), so
    the middleware can end it on time without writing the session on every request; and
    list it on the sessions page (allauth records its own sign-ins; this covers every
    other way in, such as the test client's force_login)."""
    from allauth.usersessions.models import UserSession

    now = int(time.time())
    request.session["vru_signed_in_at"] = now
    request.session["vru_last_seen"] = now
    if request is None or not hasattr(request, "session"):
        return
    from allauth.account.adapter import get_adapter

    if not request.session.session_key:
        request.session.save()
    UserSession.objects.get_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip": get_adapter().get_client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
        },
    )


def keep_session_on_rehash(sender, user, old_session_auth_hash, **kwargs):
    """A user's password hash was made again for a new hasher, the password unchanged
    (vru.signals.password_rehashed, connected in VruConfig.ready). The session of the request
    being answered, signed in as that user with the old hash, has just been given their
    password (the re-authentication page, the old password on a change form): it moves to
    the new hash, as Django's login() moves the session it signs in. Otherwise Django's check
    of the session hash would sign it out at its next request, straight after the user proved
    who they are. Their other sessions are left to that check: signed out at their next
    request, as after a password change."""
    from allauth.core import context
    from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
    from django.utils.crypto import constant_time_compare

    session = getattr(context.request, "session", None)
    if session is None or str(session.get(SESSION_KEY)) != str(user.pk):
        return
    if constant_time_compare(session.get(HASH_SESSION_KEY, ""), old_session_auth_hash):
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()


# Pages a signed-in user who must use MFA but has not set it up may still open: setting it
# up (allauth's mfa_* pages), confirming their password first, and signing out.
MFA_SETUP_URL_NAMES = frozenset(
    {"logout", "account_logout", "account_reauthenticate", "account_login", "account_inactive"}
)


MFA_CHECKED_SESSION_KEY = "vru_mfa_enrolled"


def forget_mfa_check(sender, request=None, user=None, **kwargs):
    """An authenticator was added or removed (allauth's signals): check again."""
    if user is not None:
        viewer.forget(user)
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_CHECKED_SESSION_KEY, None)


class MFAEnrolmentMiddleware:
    """Staff roles and commissioners use a second factor: signed in without one, they are
    sent to set it up before anything else (``VRU_MFA_REQUIRED``; on by default)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.VRU_MFA_REQUIRED:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not permissions.must_use_mfa(user):
            return None
        match = request.resolver_match
        name = match.url_name if match else None
        if name and (name.startswith("mfa_") or name in MFA_SETUP_URL_NAMES):
            return None
        # checked once per session (one query), then remembered in it; removing an
        # authenticator forgets it (vru.middleware.forget_mfa_check)
        if request.session.get(MFA_CHECKED_SESSION_KEY) == user.pk:
            return None
        if mfa_enrolled(user):
            request.session[MFA_CHECKED_SESSION_KEY] = user.pk
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": "Set up multi-factor authentication before using the API."},
                status=403,
            )
        return redirect("mfa_index")


class ContentSecurityPolicyMiddleware(csp.ContentSecurityPolicyMiddleware):
    """Django's, with each policy written once per configuration: a response's header is that
    text with the request's nonce put in, if the page used one (building the policy for every
    response was the costliest middleware of the signed-in floor: docs/performance.md). The
    headers are Django's, character for character (tests/vru/test_security_headers.py)."""

    def process_response(self, request, response):
        nonce = csp.get_nonce(request)
        for header, setting, attribute in (
            (CSP.HEADER_ENFORCE, "SECURE_CSP", "_csp_config"),
            (CSP.HEADER_REPORT_ONLY, "SECURE_CSP_REPORT_ONLY", "_csp_ro_config"),
        ):
            config = getattr(response, attribute, None)
            if not hasattr(response, attribute):
                config = getattr(settings, setting)
            # a view's or the settings' policy; headers a view set itself are kept
            if config and header not in response:
                response.headers[str(header)] = _policy(config, nonce)
        return response


_NONCE_MARK = "\x1fvru-nonce\x1f"
_POLICIES: dict[int, tuple[dict, str, str]] = {}


def _policy(config: dict, nonce) -> str:
    written = _POLICIES.get(id(config))
    if written is None or written[0] is not config:
        written = (config, build_policy(config, _NONCE_MARK), build_policy(config))
        _POLICIES[id(config)] = written
    return written[1].replace(_NONCE_MARK, str(nonce)) if nonce else written[2]
