"""Django's database sessions, loaded together with the signed-in user in one query.

The session stays a row of ``django_session`` (written, expired, listed on "Your account"
and ended exactly as Django's ``db`` engine does); only reading it changes: ``load()`` runs
``vru.viewer.session_with_user``, which brings the user named by the session's UserSession
row with it, and the auth backends (vru.auth_backends) take that user instead of querying
again. Django's own checks then run unchanged on what was loaded: the session names the
user and backend, the password hash it was signed in with still matches, the user is active.
"""

import json

from django.contrib.sessions.backends import db

# Each web process remembers the sessions it has checked: their stored (signed) text ->
# the same data as JSON. Checking the signature was about a tenth of the signed-in floor
# (docs/performance.md, "The signed-in floor"); the text is what was checked, so the same
# text gives the same data, and a changed session is a new text. A fresh copy each request.
_CHECKED: dict[str, str] = {}
_CHECKED_MAX = 4096


class SessionStore(db.SessionStore):
    def decode(self, session_data):
        checked = _CHECKED.get(session_data)
        if checked is not None:
            return json.loads(checked)
        data = super().decode(session_data)
        if data:  # a bad signature is logged each time it is met
            if len(_CHECKED) >= _CHECKED_MAX:
                _CHECKED.clear()
            _CHECKED[session_data] = json.dumps(data)
        return data

    def load(self):
        from vru import viewer

        if not self.session_key:
            return {}
        found = viewer.session_with_user(self.session_key)
        if found is None:  # no such session, or it expired: a new one gets a new key
            self._session_key = None
            return {}
        return self.decode(found[0])
