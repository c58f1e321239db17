"""Users and their roles."""

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
