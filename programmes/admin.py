"""Programmes in the admin: administrators configure their partnership's programmes and staff.

Young people, identities, referrals, contacts, outcomes and sessions are not in the admin, not
even to read. They are written only through programmes.services, which judge every write with
the record's one input (programmes.inputs, as the pages, the API and the import do), keep the
24-hour clock and the status history, send the notices and audit; the admin's generic save
(vru's record_save: full_clean, save, audit) would skip all of that. Identities are read only
through the audited pages and API. tests/programmes/test_doors.py keeps these models out.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from programmes import services as programme_services
from programmes import yef
from programmes.models import Programme, ProgrammeStaff, StreetDevice
from vru import permissions as core_permissions
from vru.admin import NamedErrorsInline, PartnershipScopedAdmin
from vru.models import LSOA, AuditEvent, LocalAuthority, Recommendation, User
from vru.services import audit_record


class ProgrammeAdminForm(forms.ModelForm):
    yef_approach = forms.ChoiceField(
        choices=yef.choices, required=False, label="YEF toolkit approach"
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "description",
            "delivering_organisation",
            "prevention_stage",
            "kind",
            "referral_target_hours",
            "min_age",
            "max_age",
            "eligible_reasons",
            "eligible_local_authorities",
            "target_lsoas",
            "recommendations",
            "risk_factors",
            "protective_factors",
            "yef_approach",
            "budget",
            "starts_on",
            "ends_on",
            "retention_months",
        ]


class ProgrammeStaffInline(NamedErrorsInline, admin.TabularInline):
    model = ProgrammeStaff
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(partnership_id=request.user.partnership_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Programme)
class ProgrammeAdmin(PartnershipScopedAdmin):
    form = ProgrammeAdminForm
    allowed = staticmethod(core_permissions.can_manage_users)  # administrators
    list_display = ["name", "kind", "yef_approach", "referral_target_hours", "starts_on"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [ProgrammeStaffInline]
    filter_horizontal = ["target_lsoas", "recommendations", "eligible_local_authorities"]
    readonly_fields = ["referral_import"]

    @admin.display(description="Import referrals")
    def referral_import(self, programme):
        # one import path (programmes.services.imports: every row checked, all or nothing,
        # a Celery job with progress), not a second one through django-import-export
        if not programme.pk:
            return "Save the programme first."
        return format_html(
            '<a href="{}?programme={}">Import referrals from a custody spreadsheet</a>'
            " (CSV or XLSX: every row is checked, and nothing is imported while any row has"
            " an error)",
            reverse("programmes:referral_import"),
            programme.pk,
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        scoped = {
            "target_lsoas": LSOA.objects.filter(partnership_id=request.user.partnership_id),
            "recommendations": Recommendation.objects.filter(
                needs_assessment__partnership_id=request.user.partnership_id
            ),
            "eligible_local_authorities": LocalAuthority.objects.filter(
                partnership_id=request.user.partnership_id
            ),
        }
        if db_field.name in scoped:
            kwargs["queryset"] = scoped[db_field.name]
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.has_changed():
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.UPDATE,
                verb="programme.staff_changed",
                target=form.instance,
            )


@admin.register(StreetDevice)
class StreetDeviceAdmin(PartnershipScopedAdmin):
    """The phones the street-work page runs on, read-only, with one action: revoke a lost
    or stolen phone (its key is never handed out again, and the phone, told so when it
    next asks, deletes what it holds). The private key is never shown."""

    allowed = staticmethod(core_permissions.can_manage_users)  # administrators
    list_display = ["device_id", "user", "created_at", "last_used_at", "revoked_at", "revoked_why"]
    list_filter = ["revoked_why"]
    search_fields = ["user__username", "user__last_name"]
    fields = ["device_id", "user", "created_at", "last_used_at", "revoked_at", "revoked_why"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Revoke the chosen phones (what they hold is deleted)")
    def revoke(self, request, queryset):
        for device in queryset.filter(revoked_at__isnull=True).select_related("partnership"):
            programme_services.street_device_revoke(
                device=device, why=StreetDevice.Revoked.ADMINISTRATOR, actor=request.user
            )
        self.message_user(request, "Revoked.")
