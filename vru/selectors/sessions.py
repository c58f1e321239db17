"""The viewer's own signed-in sessions (django-allauth's UserSession rows)."""

from allauth.usersessions.models import UserSession

from vru.models import User


def session_list(*, viewer: User) -> list[UserSession]:
    """The viewer's sessions, most recently used first. Rows whose session has already ended
    (expired, signed out) are dropped on the way: one lookup per session, and a person has
    a handful at most."""
    if not viewer.is_authenticated:
        return []
    live = UserSession.objects.purge_and_list(viewer)
    return sorted(live, key=lambda s: s.last_seen_at, reverse=True)
