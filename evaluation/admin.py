from django.contrib import admin

from evaluation.models import ListeningExercise, SafeguardingContact
from vru import permissions as core_permissions


class AdministratorsOnly(admin.ModelAdmin):
    """Set-up records only (the work itself happens on the listening pages)."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(partnership_id=request.user.partnership_id)

    def has_module_permission(self, request):
        return core_permissions.can_manage_users(request.user)

    has_view_permission = has_change_permission = has_delete_permission = (
        lambda self, request, obj=None: core_permissions.can_manage_users(request.user)
    )

    def has_add_permission(self, request):
        return core_permissions.can_manage_users(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from vru.models import Partnership, User

        if db_field.name == "partnership":
            kwargs["queryset"] = Partnership.objects.filter(pk=request.user.partnership_id)
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(partnership_id=request.user.partnership_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(SafeguardingContact)
class SafeguardingContactAdmin(AdministratorsOnly):
    list_display = ["user", "partnership"]


@admin.register(ListeningExercise)
class ListeningExerciseAdmin(AdministratorsOnly):
    list_display = ["name", "period_start", "period_end", "is_public"]
    search_fields = ["name"]
    readonly_fields = ["is_public"]
