"""The signed-in user's own account pages: where they are signed in, and ending sessions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from vru import services
from vru.accounts import UNKNOWN_ADDRESS, mfa_enrolled
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
