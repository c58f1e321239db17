"""Authentication backends that load the signed-in user for each request in one query.

Every page needs the user, their partnership (the header shows it; every selector scopes by
it) and their roles (every permission check). Django's backends load the user alone, and
the partnership and roles cost a query each afterwards: on a list page that was 3 of its 7
queries. Here the user comes with its partnership (a join) and its roles (an aggregate),
and `User.role_names` uses what was loaded.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.db.models import StringAgg, Value

from vru.models import User


def user_for_request(user_id) -> User | None:
    user = (
        User.objects.select_related("partnership")
        .annotate(loaded_roles=StringAgg("role_assignments__role", delimiter=Value(",")))
        .filter(pk=user_id)
        .first()
    )
    if user is not None:
        user._role_names = frozenset(filter(None, (user.loaded_roles or "").split(",")))
    return user


class UserBackend(ModelBackend):
    """Django's username and password sign-in (the admin, tests' force_login)."""

    def get_user(self, user_id):
        user = user_for_request(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class AccountBackend(AuthenticationBackend):
    """allauth's sign-in (the product's sign-in pages)."""

    def get_user(self, user_id):
        user = user_for_request(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
