"""The viewer's own signed-in sessions (django-allauth's UserSession rows) and API tokens."""

from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from vru.models import ApiToken, User


def session_list(*, viewer: User) -> QuerySet[UserSession]:
    """The viewer's sessions that are still alive on the server (signed-out and expired ones
    are left out), most recently used first. One query, however many sessions."""
    if not viewer.is_authenticated:
        return UserSession.objects.none()
    live_keys = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return UserSession.objects.filter(user=viewer, session_key__in=live_keys).order_by(
        "-last_seen_at", "-pk"
    )


def api_token_list(*, viewer: User) -> QuerySet[ApiToken]:
    """The viewer's own API tokens that still work (not revoked, not expired), newest first."""
    if not viewer.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(
        owner=viewer, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at", "-pk")


def api_token_get(*, viewer: User, pk: int) -> ApiToken | None:
    """One of the viewer's own working tokens, or None (someone else's does not exist)."""
    return api_token_list(viewer=viewer).filter(pk=pk).first()
