"""The viewer's own signed-in sessions (django-allauth's UserSession rows)."""

from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from vru.models import User


def session_list(*, viewer: User) -> QuerySet[UserSession]:
    """The viewer's sessions that are still alive on the server (signed-out and expired ones
    are left out), most recently used first. One query, however many sessions."""
    if not viewer.is_authenticated:
        return UserSession.objects.none()
    live_keys = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return UserSession.objects.filter(user=viewer, session_key__in=live_keys).order_by(
        "-last_seen_at", "-pk"
    )
