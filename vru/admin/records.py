"""The audit trail, import jobs and the outbox: records administrators read and act on."""

from django.contrib import admin, messages
from django.db.models import Q

from vru import permissions, services
from vru.admin.base import (
    NamedErrorsAdmin,
)
from vru.models import (
    AuditEvent,
    ImportJob,
    OutboxMessage,
)


@admin.register(AuditEvent)
class AuditEventAdmin(NamedErrorsAdmin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor",
        "action",
        "verb",
        "target_type",
        "target_repr",
        "ip_address",
    ]
    list_filter = ["action", "target_type", "created_at"]
    search_fields = ["verb", "target_repr", "target_id", "actor__username"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(partnership_id=request.user.partnership_id)

    def has_module_permission(self, request):
        return permissions.can_view_audit(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_view_audit(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(NamedErrorsAdmin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "file_name", "status", "imported_rows", "created_by"]
    list_filter = ["kind", "status"]
    exclude = ["content"]
    readonly_fields = [f.name for f in ImportJob._meta.fields if f.name != "content"]

    def get_queryset(self, request):
        # referral imports concern named young people: shown on the programmes' own
        # import pages to those who may import them, not to area-data importers here
        return (
            super()
            .get_queryset(request)
            .filter(partnership_id=request.user.partnership_id)
            .exclude(kind=ImportJob.Kind.REFERRALS)
        )

    def has_module_permission(self, request):
        return permissions.can_import_area_data(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_import_area_data(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- The outbox: work that must happen (issue 7) --------------------------------------------


@admin.register(OutboxMessage)
class OutboxMessageAdmin(NamedErrorsAdmin, admin.ModelAdmin):
    """Alerts, notifications, letters and retention runs waiting, done or given up on.

    Administrators see their partnership's messages and the platform-wide jobs (no personal
    data is stored here: a kind and an id), and send dead letters again."""

    list_display = [
        "created_at",
        "kind",
        "target_id",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "done_at",
        "short_error",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["kind", "=target_id"]
    date_hierarchy = "created_at"
    actions = ["retry"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(Q(partnership_id=request.user.partnership_id) | Q(partnership__isnull=True))
        )

    @admin.display(description="Last error")
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.action(description="Retry the selected dead letters", permissions=["retry"])
    def retry(self, request, queryset):
        dead = queryset.filter(status=OutboxMessage.Status.DEAD)
        retried = services.outbox.retry(actor=request.user, messages=dead)
        skipped = queryset.count() - retried
        self.message_user(request, f"{retried} sent again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} not retried: only dead letters can be retried.",
                messages.WARNING,
            )

    def has_module_permission(self, request):
        return permissions.can_manage_outbox(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_outbox(request.user)

    def has_retry_permission(self, request):
        return permissions.can_manage_outbox(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # messages change only through the relay, the worker and "Retry"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
