"""Django's database sessions, loaded together with the signed-in user in one query.

The session stays a row of ``django_session`` (written, expired, listed on "Your account"
and ended exactly as Django's ``db`` engine does); only reading it changes: ``load()`` runs
``vru.viewer.session_with_user``, which brings the user named by the session's UserSession
row with it, and the auth backends (vru.auth_backends) take that user instead of querying
again. Django's own checks then run unchanged on what was loaded: the session names the
user and backend, the password hash it was signed in with still matches, the user is active.
"""

from django.contrib.sessions.backends import db


class SessionStore(db.SessionStore):
    def load(self):
        from vru import viewer

        if not self.session_key:
            return {}
        found = viewer.session_with_user(self.session_key)
        if found is None:  # no such session, or it expired: a new one gets a new key
            self._session_key = None
            return {}
        return self.decode(found[0])
