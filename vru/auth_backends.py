"""Authentication backends that load the signed-in user for each request with no query of
their own: ``vru.viewer.load`` takes the user loaded with the session (vru.sessions, one query
for both), or loads them by id in one plain query, always with their partnership (the header
shows it; every selector scopes by it), their roles (every permission check) and the
programmes they staff, read by `User.role_names` and the apps' permissions.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from vru import viewer


class UserBackend(ModelBackend):
    """Django's username and password sign-in (the admin, tests' force_login)."""

    def get_user(self, user_id):
        user = viewer.load(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class AccountBackend(AuthenticationBackend):
    """allauth's sign-in (the product's sign-in pages)."""

    def get_user(self, user_id):
        user = viewer.load(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
