"""Partnerships and users, with their roles."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError

from vru import accounts, permissions, services
from vru.admin.base import (
    NamedErrorsAdmin,
    NamedErrorsInline,
)
from vru.models import (
    AuditEvent,
    Partnership,
    RoleAssignment,
    User,
)


class RoleAssignmentInline(NamedErrorsInline, admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(NamedErrorsAdmin, admin.ModelAdmin):
    """Administrators see their own partnership only, and choose its designated
    safeguarding lead (told of every break-glass identity view) and its data protection lead
    (keeps the information-sharing agreements)."""

    list_display = ["name", "short_name", "designated_safeguarding_lead", "data_protection_lead"]
    fields = ["name", "short_name", "slug", "designated_safeguarding_lead", "data_protection_lead"]
    readonly_fields = ["name", "short_name", "slug"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(pk=request.user.partnership_id)
            .select_related("designated_safeguarding_lead", "data_protection_lead")
        )

    def has_module_permission(self, request):
        return permissions.can_manage_users(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_users(request.user)

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("designated_safeguarding_lead", "data_protection_lead"):
            kwargs["queryset"] = User.objects.filter(
                partnership_id=request.user.partnership_id, is_active=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.record_save(
            actor=request.user, instance=obj, changed_fields=list(form.changed_data), created=False
        )


@admin.register(User)
class UserAdmin(NamedErrorsAdmin, DjangoUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "roles",
        "is_active",
        "last_login",
    ]
    list_filter = ["is_active", "role_assignments__role"]
    inlines = [RoleAssignmentInline]
    readonly_fields = ["partnership", "last_login", "date_joined", "is_staff", "is_superuser"]
    fieldsets = (
        (None, {"fields": ("username", "password", "partnership")}),
        ("Personal details", {"fields": ("first_name", "last_name", "email")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )

    actions = ["deactivate"]

    @admin.display(description="Roles")
    def roles(self, obj):
        return ", ".join(sorted(a.get_role_display() for a in obj.role_assignments.all()))

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(partnership_id=request.user.partnership_id)
            .prefetch_related("role_assignments")
        )

    def has_module_permission(self, request):
        return permissions.can_manage_users(request.user)

    has_view_permission = has_add_permission = lambda self, request, obj=None: (
        permissions.can_manage_users(request.user)
    )
    has_change_permission = has_delete_permission = has_view_permission

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Adding users and changing roles or access: only after a recent password or
        # second factor (allauth's re-authentication page, then back here).
        if not accounts.recently_authenticated(request):
            return accounts.reauthenticate(request)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        obj.partnership_id = request.user.partnership_id
        services.record_save(
            actor=request.user,
            instance=obj,
            changed_fields=list(form.changed_data),
            created=not change,
        )
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.user_deactivate(actor=request.user, user=obj)  # ends their sessions

    @admin.action(description="Deactivate selected users (ends their sessions)")
    def deactivate(self, request, queryset):
        if not accounts.recently_authenticated(request):
            return accounts.reauthenticate(request)
        done = 0
        for user in queryset:
            try:
                services.user_deactivate(actor=request.user, user=user)
            except ValidationError as error:
                self.message_user(request, f"{user}: {error.messages[0]}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"{done} users deactivated; their sessions have ended.")
        return None

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is RoleAssignment and formset.has_changed():
            user = form.instance
            roles = list(user.role_assignments.values_list("role", flat=True))
            user.is_staff = bool(set(roles) & permissions.ADMIN_SITE_ROLES)
            user.save(update_fields=["is_staff"])
            services.audit_record(
                actor=request.user,
                action=AuditEvent.Action.UPDATE,
                verb="user.roles_changed",
                target=user,
                changes={"after": sorted(roles)},
            )

    def delete_model(self, request, obj):
        services.record_delete(actor=request.user, instance=obj)
