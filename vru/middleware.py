import time

from django.contrib.auth.middleware import LoginRequiredMiddleware


class LoginRequiredExceptAPIMiddleware(LoginRequiredMiddleware):
    """Default deny for pages: every page needs a signed-in user unless marked
    @login_not_required. The API is left to DRF, which authenticates tokens itself and
    answers 401/403 in JSON instead of redirecting to the sign-in page."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
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
        from django.conf import settings
        from django.contrib.auth import logout
        from django.shortcuts import redirect
        from django.urls import reverse

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
        response = self.get_response(request)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        if request.method == "POST" and request.path_info == reverse("logout"):
            response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response


def stamp_session_on_sign_in(sender, request, user, **kwargs):
    """Record when the session began (connected to user_logged_in in VruConfig.ready), so
    the middleware can end it on time without writing the session on every request."""
    now = int(time.time())
    request.session["vru_signed_in_at"] = now
    request.session["vru_last_seen"] = now
