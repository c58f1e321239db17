"""Users and the audit trail of the viewer's partnership (for those who manage them)."""

from django.db.models import Count, QuerySet

from vru import permissions
from vru.models import (
    AuditEvent,
    Role,
    User,
)


def audit_event_list(*, viewer: User) -> QuerySet[AuditEvent]:
    if not permissions.can_view_audit(viewer):
        return AuditEvent.objects.none()
    return AuditEvent.objects.for_viewer(viewer).select_related("actor")


def user_summary(*, viewer: User) -> dict:
    if not permissions.can_manage_users(viewer):
        return {}
    users = User.objects.filter(partnership_id=viewer.partnership_id)
    return {
        "active_users": users.filter(is_active=True).count(),
        "by_role": dict(
            users.filter(is_active=True)
            .values_list("role_assignments__role")
            .annotate(n=Count("pk"))
            .order_by()
        ),
        "role_labels": dict(Role.choices),
    }
