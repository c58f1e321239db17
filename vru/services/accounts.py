"""Users and their roles; an account anonymised at the end of its retention period."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from vru import permissions, viewer
from vru.models import (
    AuditEvent,
    Partnership,
    Role,
    RoleAssignment,
    User,
)
from vru.services.audit import audit_record
from vru.services.sessions import user_deactivate


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    partnership: Partnership,
    roles: list[str],
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    if actor is not None and not (
        permissions.can_manage_users(actor) and actor.partnership_id == partnership.pk
    ):
        raise PermissionDenied("You cannot add users to this partnership.")
    if not roles:
        raise ValidationError("Give the user at least one role.", code="no_roles")
    user = User(
        username=username,
        partnership=partnership,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=bool(set(roles) & permissions.ADMIN_SITE_ROLES),
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=role) for role in roles)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="user.created",
        target=user,
        partnership=partnership,
        changes={"roles": sorted(roles)},
    )
    return user


@transaction.atomic
def user_roles_set(*, actor: User | None, user: User, roles: list[str]) -> User:
    if actor is not None and not (
        permissions.can_manage_users(actor) and actor.partnership_id == user.partnership_id
    ):
        raise PermissionDenied("You cannot change this user's roles.")
    unknown = set(roles) - set(Role.values)
    if unknown or not roles:
        raise ValidationError("Give the user at least one known role.", code="invalid_roles")
    before = sorted(user.role_names)
    user.role_assignments.exclude(role__in=roles).delete()
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=user, role=role) for role in roles], ignore_conflicts=True
    )
    user.is_staff = bool(set(roles) & permissions.ADMIN_SITE_ROLES)
    user.save(update_fields=["is_staff"])
    viewer.forget(user)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="user.roles_changed",
        target=user,
        partnership=user.partnership,
        changes={"before": before, "after": sorted(roles)},
    )
    return user


# What an anonymised account no longer holds, as its callers' audit rows name it (the
# values themselves are never recorded).
ACCOUNT_DETAILS_REMOVED = [
    "name",
    "e-mail address",
    "username",
    "password",
    "roles",
    "sign-in e-mail addresses and second factors",
    "sessions and API tokens",
]


@transaction.atomic
def user_anonymise(*, user: User, stand_in: str) -> User:
    """A system job's (the retention run's) only: the account keeps its row, as the records
    it wrote point at it, but nothing of the person. Its name and e-mail address go (the
    username becomes ``stand_in``), with its roles, the e-mail addresses and second factors
    the sign-in keeps apart from it; it cannot sign in, and every session and API token it
    had ends. The details go first, so that no audit row written on the way names them.
    Callers record what the anonymisation was for (an audit row without the old values)."""
    user.username = stand_in
    user.first_name = user.last_name = user.email = ""
    user.set_unusable_password()
    user.is_staff = False
    user.save(
        update_fields=["username", "first_name", "last_name", "email", "password", "is_staff"]
    )
    RoleAssignment.objects.filter(user=user).delete()
    viewer.forget(user)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    return user_deactivate(actor=None, user=user)
