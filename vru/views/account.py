"""The signed-in user's own account pages: where they are signed in, ending sessions, and
their personal API tokens (made, listed and revoked)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vru import doors, permissions, services
from vru.accounts import UNKNOWN_ADDRESS, mfa_enrolled
from vru.forms import ApiTokenForm
from vru.selectors import sessions as session_selectors


@require_GET
def session_list(request):
    current = request.session.session_key
    sessions = [
        {
            "key": s.session_key,
            "device": s.user_agent or "Unknown device",
            "address": "" if s.ip == UNKNOWN_ADDRESS else s.ip,
            "signed_in": s.created_at,
            "last_seen": s.last_seen_at,
            "current": s.session_key == current,
        }
        for s in session_selectors.session_list(viewer=request.user)
    ]
    return render(
        request,
        "vru/session_list.html",
        {
            "sessions": sessions,
            "others": sum(not s["current"] for s in sessions),
            "mfa_enrolled": mfa_enrolled(request.user),
            "tokens": session_selectors.api_token_list(viewer=request.user),
        },
    )


@require_POST
def session_end(request):
    """End one other session (``session`` in the form) or, without it, all the others."""
    key = request.POST.get("session") or None
    try:
        ended = services.user_sessions_end(
            actor=request.user, keep_session_key=request.session.session_key, session_key=key
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if ended == 0:
            messages.info(request, "That session had already ended.")
        elif key:
            messages.success(request, "You have been signed out of that session.")
        else:
            messages.success(request, f"You have been signed out of {ended} other sessions.")
    return redirect("session_list")


@require_http_methods(["GET", "POST"])
def api_token_create(request):
    """Make a token. Its key is on the page this answers with, and nowhere else, ever."""
    doors.require(permissions.can_manage_api_tokens(request.user))
    form = ApiTokenForm(doors.posted(request), default_days=settings.VRU_API_TOKEN_DAYS)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.api_token_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            return render(request, "vru/api_token_created.html", {"token": token, "key": key})
    return render(request, "vru/api_token_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def api_token_revoke(request, pk):
    """Ask, then revoke one of the user's own tokens (anyone else's is a 404)."""
    token = doors.found(session_selectors.api_token_get(viewer=request.user, pk=pk))
    if request.method == "POST":
        services.api_token_revoke(actor=request.user, token=token)
        doors.flash(request, f"The token “{token.name}” has been revoked. It no longer works.")
        return redirect("session_list")
    return render(request, "vru/api_token_revoke.html", {"token": token})
