"""Who is signed in where: ending one's own sessions, and deactivating a user (which ends
all of theirs). Sessions are django-allauth's UserSession rows, one per signed-in session."""

from allauth.usersessions.models import UserSession
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from vru import permissions
from vru.models import AuditEvent, User
from vru.services.audit import audit_record
from vru.services.tokens import api_tokens_revoke_all


def _end(sessions) -> int:
    count = 0
    for session in sessions:
        session.end()  # deletes the server-side session, then the row
        count += 1
    return count


@transaction.atomic
def user_sessions_end(*, actor: User, keep_session_key: str, session_key: str | None = None) -> int:
    """End one of the actor's own other sessions (``session_key``), or all of them but the
    one they are using. Returns how many ended."""
    sessions = UserSession.objects.filter(user=actor).exclude(session_key=keep_session_key)
    if session_key is not None:
        if session_key == keep_session_key:
            raise ValidationError(
                "Sign out to end the session you are using.", code="current_session"
            )
        sessions = sessions.filter(session_key=session_key)
    ended = _end(list(sessions))
    if ended:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            verb="user.sessions_ended",
            target=actor,
            changes={"sessions": ended, "all_others": session_key is None},
        )
    return ended


@transaction.atomic
def user_deactivate(*, actor: User | None, user: User) -> User:
    """Stop a user signing in and end every session and API token they have, at once.
    Idempotent: deactivating an inactive user still ends anything left over."""
    if actor is not None and not (
        permissions.can_manage_users(actor) and actor.partnership_id == user.partnership_id
    ):
        raise PermissionDenied("You cannot deactivate this user.")
    if actor is not None and actor.pk == user.pk:
        raise ValidationError("You cannot deactivate yourself.", code="self")
    was_active = user.is_active
    if was_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    ended = _end(list(UserSession.objects.filter(user=user)))
    tokens = api_tokens_revoke_all(user=user)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="user.deactivated",
        target=user,
        partnership=user.partnership,
        changes={"was_active": was_active, "sessions_ended": ended, "tokens_revoked": tokens},
    )
    return user
