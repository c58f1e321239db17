"""Rights requests in the admin: a support tool, read-only. Requests are logged, gathered,
redacted and sent on their pages (rights.views), where the services apply the rules and the
audit; the gathered records themselves are never shown here (reading them is a read of a
young person's identity, audited only through the review page)."""

from django.contrib import admin

from rights import permissions
from rights.models import KindRetentionRun, SubjectAccessRequest
from vru.admin import ReadOnlyScopedAdmin
from vru.permissions import can_use_admin_site


@admin.register(SubjectAccessRequest)
class SubjectAccessRequestAdmin(ReadOnlyScopedAdmin):
    allowed = staticmethod(permissions.can_handle_requests)
    list_display = ["pk", "young_person", "kind", "status", "received_on", "due_on"]
    list_filter = ["status", "kind", "relationship"]
    search_fields = ["young_person__reference"]
    fields = [
        "young_person",
        "kind",
        "relationship",
        "identity_check",
        "received_on",
        "due_on",
        "extended_months",
        "extension_reason",
        "status",
        "outcome_reason",
        "gathered_at",
        "downloaded_at",
        "downloaded_by",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields


@admin.register(KindRetentionRun)
class KindRetentionRunAdmin(admin.ModelAdmin):
    list_display = ["ran_at", "removed", "failed"]
    list_filter = ["ran_at"]
    search_fields = ["ran_at"]
    readonly_fields = ["ran_at", "removed", "failed"]

    def has_module_permission(self, request):
        return can_use_admin_site(request.user)

    def has_view_permission(self, request, obj=None):
        return can_use_admin_site(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
